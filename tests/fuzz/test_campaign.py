"""A bounded run of fuzz/campaign.py: JSON-aware and archive mutations of the
repository's real inputs, through loads, parse, templates and the archive entry points.
Only ImageInspectError may come out, nothing hangs, and every accepted input
writes back."""

from __future__ import annotations

from fuzz import campaign


def test_bounded_campaign() -> None:
    report = campaign.campaign(seconds=60, seed=7, timeout=10, out=None, executions=3000)
    assert sum(report["executions"].values()) == 3000
    assert not report["escapes"], report["examples"][:5]
    assert not report["hangs"], report["examples"][:5]
    assert not report["round_trip_breaks"], report["examples"][:5]
    assert all(report["accepted"][name] and report["refused"][name] for name in campaign.TARGETS)


def test_found_by_the_campaign() -> None:
    """Inputs the campaign found, kept as regressions."""
    import json

    import pytest

    from imageinspect import ImageInspectError, loads

    deep: object = 1
    for _ in range(600):
        deep = [deep]
    text = json.dumps({"Id": "sha256:" + "a" * 64, "Config": {"ExposedPorts": {"80/tcp": deep}}}).encode()
    with pytest.raises(ImageInspectError, match="nesting deeper") as err:
        loads(text)
    assert err.value.location.startswith("$.Config.ExposedPorts")
