from django import template

register = template.Library()


@register.filter
def dashboard_url(scope, name: str) -> str:
    """``{{ scope|dashboard_url:"dashboard:office_xlsx" }}``: the page with the same filters."""
    return scope.url(name)
