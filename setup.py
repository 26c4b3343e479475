"""The optional C extensions (imageinspect/codec/_accel.c, the compiled
reader, and imageinspect/codec/_gojson_accel.c, the compiled Go-JSON
writer): built when a C compiler is there; when they cannot be built,
``pip install .`` warns and installs the pure Python package, which does
everything the extensions do (``imageinspect --version`` says which path
runs). Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "imageinspect.codec._accel",
            ["imageinspect/codec/_accel.c"],
            depends=["imageinspect/codec/_slots.h"],
            optional=True,  # a failed build is a warning, not an error
        ),
        Extension(
            "imageinspect.codec._gojson_accel",
            ["imageinspect/codec/_gojson_accel.c"],
            depends=["imageinspect/codec/_slots.h"],
            optional=True,
        ),
    ]
)
