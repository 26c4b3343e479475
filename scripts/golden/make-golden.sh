#!/usr/bin/env bash
# make-golden.sh -- build imageinspect's corpus of REAL image documents.
#
# Every document under tests/data/documents/ is the exact byte stream that a
# real tool on this machine wrote (dockerd 20.10, podman 4.3, skopeo 1.9,
# umoci 0.4, docker-registry 2.8).  Nothing is ever re-encoded: files are
# copied from `docker save` tars, OCI layout blob dirs, or saved straight from
# the registry's HTTP response body with curl.  Each file is named by the
# sha256 hex of its bytes.
#
# Outputs (rebuilt from scratch on every run, so the script is idempotent):
#   tests/data/documents/{configs,manifests,schema1,indexes}/<sha256 hex>
#   tests/data/documents/TOOLS.txt        tool versions
#   tests/data/documents/PROVENANCE.md    one line per file: kind, tool, command, byte shape
#   examples/{config,manifest,manifest-list}.json   three of the above, for the README
#   tests/data/golden/                    what `docker image inspect` (CLI 20.10 and
#       CLI 28), the engine API, `podman image inspect`, `docker history` print,
#       one dir per case under inspect/, plus config bytes, docker/podman save
#       tars and meta.json (code: inspect-cases.sh + meta.py; see its README.md);
#       the same images after `docker load` into fresh vfs / overlay2 daemons and
#       skopeo/umoci layouts under layouts/ (code: after-load.sh)
#
# One command regenerates everything:
#     bash scripts/golden/make-golden.sh                    (as root)
# GOLDEN_INSTALL=inspect still builds and checks the documents but only installs
# tests/data/golden (leaves tests/data/documents and examples/ untouched);
# GOLDEN_INSTALL=documents is the reverse; GOLDEN_INSTALL=none builds and checks
# everything and installs nothing.  Default: all.
# GOLDEN_ONLY=writers runs only the writers section (writers.sh: do docker load,
# podman load and skopeo accept what imageinspect.testing.writers writes?) and
# installs only tests/data/golden/writers (GOLDEN_INSTALL=none: not even that).
#
# Sandbox (see ../../../shared/reference/docker-20.10-observed.md section 1):
#   * a scratch dir from `mktemp -d` holds everything the tools write;
#   * the script re-executes itself under `unshare --mount` (private mount
#     namespace), overlay-mounts /etc, /var/lib and /run with upper dirs in the
#     scratch dir, and bind-mounts plain scratch dirs over /var/lib/docker,
#     /var/lib/containers/storage, /var/lib/docker-registry and /var/tmp.
#     So the tools use their standard paths, and the host's real /etc,
#     /var/lib, /run and /var/tmp are never written;
#   * dockerd (vfs) and the registry (127.0.0.1:5000) are started here and
#     stopped by the PIDs we started; cgroup dirs dockerd creates under
#     /sys/fs/cgroup/*/docker (cgroups are not namespaced) are rmdir'ed again.
#   * no network is needed: every image is FROM scratch, no RUN.
#
# Usage: bash scripts/golden/make-golden.sh        (as root)
set -euo pipefail
GOLDEN_INSTALL=${GOLDEN_INSTALL:-all}
case $GOLDEN_INSTALL in all|inspect|documents|none) ;; *) echo "GOLDEN_INSTALL must be all, inspect, documents or none" >&2; exit 2 ;; esac
GOLDEN_ONLY=${GOLDEN_ONLY:-}
case $GOLDEN_ONLY in ""|writers) ;; *) echo "GOLDEN_ONLY must be empty or writers" >&2; exit 2 ;; esac
export GOLDEN_INSTALL GOLDEN_ONLY

SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
SCRIPT_DIR=$(dirname "$SCRIPT")
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
DOCS=$REPO/tests/data/documents
GOLDEN=$REPO/tests/data/golden
EXAMPLES=$REPO/examples

die() { echo "make-golden: ERROR: $*" >&2; exit 1; }
say() { echo "make-golden: $*" >&2; }

# ---------------------------------------------------------------------------
# Stage 1 (outer): make the scratch dir, enter a private mount namespace,
# clean up afterwards (scratch dir + cgroup dirs dockerd created).
# ---------------------------------------------------------------------------
if [[ "${1:-}" != "--inside" ]]; then
    [[ $EUID -eq 0 ]] || die "must run as root (needs unshare/mount/dockerd)"
    for tool in unshare mount dockerd /usr/bin/docker podman skopeo umoci docker-registry curl jq python3 tar sha256sum; do
        command -v "$tool" >/dev/null || die "missing tool: $tool"
    done

    SCRATCH=$(mktemp -d /tmp/imageinspect-golden.XXXXXXXX)
    # cgroup dirs that already exist are not ours and must not be touched.
    declare -A CG_BEFORE=()
    for d in /sys/fs/cgroup/*/docker; do [[ -d $d ]] && CG_BEFORE[$d]=1; done

    cleanup_outer() {
        local rc=$?
        trap - EXIT
        for d in /sys/fs/cgroup/*/docker; do
            [[ -d $d && -z ${CG_BEFORE[$d]:-} ]] || continue
            # depth-first: child cgroups (none expected) before the docker dir
            find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || say "warning: could not rmdir $d"
        done
        rm -rf --one-file-system "$SCRATCH" || say "warning: could not remove $SCRATCH"
        exit "$rc"
    }
    trap cleanup_outer EXIT
    trap 'exit 130' INT TERM

    rc=0
    unshare --mount --propagation private -- bash "$SCRIPT" --inside "$SCRATCH" || rc=$?
    exit "$rc"
