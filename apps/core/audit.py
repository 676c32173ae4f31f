"""The audit trail: who created, changed or deleted what, and when (django-auditlog).

Each app registers its models in one line from its ``AppConfig.ready``::

    audit.register(Document)

Sign-ins and failed sign-ins are recorded by django-axes (``AccessLog``, ``AccessFailureLog``);
the audit page (``core:audit``) shows both beside the change log.
"""

from auditlog.registry import auditlog


def register(model, **options) -> None:
    if not auditlog.contains(model):
        auditlog.register(model, **options)
