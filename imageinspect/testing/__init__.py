"""The testing kit: build images in memory, write archives real tools load,
hypothesis strategies (``imageinspect.testing.strategies``, needs
``hypothesis``), and a pytest plugin (``imageinspect.testing.plugin``).
"""

from imageinspect.testing.builder import (
    Dir,
    File,
    Hardlink,
    ImageBuilder,
    OpaqueWhiteout,
    Symlink,
    Whiteout,
    build_layout,
    layer_tar,
)
from imageinspect.testing.writers import write_docker_archive, write_oci_layout

__all__ = [
    "Dir",
    "File",
    "Hardlink",
    "ImageBuilder",
    "OpaqueWhiteout",
    "Symlink",
    "Whiteout",
    "build_layout",
    "layer_tar",
    "write_docker_archive",
    "write_oci_layout",
]