fi

# ---------------------------------------------------------------------------
# Stage 2 (inside the private mount namespace).
# ---------------------------------------------------------------------------
SCRATCH=$2
W=$SCRATCH/work          # build contexts, saved tars, OCI layouts
LOGS=$SCRATCH/logs       # daemon logs (printed on failure)
OUT=$SCRATCH/out         # the corpus, copied into the repo only at the very end
REG=127.0.0.1:5000
DOCKER=/usr/bin/docker   # the 20.10 CLI: it has BuildKit built in (/usr/local/bin/docker is CLI 28 without buildx)
mkdir -p "$W" "$LOGS" "$OUT"/{configs,manifests,schema1,indexes}

PIDS=()                  # daemons we started, in start order
CTD_PIDS=()              # containerds started by the extra dockerds of after-load.sh
cleanup_inner() {
    local rc=$?
    trap - EXIT
    if [[ $rc -ne 0 ]]; then
        say "FAILED (rc=$rc); last daemon log lines:"
        for f in "$LOGS"/*.log; do [[ -f $f ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
    fi
    # containerd is started by dockerd; remember its pid in case dockerd dies first.
    local ctd=""; [[ -f /run/docker/containerd/containerd.pid ]] && ctd=$(cat /run/docker/containerd/containerd.pid)
    local i pid
    for ((i=${#PIDS[@]}-1; i>=0; i--)); do
        pid=${PIDS[i]}
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && { say "pid $pid ignored TERM, killing"; kill -KILL "$pid" 2>/dev/null || true; }
        wait "$pid" 2>/dev/null || true
    done
    for pid in $ctd "${CTD_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true; sleep 1; kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    exit "$rc"
}
trap cleanup_inner EXIT
trap 'exit 130' INT TERM

# --- mounts -----------------------------------------------------------------
# Overlay /etc, /var/lib, /run: reads see the host, writes land in $SCRATCH.
for d in /etc /var/lib /run; do
    n=$SCRATCH/ovl${d//\//_}
    mkdir -p "$n/upper" "$n/work"
    mount -t overlay overlay -o "lowerdir=$d,upperdir=$n/upper,workdir=$n/work" "$d"
done
# Data roots are plain dirs (no overlay below: the storage drivers and podman's
# archive unpacking want a real filesystem); /var/tmp is where podman/buildah
# put temp files whatever TMPDIR says.
for d in /var/lib/docker /var/lib/containers/storage /var/lib/docker-registry /var/tmp; do
    src=$SCRATCH/data${d//\//_}
    mkdir -p "$src" "$d"
    mount --bind "$src" "$d"
done

# --- environment --------------------------------------------------------------
export HOME=$SCRATCH/home TMPDIR=/var/tmp
mkdir -p "$HOME"
unset XDG_RUNTIME_DIR XDG_CONFIG_HOME DOCKER_CONFIG DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH \
      CONTAINERS_CONF CONTAINERS_STORAGE_CONF CONTAINERS_REGISTRIES_CONF REGISTRY_AUTH_FILE || true
export DOCKER_HOST=unix:///run/docker.sock
export LC_ALL=C.UTF-8
export GOTRACEBACK=none

# podman with the flags from the reference notes (vfs, standard paths inside the namespace)
pm() {
    podman --storage-driver vfs --root /var/lib/containers/storage --runroot /run/containers/storage \
        --tmpdir /run/libpod --cgroup-manager cgroupfs --events-backend file "$@"
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
    local secs=$1 what=$2; shift 2
    local i
    for ((i=0; i<secs*4; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.25
    done
    die "timed out waiting for $what"
}

STEPS=()                 # human summary of what was done
step() { STEPS+=("$*"); say "== $*"; }

# ---------------------------------------------------------------------------
# Corpus bookkeeping
# ---------------------------------------------------------------------------
declare -A PROV=()       # hex -> "kind|produced by"
declare -A ALSO=()       # hex -> other producers of identical bytes
ORDER=()

# record KIND FILE "tool + command"  -> copies FILE to $OUT/KIND/<sha256>, sets REC_HEX.
# (Not called in $(...): it must update the bookkeeping arrays of this shell.)
record() {
    local kind=$1 file=$2 how=$3 hex
    [[ -s $file ]] || die "record: empty or missing $file ($how)"
    python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read())' "$file" \
        || die "record: $file is not JSON ($how)"
    hex=$(sha256sum "$file" | cut -d' ' -f1)
    if [[ -n ${PROV[$hex]:-} ]]; then
        if [[ ${PROV[$hex]%%|*} != "$kind" ]]; then die "record: $hex recorded as ${PROV[$hex]%%|*} and $kind"; fi
        ALSO[$hex]+="; ${how}"
    else
        cp "$file" "$OUT/$kind/$hex"
        PROV[$hex]="$kind|$how"
        ORDER+=("$hex")
    fi
    REC_HEX=$hex
}

# Media types
MT_V2S2=application/vnd.docker.distribution.manifest.v2+json
MT_LIST=application/vnd.docker.distribution.manifest.list.v2+json
MT_OCI_M=application/vnd.oci.image.manifest.v1+json
MT_OCI_I=application/vnd.oci.image.index.v1+json
MT_S1=application/vnd.docker.distribution.manifest.v1+prettyjws

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# reg_get NAME REF ACCEPT OUTFILE -> body in OUTFILE, headers in OUTFILE.h.
# ACCEPT "" sends no Accept header at all (curl's default "*/*" is removed).
reg_get() {
    local name=$1 ref=$2 accept=$3 out=$4
    local hdr=(-H "Accept:")
    [[ -n $accept ]] && hdr=(-H "Accept: $accept")
    curl -sS -f "${hdr[@]}" -D "$out.h" -o "$out" "http://$REG/v2/$name/manifests/$ref"
}
header() { grep -i "^$2:" "$1.h" | tail -n1 | cut -d: -f2- | tr -d ' \r'; }

# blob_get NAME DIGEST OUTFILE (verifies the digest)
blob_get() {
    curl -sS -f -L -o "$3" "http://$REG/v2/$1/blobs/$2"
    [[ "sha256:$(sha_of "$3")" == "$2" ]] || die "blob $1@$2: digest mismatch"
}

N=0; tmpf() { N=$((N+1)); echo "$W/dl.$N"; }

# fetch_manifest NAME REF MEDIATYPE "how"  -- GET a manifest or index from the
# registry with exactly that Accept header, record it, then recurse into its
# children (by digest) and its config blob.
fetch_manifest() {
    local name=$1 ref=$2 mt=$3 how=$4 f ctype dig hex
    f=$(tmpf)
    reg_get "$name" "$ref" "$mt" "$f"
    ctype=$(header "$f" Content-Type)
    [[ $ctype == "$mt" ]] || die "$name:$ref served as '$ctype', wanted $mt"
    dig=$(header "$f" Docker-Content-Digest)
    [[ $dig == "sha256:$(sha_of "$f")" ]] || die "$name:$ref: Docker-Content-Digest $dig != body sha256"
    case $mt in
        "$MT_LIST"|"$MT_OCI_I")
            record indexes "$f" "$how; GET /v2/$name/manifests/$ref (Accept: $mt) from registry 2.8"; hex=$REC_HEX
            local child cmt
            while read -r -u 3 child cmt; do
                fetch_manifest "$name" "$child" "$cmt" "$how (child of ${hex:0:12})"
            done 3< <(jq -r '.manifests[] | "\(.digest) \(.mediaType)"' "$f")
            ;;
        *)
            record manifests "$f" "$how; GET /v2/$name/manifests/$ref (Accept: $mt) from registry 2.8"; hex=$REC_HEX
            local cfg c
            cfg=$(jq -r '.config.digest' "$f"); c=$(tmpf)
            blob_get "$name" "$cfg" "$c"
            record configs "$c" "$how; config blob GET /v2/$name/blobs/$cfg from registry 2.8"
            ;;
    esac
    LAST_HEX=$hex
}

