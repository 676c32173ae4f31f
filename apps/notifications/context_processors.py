from django.utils.functional import SimpleLazyObject

from .models import unread_count


def bell(request):
    """The unread count for the navigation's bell: one query, made only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_unread": SimpleLazyObject(lambda: unread_count(user.pk))}
