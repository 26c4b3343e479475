"""Shared test helpers: where the public fixtures and our own data live."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SHARED = Path(os.environ.get("IMAGEINSPECT_SHARED", REPO.parent / "shared"))
PUBLIC = SHARED / "fixtures" / "public"

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("fast", max_examples=15, deadline=None)  # scripts/check --fast
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def public(relative: str) -> Path:
    """A public fixture, read in place; skips the test when ../shared is absent."""
    path = PUBLIC / relative
    if not path.exists():
        pytest.skip(f"public fixture {relative} not available (no {PUBLIC}); set IMAGEINSPECT_SHARED")
    return path


def public_available() -> bool:
    return PUBLIC.is_dir()


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC (what the daemon outputs were captured with)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
