# after-load.sh -- "after load" oracle and layouts written by other tools.
#
# NOT a stand-alone script: make-golden.sh sources it (next to inspect-cases.sh)
# inside its private mount namespace; inspect_corpus calls after_load_corpus and
# layouts_corpus once every case directory has its docker-save.tar, before the
# per-case meta.json files are written.  Regenerate everything with
#     bash scripts/golden/make-golden.sh
#
# after_load_corpus: each case's docker-save.tar (podman-save.tar for the podman
#   cases) is `docker load`ed into a FRESH dockerd -- its own data root, exec root,
#   socket and pidfile, started here and stopped by its PID -- once with vfs and
#   once with overlay2, and the raw engine body for the image is kept:
#     inspect/<case>/engine-after-load-vfs.json       (+ history-after-load.jsonl)
#     inspect/<case>/engine-after-load-overlay2.json
#   plus a multi-image tar whose manifest.json has Parent links:
#     inspect/multi/parent-chain.tar, parent-chain-after-load-<name>.json
# layouts_corpus: skopeo oci: / oci-archive: / dir: copies of a few docker-save
#   tars and a umoci-built OCI layout, under layouts/ (see the README it writes).
#
# Uses from make-golden.sh / inspect-cases.sh: SCRATCH W LOGS GOLD GI IM CASES
# DOCKER PIDS CTD_PIDS cap engine note say step die wait_for.

AL_DAEMON_PID=""                      # the after-load dockerd now running (at most one)
AL_CTD_PID=""                         # ... and the containerd it started
AL_NAME=""

# al_start NAME DRIVER -- fresh dockerd: /var/lib/docker-NAME (a bind mount of a
# plain scratch dir: overlay2 refuses an overlayfs below it), /run/docker-NAME,
# /run/docker-NAME.sock, /run/docker-NAME.pid.  Sets AL_SOCK.
al_start() {
    local name=$1 driver=$2
    local root=/var/lib/docker-$name exec=/run/docker-$name src=$SCRATCH/data_var_lib_docker-$name
    [[ -z $AL_DAEMON_PID ]] || die "al_start $name: dockerd-$AL_NAME still running"
    mkdir -p "$src" "$root"
    mount --bind "$src" "$root"
    AL_NAME=$name
    AL_SOCK=/run/docker-$name.sock
    env DOCKER_TMPDIR="$root/tmpdir" dockerd --storage-driver="$driver" \
        --iptables=false --ip6tables=false --bridge=none --ip-forward=false --ip-masq=false \
        --userland-proxy=false --data-root="$root" --exec-root="$exec" \
        -H "unix://$AL_SOCK" --pidfile="/run/docker-$name.pid" > "$LOGS/dockerd-$name.log" 2>&1 &
    AL_DAEMON_PID=$!
    PIDS+=("$AL_DAEMON_PID")
    wait_for 60 "dockerd-$name" "$DOCKER" -H "unix://$AL_SOCK" version
    if [[ -f $exec/containerd/containerd.pid ]]; then
        AL_CTD_PID=$(cat "$exec/containerd/containerd.pid")
        CTD_PIDS+=("$AL_CTD_PID")
    fi
    local drv; drv=$("$DOCKER" -H "unix://$AL_SOCK" info --format '{{.Driver}}')
    [[ $drv == "$driver" ]] || die "dockerd-$name runs storage driver '$drv', wanted $driver"
}

# al_stop -- stop the after-load dockerd (and its containerd) by PID, remove its data
al_stop() {
    local name=$AL_NAME pid=$AL_DAEMON_PID
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { say "dockerd-$name ($pid) ignored TERM, killing"; kill -KILL "$pid" 2>/dev/null || true; }
    wait "$pid" 2>/dev/null || true
    if [[ -n $AL_CTD_PID ]]; then
        for _ in $(seq 20); do kill -0 "$AL_CTD_PID" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$AL_CTD_PID" 2>/dev/null && { kill -TERM "$AL_CTD_PID" 2>/dev/null || true; sleep 1; kill -KILL "$AL_CTD_PID" 2>/dev/null || true; }
    fi
    local p keep=()
    for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done; PIDS=("${keep[@]}")
    keep=(); for p in "${CTD_PIDS[@]}"; do [[ $p == "$AL_CTD_PID" ]] || keep+=("$p"); done; CTD_PIDS=("${keep[@]}")
    AL_DAEMON_PID=""; AL_CTD_PID=""; AL_NAME=""
    umount -R "/var/lib/docker-$name" || die "could not unmount /var/lib/docker-$name"
    rm -rf --one-file-system "$SCRATCH/data_var_lib_docker-$name" "/var/lib/docker-$name" "/run/docker-$name" \
        "/run/docker-$name.sock" "/run/docker-$name.pid"
}

