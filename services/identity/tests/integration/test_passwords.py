"""argon2id hashes with the parameters the service states, and rehashing of older ones."""

import pytest
from argon2 import PasswordHasher as Argon2
from argon2 import Type
from identity_builders import random_password

from hrss_identity.adapters.passwords import Argon2Hasher, Argon2Parameters

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def hasher():
    return Argon2Hasher()


def test_a_password_hashes_to_a_salted_argon2id_string_with_at_least_owasps_minimum(hasher):
    password = random_password()

    password_hash = hasher.hash(password)

    assert password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert password not in password_hash
    assert hasher.hash(password) != password_hash


def test_parameters_come_from_config_with_owasps_minimum_as_default():
    assert Argon2Parameters.from_config({}) == Argon2Parameters(19 * 1024, 2, 1)
    assert Argon2Parameters.from_config({"ARGON2_MEMORY_KIB": "47104", "ARGON2_TIME_COST": 1}) == Argon2Parameters(
        47104, 1, 1
    )


def test_a_hash_verifies_its_password(hasher):
    password = random_password()

    assert hasher.verify(hasher.hash(password), password) is True


def test_a_hash_refuses_a_wrong_password(hasher):
    password_hash = hasher.hash(random_password())

    assert hasher.verify(password_hash, random_password()) is False


@pytest.mark.parametrize("malformed", ["", "not-a-hash", "$argon2id$v=19$m=65536,t=3,p=4$garbage", "$2b$12$bcrypt"])
def test_a_malformed_hash_refuses_every_password(hasher, malformed):
    assert hasher.verify(malformed, random_password()) is False
    assert hasher.verify_and_update(malformed, random_password()) == (False, None)


def test_a_current_hash_that_matches_needs_no_update(hasher):
    password = random_password()

    assert hasher.verify_and_update(hasher.hash(password), password) == (True, None)


@pytest.mark.parametrize(
    "older",
    [
        Argon2(time_cost=3, memory_cost=65536, parallelism=4),  # the service's parameters before issue 5
        Argon2(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID),
        Argon2(time_cost=2, memory_cost=19456, parallelism=1, type=Type.I),
    ],
)
def test_a_matching_hash_with_older_parameters_is_rehashed_with_todays(hasher, older):
    password = random_password()

    matches, new_hash = hasher.verify_and_update(older.hash(password), password)

    assert matches is True
    assert new_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify_and_update(new_hash, password) == (True, None)


def test_a_wrong_password_against_an_older_hash_is_refused_and_not_rehashed(hasher):
    older = Argon2(time_cost=3, memory_cost=65536, parallelism=4).hash(random_password())

    assert hasher.verify_and_update(older, random_password()) == (False, None)


@pytest.mark.parametrize(
    "config",
    [
        {"ARGON2_MEMORY_KIB": "4096", "ARGON2_TIME_COST": "10"},
        {"ARGON2_MEMORY_KIB": "19456", "ARGON2_TIME_COST": "1"},
        {"ARGON2_MEMORY_KIB": "35840", "ARGON2_TIME_COST": "1"},
    ],
    ids=["too-little-memory", "too-few-passes", "one-pass-needs-46-mib"],
)
def test_parameters_below_owasps_minimum_are_refused(config):
    with pytest.raises(ValueError, match="OWASP"):
        Argon2Parameters.from_config(config)
