"""A service groups what one specialist role provides to a project — its registers and its
own pages — under one entry in the project's navigation and one hub page, so the sidebar
stays short however many services the office offers.

A register joins a service through `RegisterSpec.service`; a service's other pages are
declared here with the permission that shows them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ServicePage:
    label: str
    url_name: str  # a project page: reversed with the project's code as its only argument
    perm: str  # the project permission that shows the link
    description: str = ""


@dataclass(frozen=True)
class Service:
    key: str  # URL segment of the hub: /projects/CODE/services/<key>/
    label: str  # "Quality & testing"
    description: str
    order: int = 100
    pages: tuple[ServicePage, ...] = field(default=())

    @property
    def url_names(self) -> frozenset[str]:
        return frozenset(p.url_name for p in self.pages)


_SERVICES: dict[str, Service] = {}


def register_service(service: Service) -> Service:
    if service.key in _SERVICES and _SERVICES[service.key] != service:
        raise ValueError(f"service {service.key!r} is declared twice")
    _SERVICES[service.key] = service
    return service


def unregister_service(key: str) -> None:
    _SERVICES.pop(key, None)


def get_service(key: str) -> Service | None:
    return _SERVICES.get(key)


def all_services() -> list[Service]:
    return sorted(_SERVICES.values(), key=lambda s: (s.order, s.label))