# al_tar CASE -> the archive that case's image is loaded from ("" if none)
al_tar() {
    local d=$GI/$1
    if [[ -f $d/docker-save.tar ]]; then echo "$d/docker-save.tar"
    elif [[ -f $d/podman-save.tar ]]; then echo "$d/podman-save.tar"
    fi
}

# al_ref CASE TAR -> what to inspect after the load: the case's docker ref when
# the archive carries it as a RepoTag, else its first RepoTag, else the image ID
# (images saved without a tag load dangling).
al_ref() {
    local c=$1 tarf=$2 want=""
    [[ -f $IM/$c/docker_ref.txt ]] && want=$(cat "$IM/$c/docker_ref.txt")
    tar -xOf "$tarf" manifest.json | python3 -c '
import json, sys
m = json.load(sys.stdin)[0]
tags = m.get("RepoTags") or []
want = sys.argv[1]
if want in tags:
    print(want)
elif tags:
    print(tags[0])
else:
    print("sha256:" + m["Config"].split("/")[-1].removesuffix(".json"))' "$want"
}

# al_load_all DRIVER -- fresh daemon, load every case, capture the bodies
al_load_all() {
    local driver=$1 c tarf ref d
    step "after-load oracle: fresh dockerd --storage-driver=$driver, docker load of every case"
    al_start "$driver" "$driver"
    for c in "${CASES[@]}"; do
        d=$GI/$c
        tarf=$(al_tar "$c")
        if [[ -z $tarf ]]; then
            [[ $driver == vfs ]] && note "$c" "no engine-after-load-*.json: there is no docker-save.tar (docker save failed) to load"
            continue
        fi
        if ! "$DOCKER" -H "unix://$AL_SOCK" load -q -i "$tarf" > "$W/al-load.$driver.$c.out" 2>&1; then
            cp "$W/al-load.$driver.$c.out" "$d/engine-after-load-$driver.json.stderr"
            echo 1 > "$d/engine-after-load-$driver.json.rc"
            say "  (kept failure: docker load $c into dockerd-$driver)"
            continue
        fi
        ref=$(al_ref "$c" "$tarf")
        SOCK=$AL_SOCK engine "$d/engine-after-load-$driver.json" "/v1.41/images/$ref/json"
        [[ $driver == vfs ]] && cap "$d/history-after-load.jsonl" \
            "$DOCKER" -H "unix://$AL_SOCK" history --no-trunc --format '{{json .}}' "$ref"
        if [[ $driver == vfs ]]; then
            printf '%s\n' "docker load -i ${tarf##*/}   # into a fresh dockerd (vfs, then overlay2), see engine-after-load-*.json" >> "$IM/$c/commands.txt"
            note "$c" "engine-after-load-{vfs,overlay2}.json, history-after-load.jsonl: ${tarf##*/} loaded into a fresh dockerd 20.10 (own data root /var/lib/docker-{vfs,overlay2}), inspected as $ref"
        fi
    done
    al_stop
}

