"""The annotation keys image tools read and write on descriptors and
manifests (the OCI image-spec's pre-defined ones, containerd's and Docker's
own), named once.

>>> REF_NAME, CONTAINERD_IMAGE_NAME
('org.opencontainers.image.ref.name', 'io.containerd.image.name')
"""

from __future__ import annotations

from typing import Final

__all__ = ["ATTESTATION_MANIFEST", "CONTAINERD_IMAGE_NAME", "DOCKER_REFERENCE_TYPE", "REF_NAME"]

#: image-spec's name of a manifest in an index: a tag (``latest``) or a full
#: reference, as each writer chooses (skopeo, umoci: a tag; containerd: the reference).
REF_NAME: Final = "org.opencontainers.image.ref.name"
#: containerd's (and Docker 25+'s ``docker save``) full image name on an index entry.
CONTAINERD_IMAGE_NAME: Final = "io.containerd.image.name"
#: BuildKit's marker of an attestation manifest in an index, and its value.
DOCKER_REFERENCE_TYPE: Final = "vnd.docker.reference.type"
ATTESTATION_MANIFEST: Final = "attestation-manifest"
