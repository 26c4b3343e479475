"""The optional C extension (imageinspect/codec/_accel.c): built when a C
compiler is there; when it cannot be built, ``pip install .`` warns and
installs the pure Python package, which does everything the extension does
(``imageinspect --version`` says which path runs). Everything else about
the package is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "imageinspect.codec._accel",
            ["imageinspect/codec/_accel.c"],
            optional=True,  # a failed build is a warning, not an error
        )
    ]
)