# al_parent_chain -- docker save of legacy-full + legacy-derived (+ the legacy
# builder's intermediate images between them, without which manifest.json has no
# Parent), loaded into a fresh vfs dockerd.
al_parent_chain() {
    step "after-load oracle: parent chain (legacy-full .. legacy-derived) in one docker save"
    local m=$GI/multi A=case/legacy-full:latest B=case/legacy-derived:latest
    local a_id b_id p chain=() n=0
    a_id=$(img_id "$A"); b_id=$(img_id "$B")
    # Only the two tagged images: does manifest.json get a Parent?  (Its bytes go into
    # multi/meta.json notes, not into a *.json file: multi/*.json are printer outputs.)
    "$DOCKER" save -o "$W/parent-pair.tar" "$A" "$B"
    local pair; pair=$(tar -xOf "$W/parent-pair.tar" manifest.json)
    [[ $pair != *'"Parent"'* ]] || note multi "NB: docker save $A $B alone DID write a Parent"
    # legacy-derived's Parent is the intermediate image of its previous build step:
    # walk up until legacy-full.
    p=$("$DOCKER" image inspect --format '{{.Parent}}' "$b_id")
    while [[ -n $p && $p != "$a_id" ]]; do
        chain+=("$p"); n=$((n+1)); (( n < 50 )) || die "parent chain of $B does not reach $A"
        p=$("$DOCKER" image inspect --format '{{.Parent}}' "$p")
    done
    [[ $p == "$a_id" ]] || die "parent chain of $B ends at '$p', not at $A ($a_id)"
    "$DOCKER" save -o "$W/parent-chain.tar" "$A" "$B" "${chain[@]}"
    cp "$W/parent-chain.tar" "$m/parent-chain.tar"; chmod 644 "$m/parent-chain.tar"
    tar -xOf "$m/parent-chain.tar" manifest.json | jq -e 'any(.[]; .Parent != null)' >/dev/null \
        || die "parent-chain.tar: manifest.json has no Parent"
    {
        echo "parent-pair: manifest.json of \`docker save $A $B\` (just the two tags), exact bytes: $pair"
        echo "parent-chain.tar: docker save $A $B + the ${#chain[@]} untagged intermediate images on $B's Parent chain (the legacy builder's per-step images); only then does manifest.json carry Parent"
        echo "parent-chain-after-load-{legacy-full,legacy-derived}.json: parent-chain.tar loaded into a fresh dockerd 20.10 (vfs, data root /var/lib/docker-chain), raw /v1.41/images/REF/json"
    } >> "$IM/multi/notes.txt"
    al_start chain vfs
    "$DOCKER" -H "unix://$AL_SOCK" load -q -i "$m/parent-chain.tar" > "$W/al-load.chain.out" 2>&1 \
        || { cat "$W/al-load.chain.out" >&2; die "docker load parent-chain.tar failed"; }
    SOCK=$AL_SOCK engine "$m/parent-chain-after-load-legacy-full.json"    "/v1.41/images/$A/json"
    SOCK=$AL_SOCK engine "$m/parent-chain-after-load-legacy-derived.json" "/v1.41/images/$B/json"
    al_stop
}

after_load_corpus() {
    al_load_all vfs
    al_load_all overlay2
    al_parent_chain
}

# ---------------------------------------------------------------------------
# layouts/: what skopeo and umoci write
# ---------------------------------------------------------------------------
LAYOUT_CASES=(legacy-full buildkit-full arm64)

