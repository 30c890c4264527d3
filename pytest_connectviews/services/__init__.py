"""The services the fake serves, each a package of resource families, registered by name.

``SERVICE_PACKAGES`` is the whole registration: a service package's ``SERVICE`` (a
``ServiceSpec``) lists its families; the dispatcher finds each operation's method on them by name.
Nothing here is imported before a fake first needs the service (plugin start-up stays cheap).
"""

from __future__ import annotations

#: botocore service name -> the package that serves it.
SERVICE_PACKAGES: dict[str, str] = {
    "connect": "pytest_connectviews.services.connect",
    "imagebuilder": "pytest_connectviews.services.imagebuilder",
}
SERVICE_NAMES: tuple[str, ...] = tuple(SERVICE_PACKAGES)
