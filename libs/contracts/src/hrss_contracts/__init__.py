"""Contracts of the hrss platform: what crosses a service boundary.

Nothing here talks to a network or a database; every service and the gateway may import it.
"""
