#!/usr/bin/env bash
# chroots.sh -- make the Debian chroots that hold the newer daemons (run as root).
#
#   trixie        docker.io 26.1.5, containerd 1.7, podman 5.4.2, skopeo
#   sid           docker.io 28.5.2, containerd 2.1, podman 5.8.6, skopeo (and the
#                 containerd/runc that Docker releases built from their tags run with)
#   experimental  podman 6.1.1 (a sid chroot with podman from experimental)
#
# The host is never changed except for the chroot directories themselves, which
# are a cache: an existing chroot that already has its tools is kept as it is.
# Everything comes from the Debian mirror apt is configured with; no other
# network is needed.
#
# Usage: bash scripts/golden/chroots.sh [trixie|sid|experimental ...]
#   CHROOTS=/var/tmp/imageinspect-chroots  where the chroots live (default)
set -euo pipefail
CHROOTS=${CHROOTS:-/var/tmp/imageinspect-chroots}
[[ $EUID -eq 0 ]] || { echo "chroots.sh: must run as root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "chroots.sh: apt-get install debootstrap" >&2; exit 1; }

mirror() {
    # The first deb.debian.org-style URI apt knows for the main archive.
    local uri
    uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
        | grep -v security | grep -oE 'https?://[^ ]+/debian/?' | head -n1)
    echo "${uri:-http://deb.debian.org/debian}"
}

in_chroot() {  # DIR CMD...: run a command in the chroot with /proc mounted, in a private namespace
    local dir=$1; shift
    unshare --mount --propagation private bash -c '
        dir=$1; shift
        mount -t proc proc "$dir/proc"
        mount --rbind /dev "$dir/dev"
        cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
        chroot "$dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"
    ' _ "$dir" "$@"
}

make_chroot() {  # SUITE
    local suite=$1 base=$1 dir=$CHROOTS/$1 extra=()
    [[ $suite == experimental ]] && base=sid
    if [[ -x $dir/usr/bin/podman && -x $dir/usr/bin/skopeo ]]; then
        echo "chroots.sh: $dir is ready" >&2; return
    fi
    mkdir -p "$CHROOTS"
    if [[ $suite == experimental && ! -e $dir && -x $CHROOTS/sid/usr/bin/apt-get ]]; then
        echo "chroots.sh: copying the sid chroot to $dir" >&2
        cp -a "$CHROOTS/sid" "$dir"
    fi
    if [[ ! -x $dir/usr/bin/apt-get ]]; then
        echo "chroots.sh: debootstrap $base into $dir" >&2
        debootstrap --variant=minbase "$base" "$dir" "$(mirror)" >"$CHROOTS/$suite.debootstrap.log" 2>&1 \
            || { tail -n 20 "$CHROOTS/$suite.debootstrap.log" >&2; exit 1; }
    fi
    local opts=(-o Acquire::Check-Valid-Until=false -y -q --no-install-recommends)
    if [[ $suite == experimental ]]; then
        echo "deb $(mirror) experimental main" >"$dir/etc/apt/sources.list.d/experimental.list"
        extra=(-t experimental)
    fi
    in_chroot "$dir" apt-get "${opts[@]}" update >/dev/null
    if [[ $suite == experimental ]]; then
        in_chroot "$dir" apt-get "${opts[@]}" install podman skopeo curl iptables ca-certificates xz-utils \
            crun conmon netavark >/dev/null
        in_chroot "$dir" apt-get "${opts[@]}" "${extra[@]}" install podman >/dev/null
    else
        in_chroot "$dir" apt-get "${opts[@]}" install docker.io docker-cli containerd podman skopeo xz-utils \
            curl iptables ca-certificates crun conmon netavark >/dev/null
    fi
    in_chroot "$dir" apt-get clean
    echo "chroots.sh: $dir ready:" >&2
    in_chroot "$dir" sh -c 'dockerd --version 2>/dev/null; podman --version; skopeo --version' >&2
}

suites=("$@")
[[ ${#suites[@]} -gt 0 ]] || suites=(trixie sid experimental)
for s in "${suites[@]}"; do
    case $s in trixie|sid|experimental) make_chroot "$s" ;; *) echo "chroots.sh: unknown suite $s" >&2; exit 2 ;; esac
done
