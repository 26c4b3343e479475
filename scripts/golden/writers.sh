# writers.sh -- do real tools accept what imageinspect.testing.writers writes?
#
# NOT a stand-alone script: make-golden.sh sources it inside its private mount
# namespace (after inspect-cases.sh and after-load.sh, whose helpers it uses) and
# calls writers_corpus + writers_check.  Regenerate with
#     bash scripts/golden/make-golden.sh                        (full run)
#     GOLDEN_ONLY=writers bash scripts/golden/make-golden.sh    (only this part)
#
# scripts/golden/make_writer_images.py writes four deterministic images with every
# writer (legacy.tar, docker25.tar, oci/, oci.tar + images.json).  Then, per archive:
#   * docker load -i into a FRESH dockerd 20.10 (vfs, own data/exec root; al_start)
#     and the raw /v1.41/images/<tag>/json body of every tag;
#   * podman load -i into a FRESH podman vfs store (and podman pull oci:/oci-archive:
#     per tag for the OCI layouts), then podman image inspect;
#   * skopeo inspect, skopeo inspect --raw, skopeo inspect --config --raw;
#   * skopeo copy of every tag to oci: and docker-archive:.
# Failures are findings: stdout/stderr/rc are recorded, the run goes on.
# Every tool runs with the working directory $WR_RUN and relative paths, so no
# scratch path reaches the outputs.
#
# Output: $GOLD/writers/ (installed as tests/data/golden/writers/, see the README.md
# written by writers_readme).
#
# Uses from make-golden.sh / inspect-cases.sh / after-load.sh: SCRATCH W LOGS GOLD
# REPO SCRIPT_DIR DOCKER AL_SOCK al_start al_stop cap engine say step die.

WR_RUN=/var/tmp/imageinspect-writers  # the archives and skopeo's copies (a bind-mounted scratch dir)
WG=$GOLD/writers
WR_PY=$REPO/.venv/bin/python
WR_NAMES=(legacy docker25 oci oci-tar)          # result dirs under writers/
declare -A WR_PATH=([legacy]=legacy.tar [docker25]=docker25.tar [oci]=oci [oci-tar]=oci.tar)
WPM_ROOT=""; WPM_RUNROOT=""; WPM_TMP=""

# podman with its own fresh vfs store (one per archive)
wpm() {
    podman --storage-driver vfs --root "$WPM_ROOT" --runroot "$WPM_RUNROOT" \
        --tmpdir "$WPM_TMP" --cgroup-manager cgroupfs --events-backend file "$@"
}

