"""Demo data plumbing: each of our apps may ship a ``demo`` module.

A ``demo`` module has ``seed(stdout)`` (idempotent: it creates what is missing and changes
nothing that exists) and may list ``LOGINS`` (username, role) for ``make run`` to print.
"""

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import apps


def demo_modules() -> Iterator[ModuleType]:
    """Our apps' demo modules in INSTALLED_APPS order, so later apps build on earlier ones."""
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            yield import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
