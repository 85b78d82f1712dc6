"""What can go wrong in the business service."""

from __future__ import annotations


class BusinessError(Exception):
    """Base of the business service's domain errors."""


class ItemNotFound(BusinessError):
    """No business item has this code."""
