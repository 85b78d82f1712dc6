"""A TCP proxy to the broker whose connections can go silent: they stay open but nothing
passes, as when the broker's host dies or a network drops packets without a word."""

import socket
import urllib.parse

import eventlet


class _Link:
    def __init__(self, client, server):
        self.client, self.server, self.silent = client, server, False


class SilentProxy:
    def __init__(self, upstream=("127.0.0.1", 5672)):
        self.upstream = upstream
        self.listener = eventlet.listen(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.links = []
        self.pumps = []
        self._server = eventlet.spawn(self._accept)

    def uri(self, amqp_uri):
        """``amqp_uri`` (its credentials and vhost) through this proxy."""
        parts = urllib.parse.urlsplit(amqp_uri)
        netloc = f"{parts.username}:{parts.password}@127.0.0.1:{self.port}"
        return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def silence(self):
        """Every connection open now stops passing anything; later ones work."""
        for link in self.links:
            link.silent = True

    def _accept(self):
        while True:
            client, _ = self.listener.accept()
            link = _Link(client, socket.create_connection(self.upstream))
            self.links.append(link)
            self.pumps += [
                eventlet.spawn(self._pump, link, link.client, link.server),
                eventlet.spawn(self._pump, link, link.server, link.client),
            ]

    @staticmethod
    def _pump(link, source, target):
        try:
            while data := source.recv(65536):
                if not link.silent:
                    target.sendall(data)
        except OSError:
            pass

    def close(self):
        self._server.kill()
        for pump in self.pumps:  # before their sockets close, or a reused fd has two readers
            pump.kill()
        for link in self.links:
            link.client.close()
            link.server.close()
        self.listener.close()
