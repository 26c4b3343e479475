#!/bin/bash
# newer-inside.sh -- runs INSIDE a chroot made by chroots.sh (started by
# newer-daemons.sh, which has set up the mounts). Not for direct use.
#
#   newer-inside.sh docker STORE OUT   STORE = vfs | overlay2 | containerd
#   newer-inside.sh podman OUT
#
# Reads /in/archives/<case>.tar (archives to load), /in/layouts/<case>/ (OCI
# layout directories, podman only), /in/builds/<case>/ (legacy-builder
# contexts, docker only). Writes OUT/<case>/<image>/<view> (exact stdout of
# the tool; X.rc / X.stderr / X.http_status beside it when not 0 / empty / 200)
# and OUT/TOOLS.txt. Every daemon it starts is stopped by its PID.
set -uo pipefail
shopt -s nullglob
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 HOME=/root GOTRACEBACK=none TMPDIR=/var/tmp
# a Docker release built from its tag (newer-daemons.sh binds it here): its
# dockerd and docker come first; containerd and runc stay the chroot's
[[ -x /built/bin/dockerd ]] && PATH=/built/bin:$PATH
mode=$1; shift
say() { echo "newer-inside[$mode]: $*" >&2; }

# cap FILE CMD...: stdout to FILE, keep stderr / rc beside it when not empty / 0
cap() {
    local file=$1; shift
    "$@" >"$file" 2>"$file.stderr"
    local rc=$?
    [[ -s $file.stderr ]] || rm -f "$file.stderr"
    [[ $rc -eq 0 ]] || echo "$rc" >"$file.rc"
    return 0
}

# safe NAME: a directory name for an image reference
safe() { printf '%s' "$1" | tr '/:@' '___'; }

