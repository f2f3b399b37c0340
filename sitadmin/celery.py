"""Celery application: configuration comes from Django settings under the CELERY_ namespace.

Tasks are found in each app's `tasks` module and in each feature package's (`customers.imports.tasks`).
"""

import importlib.util
import os
import pkgutil

from celery import Celery

from sitadmin.leases import MessageLeases

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitadmin.settings")

APPS = ("customers", "staff", "campaigns", "metrics", "sitadmin")

app = Celery("sitadmin")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _task_packages() -> list[str]:
    packages = []
    for name in APPS:
        spec = importlib.util.find_spec(name)
        packages.append(name)
        packages += [f"{name}.{m.name}" for m in pkgutil.iter_modules(spec.submodule_search_locations) if m.ispkg]
    return packages


app.autodiscover_tasks(_task_packages)

# Held messages keep their lease while the worker lives; a dead worker's come back within minutes.
app.steps["consumer"].add(MessageLeases)
