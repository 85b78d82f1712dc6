"""Pure domain of the enterprise service: standard library only."""