# fetch_schema1 NAME TAG "how" -- registry 2.8 converts a v2s2 manifest to a
# signed schema1 one when the GET (by tag) carries no Accept header.
fetch_schema1() {
    local f ctype
    f=$(tmpf)
    reg_get "$1" "$2" "" "$f"
    ctype=$(header "$f" Content-Type)
    [[ $ctype == "$MT_S1" ]] || die "$1:$2 without Accept served as '$ctype', expected $MT_S1"
    record schema1 "$f" "$3; GET /v2/$1/manifests/$2 with NO Accept header: registry 2.8 schema1 conversion, signed with the registry's ephemeral key"
}

# collect_layout DIR "how" -- an OCI image layout: index.json, every manifest
# or nested index blob it references, and their config blobs (exact blob files).
collect_layout() {
    local dir=$1 how=$2
    record indexes "$dir/index.json" "$how; OCI layout index.json"
    _layout_walk "$dir" "$dir/index.json" "$how"
}
_layout_walk() {
    local dir=$1 idx=$2 how=$3 dig mt blob
    while read -r -u 3 dig mt; do
        blob=$dir/blobs/sha256/${dig#sha256:}
        case $mt in
            "$MT_LIST"|"$MT_OCI_I")
                record indexes "$blob" "$how; nested index blob $dig"
                _layout_walk "$dir" "$blob" "$how" ;;
            *)
                record manifests "$blob" "$how; manifest blob $dig in the OCI layout"
                local cfg; cfg=$(jq -r '.config.digest' "$blob")
                record configs "$dir/blobs/sha256/${cfg#sha256:}" "$how; config blob $cfg in the OCI layout" ;;
        esac
    done 3< <(jq -r '.manifests[] | "\(.digest) \(.mediaType)"' "$idx")
}

