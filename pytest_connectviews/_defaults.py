"""Defaults and the checks of account and region: shared by ``FakeAWS`` and the pytest options.

Kept apart from ``fake.py`` so that loading the plugin (which validates its options) stays cheap.
"""

from __future__ import annotations

import re

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
ACCOUNT_RE = re.compile(r"^[0-9]{12}$")
_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")


def check_account_id(account_id: object) -> str:
    """``account_id`` if it is 12 digits as a string; else a ``connectviews:`` ValueError."""
    if not isinstance(account_id, str) or not ACCOUNT_RE.match(account_id):
        raise ValueError(
            f"connectviews: account_id must be 12 digits as a string, got {account_id!r}"
        )
    return account_id


def check_region(region: object) -> str:
    """``region`` if it looks like an AWS region; else a ``connectviews:`` ValueError."""
    if not isinstance(region, str) or not _REGION_RE.match(region):
        raise ValueError(f"connectviews: region must look like 'us-east-1', got {region!r}")
    return region


DEFAULT_SEED = 0
GUARD_MODES = ("off", "warn", "error")


def check_seed(seed: object) -> int:
    """``seed`` if it is an int (a decimal string from ini/CLI is converted by the glue)."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"connectviews: seed must be an int, got {seed!r}")
    return seed


def check_guard(guard: object) -> str:
    """``guard`` if it is one of ``GUARD_MODES``; else a ``connectviews:`` ValueError."""
    if not isinstance(guard, str) or guard.strip().lower() not in GUARD_MODES:
        raise ValueError(
            f"connectviews: guard must be one of {', '.join(GUARD_MODES)}, got {guard!r}"
        )
    return guard.strip().lower()
