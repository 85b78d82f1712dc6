"""The HTTP gateway: the platform's public API (API.md), translating HTTP to RPC."""
