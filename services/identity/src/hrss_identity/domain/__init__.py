"""Pure domain of the identity service: standard library only."""
