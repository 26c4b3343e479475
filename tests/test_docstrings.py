"""Every public function, method and property has a docstring with an example
(which --doctest-modules then runs)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import imageinspect


def _public_callables() -> Iterator[tuple[str, object]]:
    for name in imageinspect.__all__:
        obj = getattr(imageinspect, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj) and not issubclass(obj, BaseException):
            yield name, obj
            for attr, value in vars(obj).items():
                if attr.startswith("_"):
                    continue
                func = value.fget if isinstance(value, property) else getattr(value, "__func__", value)
                if inspect.isfunction(func):
                    yield f"{name}.{attr}", func


def test_every_public_callable_has_an_example() -> None:
    missing = [name for name, obj in _public_callables() if ">>>" not in (inspect.getdoc(obj) or "")]
    assert missing == []


def test_every_error_class_is_documented() -> None:
    for name in imageinspect.__all__:
        obj = getattr(imageinspect, name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            assert obj.__doc__, name