# wslug REF -> file name stem (writers/full:1 -> writers_full_1)
wslug() { local s=${1//\//_}; s=${s//:/_}; echo "${s//@/_}"; }

# wrun OUTSTEM CMD... -- OUTSTEM.stdout / .stderr (when non-empty) and .rc (always)
wrun() {
    local out=$1; shift
    local rc=0
    "$@" > "$out.stdout" 2> "$out.stderr" || rc=$?
    [[ -s $out.stdout ]] || rm -f "$out.stdout"
    [[ -s $out.stderr ]] || rm -f "$out.stderr"
    echo "$rc" > "$out.rc"
    (( rc == 0 )) || say "  (kept failure rc=$rc: ${out#"$GOLD"/})"
    return 0
}

# wlog LOGFILE CMD... -- append "$ CMD", its rc, stdout and stderr to LOGFILE
wlog() {
    local log=$1; shift
    local rc=0 line
    line=$(printf '%q ' "$@"); line=${line% }; line=${line/#wpm /podman }
    "$@" > "$W/wlog.out" 2> "$W/wlog.err" || rc=$?
    {
        printf '$ %s\n' "$line"
        printf 'rc=%s\n' "$rc"
        [[ -s $W/wlog.out ]] && sed 's/^/stdout: /' "$W/wlog.out"
        [[ -s $W/wlog.err ]] && sed 's/^/stderr: /' "$W/wlog.err"
        echo
    } >> "$log"
    (( rc == 0 )) || say "  (kept failure rc=$rc: ${log#"$GOLD"/}: $line)"
    return 0
}

# wrefs -> lines "TAG OCI_REF_NAME IMAGE_ID" from images.json
wrefs() {
    jq -r '.images[] | . as $i | range(0; .tags | length) as $k | "\($i.tags[$k]) \($i.oci_ref_names[$k]) \($i.id)"' \
        "$WR_RUN/images.json"
}

# wpodman_inspect DIR SLUG NAME ID -- podman image inspect NAME; on failure keep it
# as SLUG.podman-by-name.json* and inspect by ID instead.
wpodman_inspect() {
    local d=$1 slug=$2 name=$3 id=$4 f
    cap "$d/$slug.podman.json" wpm image inspect "$name"
    if [[ -f $d/$slug.podman.json.rc ]]; then
        for f in "$d/$slug.podman.json"*; do mv "$f" "${f/.podman.json/.podman-by-name.json}"; done
        cap "$d/$slug.podman.json" wpm image inspect "${id#sha256:}"
    fi
}

writers_one() {   # writers_one NAME
    local name=$1 path=${WR_PATH[$1]} d=$WG/$1 tag ociref id slug src
    mkdir -p "$d"
    step "writers: $path -- docker load, podman load, skopeo inspect/copy"

    # --- dockerd 20.10 (fresh, vfs) ---------------------------------------------------
    if [[ $name != oci ]]; then     # docker load reads a tar; the oci/ dir is covered by oci.tar
        al_start "writers-$name" vfs
        wrun "$d/docker-load" "$DOCKER" -H "unix://$AL_SOCK" load -i "$path"
        if [[ $(cat "$d/docker-load.rc") == 0 ]]; then
            while read -r tag ociref id; do
                slug=$(wslug "$tag")
                SOCK=$AL_SOCK engine "$d/$slug.engine.json" "/v1.41/images/$tag/json"
            done < <(wrefs)
            cap "$d/docker-images.txt" "$DOCKER" -H "unix://$AL_SOCK" image ls --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}'
            LC_ALL=C sort -o "$d/docker-images.txt" "$d/docker-images.txt"
        fi
        al_stop
    fi

    # --- podman 4.3 (fresh vfs store) -----------------------------------------------
    WPM_ROOT=/var/lib/containers/writers/$name WPM_RUNROOT=/run/containers/writers-$name WPM_TMP=/run/libpod-writers-$name
    mkdir -p "$WPM_ROOT" "$WPM_RUNROOT" "$WPM_TMP"
    wrun "$d/podman-load" wpm load -i "$path"
    case $name in
        oci)     src="oci:$path" ;;
        oci-tar) src="oci-archive:$path" ;;
        *)       src="" ;;
    esac
    if [[ -n $src ]]; then          # an OCI layout with several images: pull each by its ref.name
        : > "$d/podman-pull.txt"
        while read -r tag ociref id; do
            wlog "$d/podman-pull.txt" wpm pull -q "$src:$ociref"
        done < <(wrefs)
    fi
    while read -r tag ociref id; do
        wpodman_inspect "$d" "$(wslug "$tag")" "$tag" "$id"
    done < <(wrefs)
    cap "$d/podman-images.txt" wpm images --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    LC_ALL=C sort -o "$d/podman-images.txt" "$d/podman-images.txt"

    # --- skopeo 1.9 -----------------------------------------------------------------------
    : > "$d/skopeo-copy.txt"
    while read -r tag ociref id; do
        slug=$(wslug "$tag")
        case $name in
            legacy|docker25) src="docker-archive:$path:$tag" ;;
            oci)             src="oci:$path:$ociref" ;;
            oci-tar)         src="oci-archive:$path:$ociref" ;;
        esac
        cap "$d/$slug.skopeo-inspect.json" skopeo inspect "$src"
        cap "$d/$slug.skopeo-raw.json"     skopeo inspect --raw "$src"
        cap "$d/$slug.skopeo-config.json"  skopeo inspect --config --raw "$src"
        wlog "$d/skopeo-copy.txt" skopeo copy -q "$src" "oci:copies/$name-$slug:latest"
        wlog "$d/skopeo-copy.txt" skopeo copy -q "$src" "docker-archive:copies/$name-$slug.tar:$tag"
    done < <(wrefs)
}