layouts_corpus() {
    step "layouts: skopeo copy docker-archive: -> oci: / oci-archive: / dir:, umoci layout"
    local L=$GOLD/layouts c src cmds=$W/layouts-commands.txt
    mkdir -p "$L"; : > "$cmds"
    lrun() {   # log the command (paths made relative to tests/data/golden), run it
        local line; line=$(printf '%q ' "$@"); line=${line% }
        line=${line//"$GOLD"/tests/data/golden}; line=${line//"$W"/<work>}
        printf '    %s\n' "$line" >> "$cmds"
        "$@"
    }
    for c in "${LAYOUT_CASES[@]}"; do
        src=$GI/$c/docker-save.tar
        [[ -f $src ]] || die "layouts: $c has no docker-save.tar"
        mkdir -p "$L/$c"
        lrun skopeo copy -q "docker-archive:$src" "oci:$L/$c/skopeo-oci:latest"
        lrun skopeo copy -q "docker-archive:$src" "oci-archive:$L/$c/skopeo-oci-archive.tar:latest"
        lrun skopeo copy -q "docker-archive:$src" "dir:$L/$c/skopeo-dir"
    done

    # umoci: run in a work dir with relative paths (no scratch path in history)
    local u=$W/umoci-golden
    mkdir -p "$u/src"
    printf 'umoci layout payload\n' > "$u/src/payload.txt"
    printf '    cd <work>\n' >> "$cmds"
    (
        cd "$u"
        lrun umoci init --layout layout
        lrun umoci new --image layout:latest
        lrun umoci config --image layout:latest \
            --author 'Golden <golden@example.invalid>' \
            --config.user 1000:1000 \
            --config.env 'GREETING=héllo <umoci> & ☃' --config.env 'PATH=/usr/bin:/bin' \
            --config.entrypoint /app/bin --config.cmd serve \
            --config.exposedports 8080/tcp \
            --config.volume /data --config.workingdir /app \
            --config.label 'org.example.note=a<b>&c ☃' \
            --history.comment 'configured by umoci' --history.created_by 'umoci config'
        lrun umoci insert --image layout:latest --history.created_by 'umoci insert payload.txt /app/payload.txt' \
            src/payload.txt /app/payload.txt
        printf '    umoci stat --image layout:latest --json > stat.json\n' >> "$cmds"
        umoci stat --image layout:latest --json > stat.json
    )
    mkdir -p "$L/umoci"
    cp -a "$u/layout" "$L/umoci/layout"
    cp "$u/stat.json" "$L/umoci/stat.json"

    layouts_readme "$L" "$cmds"
}

layouts_readme() {
    local L=$1 cmds=$2
    {
        cat <<'EOF'
# tests/data/golden/layouts -- image layouts written by skopeo and umoci

Written by real tools on this machine by `scripts/golden/make-golden.sh` (code in
`scripts/golden/after-load.sh`, function `layouts_corpus`). **Do not edit by hand**;
regenerate (as root) with

    bash scripts/golden/make-golden.sh
    GOLDEN_INSTALL=inspect bash scripts/golden/make-golden.sh   # installs only tests/data/golden

The sources are the `docker-save.tar` files of the same run
(`tests/data/golden/inspect/<case>/docker-save.tar`, dockerd 20.10), so the image IDs
here match the inspect cases. Digests and timestamps change on every run. Every file
is exactly as the tool wrote it (directories copied with `cp -a`).

| path | written by | what |
|---|---|---|
| `<case>/skopeo-oci/` | skopeo 1.9 | `skopeo copy docker-archive:<case>/docker-save.tar oci:<dir>:latest`: an OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/*`) |
| `<case>/skopeo-oci-archive.tar` | skopeo 1.9 | `skopeo copy docker-archive:... oci-archive:<file>:latest`: the same layout as one tar |
| `<case>/skopeo-dir/` | skopeo 1.9 | `skopeo copy docker-archive:... dir:<dir>`: skopeo's `dir:` transport (`manifest.json`, `version`, one file per blob named by its hex digest) |
| `umoci/layout/` | umoci 0.4 | `umoci init` + `new` + `config` + `insert`, tag `latest` (an OCI image layout) |
| `umoci/stat.json` | umoci 0.4 | `umoci stat --image layout:latest --json` |

Cases: `legacy-full` (legacy builder, many layers and metadata), `buildkit-full`
(BuildKit), `arm64` (linux/arm64 config).

## Commands run (in this order)

EOF
        cat "$cmds"
        echo
        echo "## Files"
        echo
        echo '| file | bytes |'
        echo '|---|---|'
        (cd "$L" && find . -type f ! -name README.md -printf '%P %s\n' | LC_ALL=C sort | awk '{printf "| `%s` | %s |\n", $1, $2}')
    } > "$L/README.md"
}

# layouts_check -- blob digests, references and JSON of everything under layouts/
layouts_check() {
    python3 - "$GOLD/layouts" <<'EOF' || die "layouts check failed"
import hashlib, json, os, sys, tarfile

root = sys.argv[1]
bad = []

def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()

def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read())

def check_oci(d):
    load(os.path.join(d, "oci-layout"))
    blobs = os.path.join(d, "blobs", "sha256")
    for name in os.listdir(blobs):
        if sha(os.path.join(blobs, name)) != name:
            bad.append(f"{d}: blob {name} does not hash to its name")
    def walk(doc):
        for m in doc.get("manifests", []):
            p = os.path.join(blobs, m["digest"].split(":", 1)[1])
            if not os.path.isfile(p):
                bad.append(f"{d}: missing {m['digest']}"); continue
            child = load(p)
            if "manifests" in child:
                walk(child); continue
            for ref in [child["config"]] + child.get("layers", []):
                q = os.path.join(blobs, ref["digest"].split(":", 1)[1])
                if not os.path.isfile(q):
                    bad.append(f"{d}: missing {ref['digest']}")
                elif os.path.getsize(q) != ref["size"]:
                    bad.append(f"{d}: size mismatch {ref['digest']}")
            load(os.path.join(blobs, child["config"]["digest"].split(":", 1)[1]))
    walk(load(os.path.join(d, "index.json")))

def check_dir(d):
    m = load(os.path.join(d, "manifest.json"))
    for ref in [m["config"]] + m.get("layers", []):
        hexd = ref["digest"].split(":", 1)[1]
        q = os.path.join(d, hexd)
        if not os.path.isfile(q) or sha(q) != hexd:
            bad.append(f"{d}: blob {hexd} missing or wrong")
    load(os.path.join(d, m["config"]["digest"].split(":", 1)[1]))

for dirpath, dirnames, filenames in os.walk(root):
    if "oci-layout" in filenames:
        check_oci(dirpath)
    if "manifest.json" in filenames and "version" in filenames:
        check_dir(dirpath)
    for fn in filenames:
        p = os.path.join(dirpath, fn)
        if fn.endswith(".json"):
            load(p)
        if fn.endswith(".tar"):
            with tarfile.open(p) as t:
                names = set(t.getnames())
            if not {"index.json", "oci-layout"} <= {n.lstrip("./") for n in names}:
                bad.append(f"{p}: not an OCI archive: {sorted(names)[:5]}")
for b in bad:
    print("layouts:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}
