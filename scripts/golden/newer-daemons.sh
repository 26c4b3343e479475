#!/usr/bin/env bash
# newer-daemons.sh -- what Docker 26.1 / 28.5 (vfs, overlay2, containerd store)
# and podman 5.4 / 5.8 / 6.1 print for our archives and builds (run as root, by hand).
#
# One command regenerates tests/data/golden/observed/ (see its README.md):
#     bash scripts/golden/newer-daemons.sh
# It makes the Debian chroots first if they are missing (chroots.sh; only the
# chroot directories are written outside the scratch dir), then, one daemon at a
# time, inside the chroot and a private mount namespace:
#   * dockerd with a fresh data root in the scratch dir, one run per store;
#     every archive in the input set is `docker load`ed into an empty store and
#     every image it names is printed by the CLI (default, --format json,
#     --format '{{json .}}'), by the engine at every API version the daemon
#     accepts plus one above (the refusal), and by `docker history`; the legacy
#     builder builds one image with three tags;
#   * podman loads the same archives and the OCI layout directories.
# Daemons are stopped by PID; the cgroup dirs dockerd made are removed; the
# scratch dir is removed. The raw outputs are then deduplicated into
# tests/data/golden/observed by newer_collect.py.
#
# A docker-buildx plugin built by hand from its tag into BUILT/buildx/ is
# bound in for the built releases: their BuildKit builds one FROM scratch
# image, saves it and loads the save again (case buildkit-scratch[-reloaded]).
#
# Docker releases that no Debian suite packages (29.x, 28.0-28.4, 27, 25, 24,
# 23) are built by hand from their release tags (see ../shared/reference/
# newer-daemons.md; no build recipe for fetched code lives in this repository)
# into BUILT/<version>/bin/{dockerd,docker} with BUILT/<version>/BUILD.txt (Go
# version, tags, commits). Every release found there is run in the sid chroot
# (its containerd and runc), one store at a time: vfs, overlay2, and the
# containerd store from 24.0 on.
#
# Environment: CHROOTS (default /var/tmp/imageinspect-chroots),
#   BUILT (default /var/tmp/imageinspect-docker), NEWER_BUILT="29.7.2 ..." to
#   run only those built releases (default: every one in BUILT),
#   NEWER_ONLY="docker-28.5-containerd podman-5.8 ..." to run only some daemons
#   (the others' files are kept), NEWER_CASES="glob" to load only some archives.
set -euo pipefail
SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
HERE=$(dirname "$SCRIPT")
REPO=$(cd "$HERE/../.." && pwd)
SHARED=$(cd "$REPO/.." && pwd)/shared/fixtures/public/archives
CHROOTS=${CHROOTS:-/var/tmp/imageinspect-chroots}
NEWER_ONLY=${NEWER_ONLY:-}
NEWER_CASES=${NEWER_CASES:-*}
BUILT=${BUILT:-/var/tmp/imageinspect-docker}
if [[ -z ${NEWER_BUILT+x} ]]; then
    NEWER_BUILT=$(for d in "$BUILT"/*/bin/dockerd; do [[ -x $d ]] && basename "$(dirname "$(dirname "$d")")"; done | sort -V | tr '\n' ' ')
fi
# the raw outputs, kept after the run so newer_collect.py can be re-run by hand
RAW=${NEWER_RAW:-/var/tmp/imageinspect-newer-raw}
say() { echo "newer-daemons: $*" >&2; }
[[ $EUID -eq 0 ]] || { say "must run as root"; exit 1; }

CHROOTS=$CHROOTS bash "$HERE/chroots.sh" trixie sid experimental

SCRATCH=$(mktemp -d /tmp/imageinspect-newer.XXXXXXXX)
declare -A CG_BEFORE=()
for d in /sys/fs/cgroup/*/docker /sys/fs/cgroup/*/libpod_parent; do [[ -d $d ]] && CG_BEFORE[$d]=1; done
cleanup() {
    local rc=$? d
    for d in /sys/fs/cgroup/*/docker /sys/fs/cgroup/*/libpod_parent; do
        [[ -d $d && -z ${CG_BEFORE[$d]:-} ]] || continue
        find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || say "warning: could not rmdir $d"
    done
    rm -rf --one-file-system "$SCRATCH"
    exit "$rc"
}
trap cleanup EXIT

# --- the input set --------------------------------------------------------------
IN=$SCRATCH/in
mkdir -p "$IN/archives" "$IN/layouts" "$IN/builds"
cp "$HERE/newer-inside.sh" "$IN/"
GI=$REPO/tests/data/golden/inspect
# add CASE FILE: load FILE as CASE; sources.txt maps cases to their files
add() {
    [[ $1 == $NEWER_CASES ]] || return 0
    [[ ! -e $IN/archives/$1.tar ]] || { say "duplicate case name $1"; exit 1; }
    cp "$2" "$IN/archives/$1.tar"
    printf '%s\t%s\n' "$1" "$(realpath --relative-to="$REPO" "$2")" >>"$IN/sources.txt"
}
for d in "$GI"/*/; do
    c=$(basename "$d")
    [[ -f $d/docker-save.tar ]] && add "$c" "$d/docker-save.tar"
    [[ -f $d/podman-save.tar ]] && add "$c" "$d/podman-save.tar"
    [[ -f $d/podman-save.oci-archive.tar ]] && add "$c-oci-archive" "$d/podman-save.oci-archive.tar"
done
add parent-chain "$GI/multi/parent-chain.tar"
for d in "$REPO"/tests/data/golden/layouts/*/; do
    c=$(basename "$d")
    [[ -f $d/skopeo-oci-archive.tar ]] && add "skopeo-oci-archive-$c" "$d/skopeo-oci-archive.tar"
    if [[ -d $d/skopeo-oci && "layout-skopeo-$c" == $NEWER_CASES ]]; then
        cp -r "$d/skopeo-oci" "$IN/layouts/skopeo-$c"
        printf '%s\t%s\n' "layout-skopeo-$c" "$(realpath --relative-to="$REPO" "$d/skopeo-oci")" >>"$IN/sources.txt"
    fi
done
python3 "$HERE/make_edge_archives.py" "$REPO/tests/data/golden/edge"
for f in "$REPO"/tests/data/golden/edge/*.tar; do add "edge-$(basename "$f" .tar)" "$f"; done
if [[ -d $SHARED ]]; then
    while IFS= read -r f; do
        rel=${f#"$SHARED"/}; name=public-$(basename "$(dirname "$rel")")-$(basename "${rel%%.tar*}")
        add "$name" "$f"
    done < <(find "$SHARED" -name '*.tar*' -type f | sort)
    if [[ "layout-multiplatform" == $NEWER_CASES ]]; then
        cp -r "$SHARED/stereoscope/multiplatform_oci_dir" "$IN/layouts/multiplatform"
        printf '%s\t%s\n' layout-multiplatform "$(realpath --relative-to="$REPO" "$SHARED/stereoscope/multiplatform_oci_dir")" >>"$IN/sources.txt"
    fi
else
    say "warning: $SHARED is missing: public archives are not loaded"
fi
# legacy-builder context: the legacy-full case's Dockerfile and files
mkdir -p "$IN/builds/legacy-full/dir"
printf 'full a\n' >"$IN/builds/legacy-full/a.txt"; printf 'full nested\n' >"$IN/builds/legacy-full/dir/n.txt"
python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["dockerfile"])' \
    "$GI/legacy-full/meta.json" >"$IN/builds/legacy-full/Dockerfile"
# BuildKit context (built only where a buildx plugin is bound in)
mkdir -p "$IN/builds-buildkit/scratch"
printf 'built by buildkit\n' >"$IN/builds-buildkit/scratch/a.txt"
printf 'FROM scratch\nCOPY a.txt /\nLABEL case=buildkit-scratch\nCMD ["/a"]\n' >"$IN/builds-buildkit/scratch/Dockerfile"

rm -rf "$RAW"; mkdir -p "$RAW"

# --- run one tool inside a chroot ----------------------------------------------------
run() {  # run SUITE NAME ARGS... -> $SCRATCH/out/NAME
    local suite=$1 name=$2; shift 2
    [[ -z $NEWER_ONLY || " $NEWER_ONLY " == *" $name "* ]] || return 0
    local root=$CHROOTS/$suite data=$SCRATCH/data-$name
    mkdir -p "$RAW/$name" "$data"/{docker,containers,tmp}
    mkdir -p "$root/in" "$root/out" "$root/var/lib/docker" "$root/var/lib/containers" "$root/etc/docker"
    say "== $name ($suite)"
    unshare --mount --propagation private bash -euc '
        root=$1 data=$2 in=$3 out=$4 built=$5; shift 5
        mount --bind "$root" "$root"
        mount -t proc proc "$root/proc"
        mount --rbind /sys "$root/sys"
        mount --rbind /dev "$root/dev"
        mount -t tmpfs tmpfs "$root/run"
        mount -t tmpfs tmpfs "$root/etc/docker"
        mount --bind "$data/docker" "$root/var/lib/docker"
        mount --bind "$data/containers" "$root/var/lib/containers"
        mount --bind "$data/tmp" "$root/var/tmp"
        mount --bind "$in" "$root/in"
        mount --bind "$out" "$root/out"
        mkdir -p "$root/built" "$root/built-plugins"
        [[ -z $built ]] || mount --bind "$built" "$root/built"
        [[ -z $built || ! -x $built/../buildx/docker-buildx ]] || mount --bind "$built/../buildx" "$root/built-plugins"
        # podman 6 refuses cgroups v1: give it the unified hierarchy (it runs no container)
        if [[ $1 == podman ]]; then mount -t cgroup2 none "$root/sys/fs/cgroup"; fi
        chroot "$root" /bin/bash /in/newer-inside.sh "$@"
    ' _ "$root" "$data" "$IN" "$RAW/$name" "${BUILT_DIR:-}" "$@"
    rm -rf --one-file-system "$data"
}
# a built release, one store: run_built VERSION STORE
run_built() {
    local major=${1%%.*}
    [[ $2 != containerd || $major -ge 24 ]] || return 0
    BUILT_DIR=$BUILT/$1 run sid "docker-$1-$2" docker "$2" /out
}
# two lanes at once (one chroot each), one daemon at a time in each
(
    run trixie docker-26.1-vfs docker vfs /out
    run trixie docker-26.1-overlay2 docker overlay2 /out
    run trixie docker-26.1-containerd docker containerd /out
    run trixie podman-5.4 podman /out
) &
lane=$!
run sid docker-28.5-vfs docker vfs /out
run sid docker-28.5-overlay2 docker overlay2 /out
run sid docker-28.5-containerd docker containerd /out
run sid podman-5.8 podman /out
run experimental podman-6.1 podman /out
for v in $NEWER_BUILT; do
    [[ -x $BUILT/$v/bin/dockerd ]] || { say "no build of $v in $BUILT"; continue; }
    for store in containerd vfs overlay2; do run_built "$v" "$store"; done
done
wait "$lane"

cp "$IN/sources.txt" "$RAW/"
python3 "$HERE/newer_collect.py" "$RAW" "$REPO/tests/data/golden/observed"
say "done: tests/data/golden/observed (raw outputs kept in $RAW)"
