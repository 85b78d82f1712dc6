"""``hrssctl agency-users add --account NAME --agency "…"``: an agency staff account, its
password read from standard input (typed at a prompt that does not echo it, or piped)."""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from hrss_kit.rpc_client import StandaloneRpc


def read_password(stdin: TextIO = sys.stdin) -> str:
    if stdin.isatty():
        first = getpass.getpass("密码: ")
        if getpass.getpass("再次输入密码: ") != first:
            raise SystemExit("hrssctl: the two passwords differ")
        return first
    return stdin.readline().rstrip("\r\n")


def add(uri: str, account: str, agency: str, password: str, out: TextIO = sys.stdout) -> int:
    with StandaloneRpc(uri) as rpc:
        created = rpc.service("identity", timeout=30).add_agency_user(account=account, agency=agency, password=password)
    print(f"agency user {created['account']} of {agency}: {created['account_id']}", file=out)
    return 0
