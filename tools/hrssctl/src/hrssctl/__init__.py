"""hrssctl: the operator CLI of the platform; talks to it over RPC and the event bus."""
