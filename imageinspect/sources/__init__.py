"""Images on disk: docker save archives and OCI layouts (the only I/O)."""
