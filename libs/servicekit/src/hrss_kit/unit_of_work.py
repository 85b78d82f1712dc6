"""The unit of work every service layer uses: one transaction, and the events its aggregates
recorded, published if and only if it commits. Standard library only, so a service layer may
depend on it and stay free of infrastructure."""

from __future__ import annotations

import abc
from typing import Any, Generic, Self, TypeVar

Event = TypeVar("Event")


class UnitOfWork(abc.ABC, Generic[Event]):
    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, event: Event) -> None:
        self.events.append(event)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...
