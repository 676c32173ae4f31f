"""The audit trail: who created, changed or deleted what, and when (django-auditlog).

Each app registers its models in one line from its ``AppConfig.ready``::

    audit.register(Document)

Sign-ins and failed sign-ins are recorded by django-axes (``AccessLog``, ``AccessFailureLog``);
the audit page (``core:audit``) shows both beside the change log.
"""

from auditlog.registry import auditlog

# Bookkeeping that changes with every save: not a change anyone made.
NOT_AUDITED = ("lock_version",)


def register(model, **options) -> None:
    if not auditlog.contains(model):
        if "include_fields" not in options:
            own = {f.name for f in model._meta.get_fields()}
            excluded = [*options.get("exclude_fields", ()), *(n for n in NOT_AUDITED if n in own)]
            options["exclude_fields"] = list(dict.fromkeys(excluded))
        auditlog.register(model, **options)
