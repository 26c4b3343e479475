"""Sphinx configuration: Furo theme, MyST pages, API reference from docstrings."""

from __future__ import annotations

import imageinspect

project = "imageinspect"
author = "imageinspect developers"
copyright = "2026, imageinspect developers"
release = imageinspect.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_typehints_format = "short"
python_use_unqualified_type_names = True
nitpicky = False

html_theme = "furo"
html_title = f"imageinspect {release}"
