"""Shared fixtures: the shipped registry and the real third-party data beside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

from sharedsvc.registry import Registry, default_registry

REPO = Path(__file__).resolve().parents[1]
#: Real third-party data (UK Core, LGSL, Open Referral UK): read from here, never copied.
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return default_registry()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared third-party data not found at {SHARED_DATA}")
    return SHARED_DATA
