"""Model conveniences and immutability."""

from __future__ import annotations

import pickle
from datetime import timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imageinspect import ContainerConfig, FrozenMap, HealthConfig, ImageConfig, parse_config
from imageinspect.model.frozen import freeze, thaw
from imageinspect.testing import strategies


def test_models_are_frozen_hashable_and_picklable() -> None:
    raw = b'{"architecture":"arm64","os":"linux","variant":"v8","created":"2024-01-01T00:00:00.5+01:00","config":{"Labels":{"a":"b"},"Env":["X=1"]},"x":[1,{"y":2}]}'
    config = parse_config(raw).value
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        config.os = "windows"  # type: ignore[misc]
    assert hash(config) == hash(parse_config(raw).value)
    again = pickle.loads(pickle.dumps(config))
    assert again == config
    assert again.to_json() == raw


def test_container_config_helpers() -> None:
    config = ContainerConfig(env=("A=1", "B", "A=2", "C=x=y"), exposed_ports=("8080", "53/udp"))
    assert config.env_map == {"A": "2", "B": "", "C": "x=y"}
    assert config.ports == (("53", "udp"), ("8080", "tcp"))
    assert ContainerConfig().env_map == {}


def test_health_durations() -> None:
    check = HealthConfig(interval=90_500_000_000, timeout=1_500, start_period=0, start_interval=2_000_000)
    assert check.interval_timedelta == timedelta(seconds=90.5)
    assert check.timeout_timedelta == timedelta(microseconds=1)
    assert check.start_period_timedelta == timedelta(0)
    assert check.start_interval_timedelta == timedelta(milliseconds=2)


def test_platform_and_diff_ids() -> None:
    config = ImageConfig(architecture="arm", os="linux", variant="v7", os_version="1", os_features=("f",))
    assert config.platform.variant == "v7"
    assert config.platform.os_features == ("f",)
    assert config.diff_ids == ()


def test_frozen_map() -> None:
    labels = FrozenMap({"b": "1"})
    assert labels.set("a", "2") == {"a": "2", "b": "1"}
    assert labels.delete("b") == {}
    assert labels == FrozenMap(b="1")
    assert labels != {"b": "2"}
    assert labels != 5
    with pytest.raises(AttributeError):
        labels.x = 1
    assert pickle.loads(pickle.dumps(labels)) == labels
    assert thaw(freeze({"a": [1, {"b": None}]})) == {"a": [1, {"b": None}]}


@settings(max_examples=300, deadline=None)
@given(config=strategies.container_configs(full=True), empty_as_null=st.booleans())
def test_oci_subset_fast_path_is_the_subset(config: ContainerConfig, empty_as_null: bool) -> None:
    """``oci_subset`` hands back the config itself only when building the
    subset would give an equal one."""

    def nil(value: object) -> object:
        return value if value or not empty_as_null else None

    expected = ContainerConfig(
        user=config.user, exposed_ports=nil(config.exposed_ports), env=nil(config.env),  # type: ignore[arg-type]
        entrypoint=nil(config.entrypoint), cmd=nil(config.cmd), volumes=nil(config.volumes),  # type: ignore[arg-type]
        working_dir=config.working_dir, labels=nil(config.labels), stop_signal=config.stop_signal,  # type: ignore[arg-type]
        args_escaped=config.args_escaped, healthcheck=config.healthcheck, on_build=nil(config.on_build),  # type: ignore[arg-type]
        shell=nil(config.shell),  # type: ignore[arg-type]
    )  # fmt: skip
    subset = config.oci_subset(empty_as_null=empty_as_null)
    assert subset == expected
    if subset is config:
        assert not config.extra
