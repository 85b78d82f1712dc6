"""Who a request comes from (for the per-address limit), and the limits read from config."""

import ipaddress

import pytest

from hrss_gateway.addresses import client_address, parse_networks
from hrss_gateway.limits import LimitSettings

pytestmark = pytest.mark.unit

PROXIES = parse_networks("10.0.0.0/8, 192.0.2.1")


def environ(peer, forwarded=None):
    env = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        env["HTTP_X_FORWARDED_FOR"] = forwarded
    return env


def test_without_trusted_proxies_the_client_is_the_socket_peer_whatever_it_forwards():
    assert client_address(environ("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_a_peer_that_is_not_a_trusted_proxy_is_the_client_even_when_proxies_are_configured():
    assert client_address(environ("203.0.113.5", "198.51.100.1"), PROXIES) == "203.0.113.5"


def test_behind_trusted_proxies_the_client_is_the_right_most_hop_that_is_not_one_of_them():
    forwarded = "6.6.6.6, 198.51.100.7, 10.1.2.3"  # client's claim, client, our inner proxy

    assert client_address(environ("192.0.2.1", forwarded), PROXIES) == "198.51.100.7"


def test_a_trusted_proxy_forwarding_nothing_is_itself_the_client():
    assert client_address(environ("10.0.0.9"), PROXIES) == "10.0.0.9"


def test_a_hop_that_is_not_an_address_falls_back_to_the_proxy():
    assert client_address(environ("10.0.0.9", "not-an-address"), PROXIES) == "10.0.0.9"


def test_when_every_hop_is_a_trusted_proxy_the_left_most_is_the_client():
    assert client_address(environ("10.0.0.9", "10.0.0.1, 10.0.0.2"), PROXIES) == "10.0.0.1"


def test_an_ipv6_client_counts_as_its_64_network():
    first = client_address(environ("2001:db8:1:2::1"))
    second = client_address(environ("2001:db8:1:2:ffff::9"))

    assert first == second == "2001:db8:1:2::/64"
    assert client_address(environ("2001:db8:1:3::1")) != first


def test_an_ipv4_mapped_ipv6_peer_counts_as_its_ipv4_address():
    assert client_address(environ("::ffff:203.0.113.5")) == "203.0.113.5"


@pytest.mark.parametrize("value", [None, "", [], " , "])
def test_no_trusted_proxies_by_default(value):
    assert parse_networks(value) == ()


def test_trusted_proxies_are_read_from_a_list_or_a_comma_separated_string():
    expected = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("192.0.2.1/32"))

    assert parse_networks(["10.0.0.0/8", "192.0.2.1"]) == parse_networks("10.0.0.0/8,192.0.2.1") == expected


def test_a_trusted_proxy_that_is_not_an_address_is_a_configuration_error():
    with pytest.raises(ValueError):
        parse_networks("proxy.example")


def test_the_limits_default_to_300_posts_a_minute_and_5_rejections_an_hour():
    settings = LimitSettings.from_config({})

    assert (settings.posts_per_address, settings.posts_window) == (300, 60)
    assert (settings.rejections_per_uscc, settings.rejections_window) == (5, 3600)
    assert settings.trusted_proxies == ()


def test_the_limits_are_read_from_configuration():
    settings = LimitSettings.from_config(
        {
            "RATE_LIMIT_PREFIX": "p",
            "RATE_LIMIT_POSTS": "10",
            "RATE_LIMIT_POSTS_WINDOW": 5,
            "REGISTRATION_REJECTIONS": 2,
            "REGISTRATION_REJECTIONS_WINDOW": 60,
            "RATE_LIMIT_LOGINS_PER_ADDRESS": "30",
            "RATE_LIMIT_LOGINS_PER_ACCOUNT": "7",
            "RATE_LIMIT_LOGINS_WINDOW": "120",
            "TRUSTED_PROXIES": "127.0.0.1",
        }
    )

    assert settings == LimitSettings(
        prefix="p",
        posts_per_address=10,
        posts_window=5,
        rejections_per_uscc=2,
        rejections_window=60,
        logins_per_address=30,
        logins_per_account=7,
        logins_window=120,
        trusted_proxies=(ipaddress.ip_network("127.0.0.1/32"),),
    )