writers_corpus() {
    step "writers: make_writer_images.py (ImageBuilder + every writer)"
    rm -rf "$WR_RUN"; mkdir -p "$WR_RUN/copies" "$WG/archives"
    PYTHONPATH=$REPO "$WR_PY" "$SCRIPT_DIR/make_writer_images.py" "$WR_RUN"
    # determinism: a second run must give the very same bytes
    PYTHONPATH=$REPO "$WR_PY" "$SCRIPT_DIR/make_writer_images.py" "$W/writers-again"
    diff <(cd "$WR_RUN" && find . -type f ! -path './copies/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) \
         <(cd "$W/writers-again" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) >&2 \
        || die "make_writer_images.py is not deterministic"
    cp -a "$WR_RUN/legacy.tar" "$WR_RUN/docker25.tar" "$WR_RUN/oci" "$WR_RUN/oci.tar" "$WR_RUN/images.json" "$WG/archives/"
    # podman stores: a plain dir below (podman's vfs and archive unpacking want a real filesystem)
    mkdir -p "$SCRATCH/data_writers_podman" /var/lib/containers/writers
    mount --bind "$SCRATCH/data_writers_podman" /var/lib/containers/writers
    # no subshell: al_start/al_stop must keep make-golden.sh's PIDS list up to date
    local name here=$PWD
    cd "$WR_RUN"
    for name in "${WR_NAMES[@]}"; do writers_one "$name"; done
    cd "$here"
    umount /var/lib/containers/writers || say "warning: could not unmount /var/lib/containers/writers"
    writers_readme
}

# writers_verdict NAME TOOL -> accept / REJECT / partial / n/a
writers_verdict() {
    local d=$WG/$1 tool=$2 n ok f
    case $tool in
        docker)
            [[ -f $d/docker-load.rc ]] || { echo "n/a"; return; }
            [[ $(cat "$d/docker-load.rc") == 0 ]] || { echo "**REJECT** (load rc=$(cat "$d/docker-load.rc"))"; return; }
            set -- "$d"/*.engine.json ;;
        podman-load)
            [[ $(cat "$d/podman-load.rc") == 0 ]] && echo accept || echo "**REJECT** (rc=$(cat "$d/podman-load.rc"))"
            return ;;
        podman-pull)
            [[ -f $d/podman-pull.txt ]] || { echo "n/a"; return; }
            n=$(grep -c '^rc=' "$d/podman-pull.txt"); ok=$(grep -c '^rc=0$' "$d/podman-pull.txt")
            if (( ok == n )); then echo "accept ($n/$n)"; else echo "**REJECT** ($ok/$n ok)"; fi
            return ;;
        podman-inspect) set -- "$d"/*.podman.json ;;
        skopeo-inspect) set -- "$d"/*.skopeo-inspect.json "$d"/*.skopeo-raw.json "$d"/*.skopeo-config.json ;;
        skopeo-copy)
            n=$(grep -c '^rc=' "$d/skopeo-copy.txt"); ok=$(grep -c '^rc=0$' "$d/skopeo-copy.txt")
            if (( ok == n )); then echo "accept ($n/$n)"; else echo "**REJECT** ($ok/$n ok)"; fi
            return ;;
    esac
    n=0; ok=0
    for f in "$@"; do
        [[ -f $f ]] || continue
        n=$((n+1))
        [[ -f $f.rc || -f $f.http_status ]] || ok=$((ok+1))
    done
    if (( n == 0 )); then echo "n/a"; elif (( ok == n )); then echo "accept ($n/$n)"; else echo "**REJECT** ($ok/$n ok)"; fi
}

writers_readme() {
    local name tool
    {
        cat <<'EOF'
# tests/data/golden/writers -- do real tools accept what our writers write?

Made by `scripts/golden/make-golden.sh` (code: `scripts/golden/writers.sh` and
`scripts/golden/make_writer_images.py`). **Do not edit by hand**; regenerate as root:

    GOLDEN_ONLY=writers bash scripts/golden/make-golden.sh   # only this directory (~1 min)
    bash scripts/golden/make-golden.sh                       # everything

`make_writer_images.py` builds four deterministic images with
`imageinspect.testing.ImageBuilder` (`full`: two layers with files, a directory, a
symlink, a hardlink, then a whiteout, an opaque whiteout and a new file, ENV/LABEL with
`<>&` and unicode, EXPOSE, VOLUME, HEALTHCHECK, ENTRYPOINT/CMD, USER, WORKDIR, ONBUILD,
SHELL, STOPSIGNAL, two tags; `arm64`: linux/arm64/v8; `zstd`: zstd layers in the OCI
layout; `derived`: built on `full`, shares its layers) and writes all four with every
writer. The script is deterministic (the run checks that two runs give identical bytes),
so `archives/` only changes when the library's builder or writers change.

`archives/` holds the exact bytes the tools were given:

| file | written by |
|---|---|
| `archives/legacy.tar` | `write_docker_archive(images, path, layout="legacy")` |
| `archives/docker25.tar` | `write_docker_archive(images, path, layout="docker25")` |
| `archives/oci/` | `write_oci_layout(images, path)` (a directory) |
| `archives/oci.tar` | `write_oci_layout(images, path, tar=True)` |
| `archives/images.json` | `make_writer_images.py`: tags, image IDs, platforms, OCI ref names |

Results, one directory per archive: `legacy/`, `docker25/`, `oci/` (for `archives/oci/`),
`oci-tar/` (for `archives/oci.tar`). Every command ran in a directory holding the four
archives (`/var/tmp/imageinspect-writers`, so paths in messages read e.g.
`/var/tmp/imageinspect-writers/oci`), with relative paths. `<slug>` is the tag with `/`
and `:` replaced by `_` (`writers_full_1`, `localhost_5000_writers_full_latest`, ...).

| file | printed by | command |
|---|---|---|
| `docker-load.{stdout,stderr,rc}` | Docker CLI + dockerd 20.10.24, a FRESH daemon per archive (vfs, data root `/var/lib/docker-writers-<dir>`) | `docker load -i ARCHIVE` (not for `oci/`: docker loads tars only) |
| `<slug>.engine.json` | that dockerd | `curl --unix-socket SOCK http://localhost/v1.41/images/<tag>/json` (raw body) after the load |
| `docker-images.txt` | Docker CLI 20.10.24 | `docker image ls --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}'` (sorted) |
| `podman-load.{stdout,stderr,rc}` | podman 4.3.1, a FRESH vfs store per archive | `podman load -i ARCHIVE` |
| `podman-pull.txt` | podman 4.3.1 (OCI layouts only) | `podman pull -q oci:oci:<ref.name>` / `oci-archive:oci.tar:<ref.name>` per tag: command, rc, stdout, stderr |
| `<slug>.podman.json` | podman 4.3.1 | `podman image inspect <tag>` (the tag as written in the archive, e.g. `writers/full:1`) (if that fails, it is kept as `<slug>.podman-by-name.json*` and `<slug>.podman.json` is by image ID) |
| `podman-images.txt` | podman 4.3.1 | `podman images --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}'` (sorted) |
| `<slug>.skopeo-inspect.json` | skopeo 1.9.3 | `skopeo inspect SRC` |
| `<slug>.skopeo-raw.json` | skopeo 1.9.3 | `skopeo inspect --raw SRC` (for docker-archive: the manifest skopeo synthesizes) |
| `<slug>.skopeo-config.json` | skopeo 1.9.3 | `skopeo inspect --config --raw SRC` |
| `skopeo-copy.txt` | skopeo 1.9.3 | `skopeo copy -q SRC oci:copies/<dir>-<slug>:latest` and `... docker-archive:copies/<dir>-<slug>.tar:<tag>`: command, rc, stderr |
| `X.stderr`, `X.rc`, `X.http_status` | -- | as in `../README.md`: stderr when non-empty, exit status / HTTP status when not 0 / 200 |

SRC is `docker-archive:legacy.tar:<tag>`, `docker-archive:docker25.tar:<tag>`,
`oci:oci:<ref.name>` or `oci-archive:oci.tar:<ref.name>` (`<ref.name>` is the
`org.opencontainers.image.ref.name` our OCI writer puts in `index.json`, the fully
normalized reference, e.g. `docker.io/writers/full:1`).

## Accept / reject

EOF
        echo "| archive | docker load + engine | podman load | podman pull | podman inspect | skopeo inspect (3 kinds x tags) | skopeo copy |"
        echo "|---|---|---|---|---|---|---|"
        for name in "${WR_NAMES[@]}"; do
            printf '| `%s` |' "${WR_PATH[$name]}"
            for tool in docker podman-load podman-pull podman-inspect skopeo-inspect skopeo-copy; do
                printf ' %s |' "$(writers_verdict "$name" "$tool")"
            done
            echo
        done
        echo
        echo "## Failures (stderr, verbatim)"
        echo
        echo "Every non-zero exit status of the run, with what the tool printed. Not all are"
        echo "rejections of our bytes: podman names an image pulled from \`oci:DIR:REF\` after DIR"
        echo "(\`localhost/oci:latest\`), so each pull takes the name from the one before and"
        echo "\`podman image inspect <tag>\` fails (\`*.podman-by-name.json*\`; \`*.podman.json\` is then"
        echo "by image ID); \`podman load\` of a layout holding several images wants one chosen;"
        echo "skopeo 1.9 cannot put zstd layers into a docker-archive; dockerd 20.10 \`docker load\`"
        echo "has no OCI-layout support (Docker 25+ has)."
        echo
        local any=0 f
        while IFS= read -r f; do
            any=1
            printf -- '- `%s`:\n\n' "${f#"$WG"/}"
            sed 's/^/        /' "$f"
            echo
        done < <(find "$WG" -name '*.stderr' ! -path "$WG/archives/*" | LC_ALL=C sort | while read -r s; do
                     r=${s%.stderr}.rc; [[ -f $r && $(cat "$r") != 0 ]] && echo "$s"; done)
        for f in "$WG"/*/skopeo-copy.txt "$WG"/*/podman-pull.txt; do
            [[ -f $f ]] || continue
            if grep -q '^rc=[1-9]' "$f"; then
                any=1; printf -- '- `%s`: see the `rc=` lines\n\n' "${f#"$WG"/}"
                awk '/^\$ /{cmd=$0} /^rc=[1-9]/{print "        " cmd; bad=1; next} /^rc=0/{bad=0} bad && /^std/{print "        " $0}' "$f"
                echo
            fi
        done
        (( any )) || echo "None: every tool accepted every archive."
        echo
        echo "## Files"
        echo
        echo '| file | bytes |'
        echo '|---|---|'
        (cd "$WG" && find . -type f ! -name README.md -printf '%P %s\n' | LC_ALL=C sort | awk '{printf "| `%s` | %s |\n", $1, $2}')
    } > "$WG/README.md"
}

# writers_check -- JSON validity, no scratch path, size
writers_check() {
    step "writers: check (valid JSON, no scratch path, < 2 MB)"
    python3 - "$WG" <<'EOF' || die "writers check failed"
import json, os, sys
root = sys.argv[1]
bad = []
for dirpath, _, files in os.walk(root):
    archives = os.path.join(root, "archives")
    if dirpath == archives or dirpath.startswith(archives + os.sep):
        continue
    for fn in files:
        p = os.path.join(dirpath, fn)
        if fn.endswith(".json") and not os.path.exists(p + ".rc") and not os.path.exists(p + ".http_status"):
            try:
                json.loads(open(p, "rb").read())
            except ValueError as e:
                bad.append(f"{p}: {e}")
for b in bad:
    print("writers: invalid JSON:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
    if grep -rlaF "$SCRATCH" "$WG" >&2; then say "writers corpus contains the scratch path $SCRATCH"; exit 3; fi
    local total; total=$(du -sb "$WG" | cut -f1)
    (( total < 2000000 )) || die "writers corpus too large: $total bytes"
}