# docker_save_config IMAGE "how" -- the config member <hex>.json of `docker save`.
docker_save_config() {
    local img=$1 how=$2 tarf cfg f
    tarf=$W/save.${img//[\/:]/_}.tar
    "$DOCKER" save -o "$tarf" "$img"
    cfg=$(tar -xOf "$tarf" manifest.json | jq -r '.[0].Config')
    f=$(tmpf)
    tar -xOf "$tarf" "$cfg" > "$f"
    [[ "$(sha_of "$f").json" == "$cfg" ]] || die "docker save $img: $cfg does not hash to its name"
    record configs "$f" "$how; \`docker save\` member $cfg (dockerd imagedb bytes)"; LAST_HEX=$REC_HEX
}

# docker_push IMAGE NAME "how" -- push to the registry, fetch the v2s2 manifest,
# its config, and the schema1 conversion.
docker_push() {
    local img=$1 name=$2 how=$3
    "$DOCKER" tag "$img" "$REG/$name:1"
    "$DOCKER" push -q "$REG/$name:1" >/dev/null
    fetch_manifest "$name" 1 "$MT_V2S2" "$how; docker push $REG/$name:1"
    fetch_schema1 "$name" 1 "$how; docker push $REG/$name:1"
}

# ---------------------------------------------------------------------------
# GOLDEN_ONLY=writers: just the writers section (no registry, no main dockerd;
# writers.sh starts its own fresh daemons and podman stores).
# ---------------------------------------------------------------------------
if [[ $GOLDEN_ONLY == writers ]]; then
    # shellcheck source=inspect-cases.sh
    source "$SCRIPT_DIR/inspect-cases.sh"  # cap, engine, GOLD
    # shellcheck source=after-load.sh
    source "$SCRIPT_DIR/after-load.sh"     # al_start, al_stop
    # shellcheck source=writers.sh
    source "$SCRIPT_DIR/writers.sh"
    writers_corpus
    writers_check
    if [[ $GOLDEN_INSTALL != none ]]; then
        step "install into $GOLDEN/writers (nothing else is touched)"
        rm -rf "$GOLDEN/writers"
        cp -a "$WG" "$GOLDEN/writers"
    fi
    echo
    echo "================ make-golden summary (GOLDEN_ONLY=writers) ================"
    for s in "${STEPS[@]}"; do echo "  ok  $s"; done
    echo "  writers: $(find "$WG" -type f | wc -l) files $(du -sb "$WG" | cut -f1) bytes"
    [[ $GOLDEN_INSTALL != none ]] && echo "  installed: $GOLDEN/writers" || echo "  installed: nothing (GOLDEN_INSTALL=none)"
    echo "==========================================================================="
    exit 0
fi

# ---------------------------------------------------------------------------
# 1. Tool versions
# ---------------------------------------------------------------------------
step "record tool versions"
{
    echo "# Tools that produced tests/data/documents (written by scripts/golden/make-golden.sh)"
    echo "debian: $(cat /etc/debian_version)"
    echo "kernel: $(uname -sr)"
    echo
    echo "## packages (dpkg-query)"
    dpkg-query -W -f '${Package} ${Version}\n' docker.io containerd runc podman buildah skopeo umoci docker-registry curl 2>/dev/null || true
    echo
    echo "## dockerd --version";          dockerd --version
    echo "## $DOCKER --version";           "$DOCKER" --version
    echo "## podman --version";           podman --version
    echo "## buildah --version";          buildah --version 2>/dev/null || echo "(absent)"
    echo "## skopeo --version";           skopeo --version
    echo "## umoci --version";            umoci --version
    echo "## docker-registry --version";  docker-registry --version
    echo "## curl --version | head -1";   curl --version | head -n1
} > "$OUT/TOOLS.txt"

# ---------------------------------------------------------------------------
# 2. Daemons: registry on 127.0.0.1:5000, dockerd (vfs, no networking setup)
# ---------------------------------------------------------------------------
step "start docker-registry on $REG"
cat > "$SCRATCH/registry.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
  delete:
    enabled: true
http:
  addr: $REG
EOF
docker-registry serve "$SCRATCH/registry.yml" > "$LOGS/registry.log" 2>&1 &
PIDS+=($!)
wait_for 30 "registry" curl -sf "http://$REG/v2/"

step "start dockerd (vfs)"
env DOCKER_TMPDIR=/var/lib/docker/tmpdir dockerd --storage-driver=vfs \
    --iptables=false --ip6tables=false --bridge=none --ip-forward=false --ip-masq=false \
    --userland-proxy=false --data-root=/var/lib/docker --exec-root=/run/docker \
    -H unix:///run/docker.sock --pidfile=/run/docker.pid > "$LOGS/dockerd.log" 2>&1 &
PIDS+=($!)
wait_for 60 "dockerd" "$DOCKER" version
"$DOCKER" version >> "$OUT/TOOLS.txt"
echo "## podman version" >> "$OUT/TOOLS.txt"; pm version >> "$OUT/TOOLS.txt"

# ---------------------------------------------------------------------------
# 3. Build contexts (here-docs; all FROM scratch, no RUN)
# ---------------------------------------------------------------------------
mkdir -p "$W/ctx/legacy/dir/sub" "$W/ctx/shell" "$W/ctx/buildkit" "$W/ctx/arm64" "$W/ctx/podman/dir" "$W/import-root/etc"
printf 'alpha\n'           > "$W/ctx/legacy/a.txt"
printf 'bravo bravo\n'     > "$W/ctx/legacy/b.txt"
printf 'nested file\n'     > "$W/ctx/legacy/dir/n.txt"
printf 'deeper\n'          > "$W/ctx/legacy/dir/sub/d.txt"
ln -sf n.txt                 "$W/ctx/legacy/dir/link"

# Legacy builder, exec forms and as many metadata instructions as possible.
cat > "$W/ctx/legacy/Dockerfile" <<'EOF'
FROM scratch
MAINTAINER Golden Maintainer <golden@example.invalid>
LABEL org.opencontainers.image.title="golden <legacy> & co" \
      org.example.unicode="héllo wörld ☃ 日本語 ü" \
      org.example.empty="" \
      org.example.quote="say \"hi\" & <bye>"
ENV GREETING="héllo <world> & ☃" \
    SPACED="a  b   c" \
    TABBED="x\ty"
EXPOSE 80/tcp 53/udp 8080 9000-9001/tcp
VOLUME ["/data", "/var/log/app"]
HEALTHCHECK --interval=1m30s --timeout=5s --start-period=10s500ms --retries=4 CMD ["/app/check", "--quick"]
ONBUILD COPY . /onbuild
ONBUILD LABEL org.example.child="yes"
COPY a.txt /app/a.txt
COPY dir/ /app/dir/
WORKDIR /app
COPY b.txt ./
USER 1000:1000
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/bin", "--flag=<x>&y"]
CMD ["--help"]
EOF

# Legacy builder, shell forms (+ SHELL, HEALTHCHECK shell form, last step COPY).
printf 'shell-form\n' > "$W/ctx/shell/s.txt"
cat > "$W/ctx/shell/Dockerfile" <<'EOF'
FROM scratch
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
ENV MODE=shell LANG=C.UTF-8
ENTRYPOINT /app/run --mode "$MODE" > /dev/null
CMD echo "hello & <goodbye>"
HEALTHCHECK --interval=30s --retries=2 CMD /app/check || exit 1
STOPSIGNAL 9
USER nobody
WORKDIR /srv/work
COPY s.txt /srv/work/s.txt
EOF

# BuildKit (the 20.10 CLI's built-in session).
printf 'buildkit one\n' > "$W/ctx/buildkit/one.txt"
printf 'buildkit two\n' > "$W/ctx/buildkit/two.txt"
cat > "$W/ctx/buildkit/Dockerfile" <<'EOF'
FROM scratch
ARG VERSION=1.2.3
LABEL org.opencontainers.image.version="${VERSION}" org.example.builder="buildkit <bk> & ☃"
ENV APP_VERSION=${VERSION} GREETING="grüße <bk>"
COPY one.txt /one.txt
COPY --chown=1000:1000 two.txt /opt/two.txt
EXPOSE 443 5353/udp
VOLUME /cache
HEALTHCHECK --interval=15s --timeout=3s CMD ["/one.txt"]
USER 1000
WORKDIR /opt
ENTRYPOINT ["/opt/app"]
CMD ["serve"]
EOF

# A foreign platform FROM scratch (no emulation needed without RUN).
printf 'arm64 payload\n' > "$W/ctx/arm64/arm.txt"
# NB: COPY must come first.  With the 20.10 legacy builder a metadata step
# (LABEL, CMD, ...) before the first COPY commits an intermediate image as
# linux/amd64, and the COPY then fails with "image with reference sha256:...
# was found but does not match the specified platform: wanted linux/arm64,
# actual: linux/amd64".
cat > "$W/ctx/arm64/Dockerfile" <<'EOF'
FROM scratch
COPY arm.txt /arm.txt
LABEL org.example.platform="linux/arm64"
CMD ["/arm.txt"]
EOF

# podman / buildah (HEALTHCHECK, ONBUILD, SHELL only survive --format docker).
printf 'podman hello\n' > "$W/ctx/podman/hello.txt"
printf 'podman nested\n' > "$W/ctx/podman/dir/nested.txt"
cat > "$W/ctx/podman/Containerfile" <<'EOF'
FROM scratch
LABEL org.example.tool="podman" org.example.text="a<b>&c ☃"
ENV GREETING="héllo <podman> & ☃"
COPY hello.txt /hello.txt
COPY dir/ /dir/
EXPOSE 8080/tcp 53/udp
VOLUME /data
HEALTHCHECK --interval=20s --timeout=2s --retries=5 CMD ["/hello.txt"]
ONBUILD COPY . /onbuild
WORKDIR /dir
USER 1000
STOPSIGNAL SIGINT
ENTRYPOINT ["/hello"]
CMD ["--version"]
EOF
cat > "$W/ctx/podman/Containerfile.arch" <<'EOF'
FROM scratch
ARG TARGETARCH
LABEL org.example.arch="${TARGETARCH}"
COPY hello.txt /hello.txt
ENTRYPOINT ["/hello.txt"]
EOF

printf 'imported\n' > "$W/import-root/hello"
printf 'golden:x:1000:1000::/:/hello\n' > "$W/import-root/etc/passwd"

# ---------------------------------------------------------------------------
# 4. Docker images: build, save (config), push (manifest + schema1)
# ---------------------------------------------------------------------------
step "docker build (legacy builder, exec forms, unicode/<>& labels, healthcheck, onbuild)"
DOCKER_BUILDKIT=0 "$DOCKER" build -q -t golden/legacy:1 "$W/ctx/legacy" >/dev/null
docker_save_config golden/legacy:1 "dockerd 20.10 DOCKER_BUILDKIT=0 docker build (legacy builder, Dockerfile: LABEL/ENV unicode+<>&, EXPOSE tcp+udp, VOLUME, HEALTHCHECK, ONBUILD, 3x COPY, WORKDIR, USER, STOPSIGNAL, exec ENTRYPOINT/CMD)"
EX_CONFIG=$LAST_HEX
docker_push golden/legacy:1 golden/legacy "DOCKER_BUILDKIT=0 docker build (legacy builder, full Dockerfile)"
EX_MANIFEST=$LAST_HEX

step "docker build (legacy builder, shell forms)"
DOCKER_BUILDKIT=0 "$DOCKER" build -q -t golden/shell:1 "$W/ctx/shell" >/dev/null
docker_save_config golden/shell:1 "dockerd 20.10 DOCKER_BUILDKIT=0 docker build (legacy builder, SHELL, shell-form ENTRYPOINT/CMD/HEALTHCHECK, last step COPY)"
docker_push golden/shell:1 golden/shell "DOCKER_BUILDKIT=0 docker build (legacy builder, shell forms)"

step "docker build (BuildKit)"
DOCKER_BUILDKIT=1 "$DOCKER" build --network none -q -t golden/buildkit:1 "$W/ctx/buildkit" >/dev/null
docker_save_config golden/buildkit:1 "dockerd 20.10 DOCKER_BUILDKIT=1 docker build --network none (BuildKit, ARG/LABEL/ENV/COPY --chown/EXPOSE/VOLUME/HEALTHCHECK/USER/WORKDIR)"
docker_push golden/buildkit:1 golden/buildkit "DOCKER_BUILDKIT=1 docker build --network none (BuildKit)"

step "docker build --platform linux/arm64 (legacy builder and BuildKit)"
DOCKER_BUILDKIT=0 "$DOCKER" build --platform linux/arm64 -q -t golden/arm64-legacy:1 "$W/ctx/arm64" >/dev/null
docker_save_config golden/arm64-legacy:1 "dockerd 20.10 DOCKER_BUILDKIT=0 docker build --platform linux/arm64 FROM scratch"
docker_push golden/arm64-legacy:1 golden/arm64-legacy "DOCKER_BUILDKIT=0 docker build --platform linux/arm64"
DOCKER_BUILDKIT=1 "$DOCKER" build --network none --platform linux/arm64 -q -t golden/arm64-buildkit:1 "$W/ctx/arm64" >/dev/null
docker_save_config golden/arm64-buildkit:1 "dockerd 20.10 DOCKER_BUILDKIT=1 docker build --platform linux/arm64 FROM scratch"
docker_push golden/arm64-buildkit:1 golden/arm64-buildkit "DOCKER_BUILDKIT=1 docker build --platform linux/arm64"

step "docker import (a small tar, with --change and --message)"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$W/import-root" -cf "$W/import.tar" .
"$DOCKER" import --change 'ENV IMPORTED=yes' --change 'CMD ["/hello"]' --change 'LABEL org.example.imported="tar <file> & more"' \
    --message 'golden import <msg>' "$W/import.tar" golden/import:1 >/dev/null
docker_save_config golden/import:1 "dockerd 20.10 docker import --change ENV/CMD/LABEL --message FILE"
docker_push golden/import:1 golden/import "docker import"
"$DOCKER" import "$W/import.tar" golden/import-plain:1 >/dev/null
docker_save_config golden/import-plain:1 "dockerd 20.10 docker import FILE (no --change: all-zero Config)"

# ---------------------------------------------------------------------------
# 5. podman images: build --format docker / oci, push v2s2 / oci
# ---------------------------------------------------------------------------
step "podman build --format docker / --format oci"
pm build -q --format docker -t localhost/golden/podman-docker:1 -f "$W/ctx/podman/Containerfile" "$W/ctx/podman" >/dev/null
pm build -q --format oci    -t localhost/golden/podman-oci:1    -f "$W/ctx/podman/Containerfile" "$W/ctx/podman" >/dev/null 2>"$LOGS/podman-oci-build.warn"

step "podman push --format v2s2 / oci to the registry"
pm push -q --tls-verify=false --format v2s2 localhost/golden/podman-docker:1 "docker://$REG/golden/podman-docker:1"
fetch_manifest golden/podman-docker 1 "$MT_V2S2" "podman build --format docker; podman push --format v2s2"
fetch_schema1  golden/podman-docker 1 "podman build --format docker; podman push --format v2s2"
pm push -q --tls-verify=false --format oci localhost/golden/podman-oci:1 "docker://$REG/golden/podman-oci:1"
fetch_manifest golden/podman-oci 1 "$MT_OCI_M" "podman build --format oci; podman push --format oci"
pm push -q --tls-verify=false --format oci localhost/golden/podman-docker:1 "docker://$REG/golden/podman-docker-as-oci:1"
fetch_manifest golden/podman-docker-as-oci 1 "$MT_OCI_M" "podman build --format docker; podman push --format oci (converted)"

# The config exactly as podman's storage holds it (skopeo reads containers-storage).
CS="containers-storage:[vfs@/var/lib/containers/storage+/run/containers/storage]"
for img in podman-docker podman-oci; do
    f=$(tmpf)
    skopeo inspect --raw --config "${CS}localhost/golden/$img:1" > "$f"
    record configs "$f" "podman build --format ${img#podman-}; skopeo inspect --raw --config containers-storage:localhost/golden/$img:1"
done

# ---------------------------------------------------------------------------
# 6. Multi-platform: podman manifest create/add/push (OCI index, Docker list)
# ---------------------------------------------------------------------------
step "podman manifest create/add/push --all (--format oci and v2s2)"
# --no-cache is required: podman 4.3's layer cache ignores --platform, so the
# second build silently reuses the first (amd64) image and the "arm64" image
# comes out as amd64 with the same ID.
for platform in linux/amd64 linux/arm64/v8; do
    arch=${platform#linux/}; arch=${arch%%/*}
    pm build -q --no-cache --format oci --platform "$platform" -t "localhost/golden/podman-$arch:1" \
        -f "$W/ctx/podman/Containerfile.arch" "$W/ctx/podman" >/dev/null
done
pm manifest create localhost/golden/multi:1 >/dev/null
pm manifest add localhost/golden/multi:1 "containers-storage:localhost/golden/podman-amd64:1" >/dev/null
pm manifest add --annotation org.example.note="arm <64> & co" \
    localhost/golden/multi:1 "containers-storage:localhost/golden/podman-arm64:1" >/dev/null
pm manifest push -q --all --tls-verify=false --format oci  localhost/golden/multi:1 "docker://$REG/golden/multi-oci:1"
fetch_manifest golden/multi-oci 1 "$MT_OCI_I" "podman manifest create/add (amd64 + arm64 v8); podman manifest push --all --format oci"
pm manifest push -q --all --tls-verify=false --format v2s2 localhost/golden/multi:1 "docker://$REG/golden/multi-v2s2:1"
fetch_manifest golden/multi-v2s2 1 "$MT_LIST" "podman manifest create/add (amd64 + arm64 v8); podman manifest push --all --format v2s2"
EX_LIST=$LAST_HEX

# ---------------------------------------------------------------------------
# 7. skopeo: registry -> OCI layouts, index -> Docker manifest list,
#    docker-archive -> OCI layout
# ---------------------------------------------------------------------------
step "skopeo copy docker:// -> oci: layouts"
skopeo copy -q --src-tls-verify=false "docker://$REG/golden/legacy:1" "oci:$W/oci-legacy:legacy"
skopeo copy -q --src-tls-verify=false "docker://$REG/golden/buildkit:1" "oci:$W/oci-legacy:buildkit"
collect_layout "$W/oci-legacy" "skopeo copy docker://$REG/golden/{legacy,buildkit}:1 oci:<dir>:{legacy,buildkit} (one layout, two tags; v2s2 -> OCI conversion)"
skopeo copy -q --src-tls-verify=false --all "docker://$REG/golden/multi-oci:1" "oci:$W/oci-multi:multi"
collect_layout "$W/oci-multi" "skopeo copy --all docker://$REG/golden/multi-oci:1 oci:<dir>:multi"

step "skopeo copy --all --format v2s2 (OCI index -> Docker manifest list)"
skopeo copy -q --all --format v2s2 --src-tls-verify=false --dest-tls-verify=false \
    "docker://$REG/golden/multi-oci:1" "docker://$REG/golden/multi-skopeo-v2s2:1"
fetch_manifest golden/multi-skopeo-v2s2 1 "$MT_LIST" "skopeo copy --all --format v2s2 docker://$REG/golden/multi-oci:1 docker://$REG/golden/multi-skopeo-v2s2:1"

step "skopeo copy docker-archive: (a docker save tar) -> oci:"
skopeo copy -q "docker-archive:$W/save.golden_legacy_1.tar" "oci:$W/oci-archive:legacy"
collect_layout "$W/oci-archive" "skopeo copy docker-archive:<docker save of golden/legacy:1> oci:<dir>:legacy"

# ---------------------------------------------------------------------------
# 8. umoci: init/new/config/insert (run in $W with relative paths so that no
#    scratch path ends up in the history entries)
# ---------------------------------------------------------------------------
step "umoci init/new/config/insert"
(
    cd "$W"
    mkdir -p umoci-src
    printf 'umoci payload\n' > umoci-src/payload.txt
    umoci init --layout umoci-layout
    umoci new --image umoci-layout:golden
    umoci config --image umoci-layout:golden \
        --author 'Golden <golden@example.invalid>' \
        --config.user 1000:1000 \
        --config.env 'GREETING=héllo <umoci> & ☃' --config.env 'PATH=/usr/bin:/bin' \
        --config.entrypoint /app/bin --config.entrypoint=--flag \
        --config.cmd serve \
        --config.exposedports 8080/tcp --config.exposedports 53/udp \
        --config.volume /data \
        --config.workingdir /app \
        --config.label 'org.example.note=a<b>&c ☃' \
        --config.stopsignal SIGTERM \
        --history.comment 'configured by umoci' --history.created_by 'umoci config'
    umoci insert --image umoci-layout:golden --history.created_by 'umoci insert payload.txt /app/payload.txt' \
        umoci-src/payload.txt /app/payload.txt
    umoci new --image umoci-layout:empty
)
collect_layout "$W/umoci-layout" "umoci init + new + config + insert (tags golden, empty)"

# ---------------------------------------------------------------------------
# 9. Checks, PROVENANCE.md, examples, install into the repo
# ---------------------------------------------------------------------------
step "write PROVENANCE.md and check the corpus"
{
    echo "# Provenance of tests/data/documents"
    echo
    echo "Made by \`scripts/golden/make-golden.sh\` with the tools listed in TOOLS.txt (all FROM scratch, no network)."
    echo "Every file is named by the sha256 of its exact bytes; none was re-encoded. \`<dir>\` is a scratch directory."
    echo "Shape notes are computed by \`scripts/golden/shape.py\` from the bytes."
    echo
    echo "| kind | sha256 prefix | produced by (tool + command) | byte shape |"
    echo "|---|---|---|---|"
    for hex in "${ORDER[@]}"; do
        kind=${PROV[$hex]%%|*}; how=${PROV[$hex]#*|}
        [[ -n ${ALSO[$hex]:-} ]] && how+=" (identical bytes also from:${ALSO[$hex]#;})"
        shape=$(python3 "$SCRIPT_DIR/shape.py" "$OUT/$kind/$hex")
        printf '| %s | %s | %s | %s |\n' "$kind" "${hex:0:12}" "${how//|/\\|}" "$shape"
    done
} > "$OUT/PROVENANCE.md"

# No file may mention the scratch dir (history entries, paths ...).
if grep -rlF "$SCRATCH" "$OUT"; then
    grep -rlF "$SCRATCH" "$OUT" >&2
    say "corpus files contain the scratch path $SCRATCH"; exit 3
fi
for f in "$OUT"/*/*; do
    sz=$(stat -c %s "$f")
    (( sz < 65536 )) || die "$f is unexpectedly large ($sz bytes)"
done

# ---------------------------------------------------------------------------
# 10. inspect corpus (tests/data/golden): see inspect-cases.sh
# ---------------------------------------------------------------------------
# shellcheck source=inspect-cases.sh
source "$SCRIPT_DIR/inspect-cases.sh"
# shellcheck source=after-load.sh
source "$SCRIPT_DIR/after-load.sh"     # after-load oracle + layouts/, called by inspect_corpus
inspect_corpus
step "check the inspect corpus (valid JSON, no scratch path)"
inspect_check
# shellcheck source=writers.sh
source "$SCRIPT_DIR/writers.sh"        # our writers' archives through docker/podman/skopeo -> writers/
writers_corpus
writers_check

if [[ $GOLDEN_INSTALL == all || $GOLDEN_INSTALL == documents ]]; then
    step "install into $DOCS and $EXAMPLES"
    rm -rf "$DOCS"
    mkdir -p "$DOCS" "$EXAMPLES"
    cp -a "$OUT"/. "$DOCS"/
    cp "$OUT/configs/$EX_CONFIG"     "$EXAMPLES/config.json"
    cp "$OUT/manifests/$EX_MANIFEST" "$EXAMPLES/manifest.json"
    cp "$OUT/indexes/$EX_LIST"       "$EXAMPLES/manifest-list.json"
fi
if [[ $GOLDEN_INSTALL == all || $GOLDEN_INSTALL == inspect ]]; then
    step "install into $GOLDEN (derived/ is derive.py's and is left alone)"
    rm -rf "$GOLDEN/inspect" "$GOLDEN/layouts" "$GOLDEN/writers"
    mkdir -p "$GOLDEN"
    cp -a "$GOLD"/. "$GOLDEN"/
    step "derive the 23.0-29.x cases from the documented rules (scripts/golden/derive.py)"
    python3 "$SCRIPT_DIR/derive.py"
fi

# ---------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------
echo
echo "================ make-golden summary ================"
for s in "${STEPS[@]}"; do echo "  ok  $s"; done
for kind in configs manifests schema1 indexes; do
    printf '  %-10s %3d files\n' "$kind" "$(find "$OUT/$kind" -type f | wc -l)"
done
echo "  examples: config.json=${EX_CONFIG:0:12} manifest.json=${EX_MANIFEST:0:12} manifest-list.json=${EX_LIST:0:12}"
echo "  inspect cases (${#CASES[@]} + multi):"
for c in "${CASES[@]}" multi; do
    printf '    %-22s %3d files %7d bytes%s\n' "$c" "$(find "$GI/$c" -type f | wc -l)" "$(du -sb "$GI/$c" | cut -f1)" \
        "$(cd "$GI/$c" && ls *.rc 2>/dev/null | sed 's/\.rc$//' | tr '\n' ' ' | sed 's/^./  failed: &/')"
done
echo "  layouts: $(find "$GOLD/layouts" -type f | wc -l) files $(du -sb "$GOLD/layouts" | cut -f1) bytes"
echo "  writers: $(find "$GOLD/writers" -type f | wc -l) files $(du -sb "$GOLD/writers" | cut -f1) bytes"
echo "  golden total: $(du -sb "$GOLD" | cut -f1) bytes"
case $GOLDEN_INSTALL in
    all)       echo "  installed: $DOCS, $EXAMPLES, $GOLDEN" ;;
    inspect)   echo "  installed: $GOLDEN (documents built and checked, not installed)" ;;
    documents) echo "  installed: $DOCS, $EXAMPLES (inspect corpus built and checked, not installed)" ;;
    none)      echo "  installed: nothing (GOLDEN_INSTALL=none)" ;;
esac
echo "====================================================="