if [[ $mode == docker ]]; then
    store=$1 OUT=$2
    mkdir -p "$OUT" /var/lib/docker /run/docker
    args=(--iptables=false --ip6tables=false --bridge=none --ip-forward=false --ip-masq=false
          --userland-proxy=false --data-root=/var/lib/docker --exec-root=/run/docker
          -H unix:///run/docker.sock --pidfile=/run/docker.pid)
    if [[ $store == containerd ]]; then
        echo '{"features": {"containerd-snapshotter": true}}' >/etc/docker/daemon.json
    else
        # a graphdriver, also where the release's default is the containerd store (29.x)
        echo '{"features": {"containerd-snapshotter": false}}' >/etc/docker/daemon.json
        args+=(--storage-driver="$store")
    fi
    dockerd "${args[@]}" >/var/log/dockerd.log 2>&1 &
    DPID=$!
    stop() {
        local ctd=""
        [[ -f /run/docker/containerd/containerd.pid ]] && ctd=$(cat /run/docker/containerd/containerd.pid)
        kill -TERM "$DPID" 2>/dev/null
        for _ in $(seq 60); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$DPID" 2>/dev/null
        if [[ -n $ctd ]] && kill -0 "$ctd" 2>/dev/null; then
            kill -TERM "$ctd"; sleep 1; kill -KILL "$ctd" 2>/dev/null
        fi
        wait "$DPID" 2>/dev/null
    }
    trap stop EXIT
    export DOCKER_HOST=unix:///run/docker.sock
    for _ in $(seq 240); do docker version >/dev/null 2>&1 && break; sleep 0.25; done
    docker version >/dev/null 2>&1 || { tail -n 30 /var/log/dockerd.log >&2; exit 1; }
    min=$(docker version --format '{{.Server.MinAPIVersion}}')
    max=$(docker version --format '{{.Server.APIVersion}}')
    {
        docker version
        if [[ -f /built/BUILD.txt ]]; then echo "--- built from release tags"; cat /built/BUILD.txt; fi
        echo "--- docker info (Driver, DriverStatus, containerd-snapshotter)"
        docker info --format '{{.Driver}} {{json .DriverStatus}}'
    } >"$OUT/TOOLS.txt" 2>&1
    engine() {  # engine FILE PATH
        local code
        code=$(curl -s -o "$1" -w '%{http_code}' --unix-socket /run/docker.sock "http://localhost$2")
        [[ $code == 200 ]] || echo "$code" >"$1.http_status"
    }
    views() {  # views DIR REF ID
        local d=$1 ref=$2 id=$3 minor
        mkdir -p "$d"
        printf '%s\n' "$ref" >"$d/ref.txt"
        printf '%s\n' "$id" >"$d/id.txt"
        cap "$d/cli.json" docker image inspect "$ref"
        cap "$d/cli-template.jsonl" docker image inspect --format '{{json .}}' "$ref"
        cap "$d/cli-json.json" docker image inspect --format json "$ref"
        cap "$d/history.jsonl" docker history --no-trunc --format '{{json .}}' "$ref"
        for ((minor=${min#1.}; minor<=${max#1.}+1; minor++)); do
            engine "$d/api-v1.$minor.json" "/v1.$minor/images/$id/json"
        done
    }
    clean() {
        local ids
        ids=$(docker images -aq --no-trunc | sort -u)
        [[ -z $ids ]] || docker image rm -f $ids >/dev/null 2>&1
        ids=$(docker images -aq --no-trunc | sort -u)
        [[ -z $ids ]] || docker image rm -f $ids >/dev/null 2>&1
        [[ -z $(docker images -aq) ]] || say "warning: images left: $(docker images -a)"
    }
    for tarf in /in/archives/*.tar; do
        case=$(basename "$tarf" .tar)
        mkdir -p "$OUT/$case"
        # what an earlier case left behind (a name the CLI cannot remove) is not this case's
        docker images -aq --no-trunc | sort -u >"$OUT/$case/before.txt"
        cap "$OUT/$case/load.txt" docker load -i "$tarf"
        if [[ -f $OUT/$case/load.txt.rc ]]; then say "load $case failed (kept)"; clean; continue; fi
        # one view per image the load names ("Loaded image: REF" / "Loaded image ID: ID")
        while IFS= read -r line; do
            ref=${line#Loaded image: }; ref=${ref#Loaded image ID: }
            [[ $ref != "$line" ]] || continue
            id=$(docker image inspect --format '{{.Id}}' "$ref" 2>/dev/null) || continue
            views "$OUT/$case/$(safe "$ref")" "$ref" "$id"
        done <"$OUT/$case/load.txt"
        # an OCI index entry whose name the CLI cannot look up (a bare or
        # malformed ref.name: the store keeps it as written): by its digest
        for id in $(tar -xOf "$tarf" index.json 2>/dev/null | grep -o '"digest" *: *"sha256:[0-9a-f]*"' | grep -o 'sha256:[0-9a-f]*' | sort -u); do
            grep -qxF "$id" "$OUT/$case"/*/id.txt 2>/dev/null && continue
            docker image inspect --format '{{.Id}}' "$id" >/dev/null 2>&1 || continue
            views "$OUT/$case/${id:7:12}" "$id" "$id"
        done
        # images the load did not name (a pre-1.10 archive, Parent chains): by ID
        docker images -a --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}' >"$OUT/$case/images.txt" 2>&1
        for id in $(docker images -aq --no-trunc | sort -u); do
            grep -qxF "$id" "$OUT/$case/before.txt" && continue
            grep -qxF "$id" "$OUT/$case"/*/id.txt 2>/dev/null || views "$OUT/$case/${id:7:12}" "$id" "$id"
        done
        # docker save of every name the load gave (the daemon's own archive format)
        mapfile -t refs < <(sed -n 's/^Loaded image: //p; s/^Loaded image ID: //p' "$OUT/$case/load.txt")
        [[ ${#refs[@]} -eq 0 ]] || cap "$OUT/$case/save.tar" docker save "${refs[@]}"
        # a multi-platform image: also one platform only (where the CLI has --platform)
        if [[ $case == *multi-platform* && ${#refs[@]} -gt 0 ]] && docker save --help 2>/dev/null | grep -q -- --platform; then
            cap "$OUT/$case/save-arm64.tar" docker save --platform linux/arm64/v8 "${refs[@]}"
        fi
        clean
    done
    for ctx in /in/builds/*/; do
        case=build-$(basename "$ctx")
        mkdir -p "$OUT/$case"
        cap "$OUT/$case/build.txt" env DOCKER_BUILDKIT=0 docker build -q -t "case/$case" "$ctx"
        [[ -f $OUT/$case/build.txt.rc ]] && { say "build $case failed (kept)"; continue; }
        docker tag "case/$case" "case/$case:v2"
        docker tag "case/$case" "127.0.0.1:5000/case/$case:1"
        id=$(docker image inspect --format '{{.Id}}' "case/$case")
        views "$OUT/$case/image" "case/$case" "$id"
        cap "$OUT/$case/save.tar" docker save "case/$case" "case/$case:v2"
    done
    # BuildKit (a buildx plugin built from its tag, when newer-daemons.sh
    # binds one): FROM scratch, with whatever attestations it attaches; then
    # the image is saved, removed and loaded again from its own save
    if [[ -x /built-plugins/docker-buildx ]]; then
        mkdir -p /root/.docker/cli-plugins
        ln -sf /built-plugins/docker-buildx /root/.docker/cli-plugins/docker-buildx
        for ctx in /in/builds-buildkit/*/; do
            case=buildkit-$(basename "$ctx")
            mkdir -p "$OUT/$case"
            cap "$OUT/$case/build.txt" docker buildx build --builder default -t "case/$case" "$ctx"
            [[ -f $OUT/$case/build.txt.rc ]] && { say "build $case failed (kept)"; continue; }
            id=$(docker image inspect --format '{{.Id}}' "case/$case")
            views "$OUT/$case/image" "case/$case" "$id"
            cap "$OUT/$case/save.tar" docker save "case/$case"
            clean
            mkdir -p "$OUT/$case-reloaded"
            cp "$OUT/$case/save.tar" "$OUT/$case-reloaded/loaded.tar"
            cap "$OUT/$case-reloaded/load.txt" docker load -i "$OUT/$case-reloaded/loaded.tar"
            id=$(docker image inspect --format '{{.Id}}' "case/$case" 2>/dev/null) &&
                views "$OUT/$case-reloaded/image" "case/$case" "$id"
            clean
        done
    fi
    clean
    exit 0
fi

if [[ $mode == podman ]]; then
    OUT=$1
    mkdir -p "$OUT"
    pm() {
        podman --storage-driver vfs --root /var/lib/containers/storage --runroot /run/containers/storage \
            --tmpdir /run/libpod --cgroup-manager cgroupfs --events-backend file "$@"
    }
    { pm version; skopeo --version; } >"$OUT/TOOLS.txt" 2>&1
    load_views() {  # load_views CASE SOURCE
        local case=$1 src=$2 line ref
        mkdir -p "$OUT/$case"
        cap "$OUT/$case/podman-load.txt" pm load -i "$src"
        while IFS= read -r line; do
            [[ $line == "Loaded image: "* ]] || continue
            ref=${line#Loaded image: }
            # podman prints several names on one line, comma separated
            ref=${ref%%,*}
            mkdir -p "$OUT/$case/$(safe "$ref")"
            printf '%s\n' "$ref" >"$OUT/$case/$(safe "$ref")/ref.txt"
            cap "$OUT/$case/$(safe "$ref")/podman.json" pm image inspect "$ref"
        done <"$OUT/$case/podman-load.txt"
        pm rmi -a -f >/dev/null 2>&1
    }
    for tarf in /in/archives/*.tar; do load_views "$(basename "$tarf" .tar)" "$tarf"; done
    for dir in /in/layouts/*/; do load_views "layout-$(basename "$dir")" "${dir%/}"; done
    exit 0
fi
echo "usage: newer-inside.sh docker STORE OUT | podman OUT" >&2
exit 2
