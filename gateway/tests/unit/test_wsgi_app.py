"""The gateway's WSGI application over its routes: what a request no route serves is answered."""

import json
from types import SimpleNamespace

import pytest
from werkzeug.routing import Map, Rule
from werkzeug.test import Client
from werkzeug.wrappers import Response

from hrss_gateway.wsgi_app import JsonWsgiApp

pytestmark = pytest.mark.unit


class Endpoint:
    """A route's provider as nameko's server holds it: answers every request it gets 200."""

    streams_body = False

    def handle_request(self, request):
        return Response(json.dumps({"served": request.method}), content_type="application/json")


def app_serving(*routes):
    """The gateway's app over ``routes``, each ``(url, "GET,POST")`` as ``@api`` declares it."""
    server = SimpleNamespace(
        make_url_map=lambda: Map(
            [Rule(url, methods=methods.split(","), endpoint=Endpoint()) for url, methods in routes]
        ),
        container=SimpleNamespace(config={}),
        retry_after=5,
    )
    return Client(JsonWsgiApp(server))


def allowed(response):
    return {method.strip() for method in response.headers["Allow"].split(",")}


def test_a_405_names_the_methods_its_route_serves_in_allow():
    client = app_serving(("/api/v1/clerks/<clerk_id>", "PUT"), ("/api/v1/clerks/<clerk_id>", "DELETE"))

    response = client.post("/api/v1/clerks/c1")

    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "METHOD_NOT_ALLOWED"
    assert allowed(response) == {"PUT", "DELETE"}


def test_a_get_routes_allow_names_head_which_werkzeug_serves_with_it():
    client = app_serving(("/api/v1/me", "GET"))

    response = client.delete("/api/v1/me")

    assert response.status_code == 405
    assert allowed(response) == {"GET", "HEAD"}
    assert client.head("/api/v1/me").status_code == 200


def test_a_served_method_and_an_unknown_route_carry_no_allow():
    client = app_serving(("/api/v1/me", "GET"))

    assert "Allow" not in client.get("/api/v1/me").headers
    unknown = client.post("/api/v1/nothing-here")
    assert unknown.status_code == 404
    assert "Allow" not in unknown.headers
