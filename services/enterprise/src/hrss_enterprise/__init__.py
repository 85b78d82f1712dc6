"""Enterprise service: the three verification sources, registration decisions, enterprises."""
