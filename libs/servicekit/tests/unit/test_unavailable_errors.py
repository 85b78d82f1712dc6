"""Infrastructure failures inside a service leave its entrypoints as SERVICE_UNAVAILABLE (503)."""

import inspect

import amqp.exceptions
import kombu.exceptions
import psycopg2
import pytest
import redis.exceptions
import sqlalchemy.exc

from hrss_contracts.errors import CatalogueError
from hrss_kit.errors import is_unavailable, unavailable_as_catalogue

pytestmark = pytest.mark.unit


class DriverError(Exception):
    pass


def db_error(kind, invalidated=False):
    return kind("SELECT 1", {}, DriverError("server closed the connection"), connection_invalidated=invalidated)


UNAVAILABLE = {
    "redis-refused": redis.exceptions.ConnectionError("Connection refused"),
    "redis-timeout": redis.exceptions.TimeoutError("Timeout reading from socket"),
    "redis-loading": redis.exceptions.BusyLoadingError("loading the dataset"),
    "db-operational": db_error(sqlalchemy.exc.OperationalError),
    "db-interface": db_error(sqlalchemy.exc.InterfaceError),
    # bare, as psycopg2 raised it resetting a dead pooled connection's isolation level
    "psycopg2-operational": psycopg2.OperationalError("server closed the connection unexpectedly"),
    "psycopg2-interface": psycopg2.InterfaceError("connection already closed"),
    "db-invalidated": db_error(sqlalchemy.exc.DatabaseError, invalidated=True),
    "db-pool-timeout": sqlalchemy.exc.TimeoutError("QueuePool limit reached"),
    "amqp-connection": amqp.exceptions.RecoverableConnectionError("connection lost"),
    "kombu-operational": kombu.exceptions.OperationalError("broker unreachable"),
    "socket-refused": ConnectionRefusedError(),
    "socket-timeout": TimeoutError("timed out"),
}

NOT_UNAVAILABLE = {
    "bug": KeyError("uscc"),
    "integrity": db_error(sqlalchemy.exc.IntegrityError),
    "programming": db_error(sqlalchemy.exc.ProgrammingError),
    "redis-response": redis.exceptions.ResponseError("WRONGTYPE"),
    "catalogue": CatalogueError("LEGAL_ACCOUNT_EXISTS"),
}


@pytest.mark.parametrize("exc", UNAVAILABLE.values(), ids=UNAVAILABLE.keys())
def test_infrastructure_failures_are_unavailability(exc):
    assert is_unavailable(exc)


@pytest.mark.parametrize("exc", NOT_UNAVAILABLE.values(), ids=NOT_UNAVAILABLE.keys())
def test_bugs_refusals_and_outcomes_are_not(exc):
    assert not is_unavailable(exc)


def raised_while_handling(first, then):
    try:
        try:
            raise first
        except type(first):
            raise then  # noqa: B904 - the implicit context is what is under test
    except type(then) as exc:
        return exc


def test_an_error_raised_while_handling_a_lost_connection_is_unavailability():
    # e.g. SQLAlchemy's PendingRollbackError when a session is used after its connection died
    exc = raised_while_handling(db_error(sqlalchemy.exc.OperationalError), sqlalchemy.exc.InvalidRequestError("x"))

    assert is_unavailable(exc)


def test_a_catalogue_error_raised_from_a_lost_connection_stays_the_outcome_it_names():
    exc = raised_while_handling(redis.exceptions.ConnectionError(), CatalogueError("REGISTRATION_IN_PROGRESS"))

    assert not is_unavailable(exc)


def entrypoint_raising(exc):
    @unavailable_as_catalogue
    def register(self, application, password=None):
        """Register."""
        raise exc

    return register


@pytest.mark.parametrize("exc", UNAVAILABLE.values(), ids=UNAVAILABLE.keys())
def test_an_entrypoint_leaves_an_infrastructure_failure_as_service_unavailable(exc):
    with pytest.raises(CatalogueError) as raised:
        entrypoint_raising(exc)(None, {})

    assert (raised.value.code, raised.value.status) == ("SERVICE_UNAVAILABLE", 503)
    assert raised.value.__cause__ is exc


@pytest.mark.parametrize("exc", NOT_UNAVAILABLE.values(), ids=NOT_UNAVAILABLE.keys())
def test_an_entrypoint_leaves_any_other_error_unchanged(exc):
    with pytest.raises(type(exc)) as raised:
        entrypoint_raising(exc)(None, {})

    assert raised.value is exc


def test_the_wrapped_entrypoint_keeps_its_name_and_signature_so_bad_calls_are_still_refused():
    register = entrypoint_raising(KeyError())

    assert register.__name__ == "register" and register.__doc__ == "Register."
    with pytest.raises(TypeError):
        inspect.getcallargs(register, None, nickname="x")  # what nameko's signature check runs
    assert inspect.getcallargs(register, None, application={}) == {"self": None, "application": {}, "password": None}


def test_the_wrapped_entrypoint_returns_what_the_method_returns():
    @unavailable_as_catalogue
    def ping(self):
        return "ok"

    assert ping(None) == "ok"
