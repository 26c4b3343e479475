#!/usr/bin/env bash
# cli-oracle.sh -- what the REAL docker CLI prints for `docker history` (table
# views) and `docker inspect -f TEMPLATE`, byte for byte, for a few loaded images.
#
# Outputs (tests/data/golden/cli/ is rebuilt from scratch on every run, so the
# script is idempotent; see the NOTES.md it writes):
#   tests/data/golden/cli/templates.txt      the templates, one per line (line N -> NN)
#   tests/data/golden/cli/TOOLS.txt          docker client/server versions
#   tests/data/golden/cli/NOTES.md           what was run, how to regenerate
#   tests/data/golden/cli/<case>/            CLI 20.10 against dockerd 20.10 (vfs)
#       image-id.txt, load.txt, source.txt
#       captured-at.txt                      `date +%s` taken right before `docker history IMG`
#       history-table.txt                    docker history IMG
#       history-nonhuman.txt                 docker history --human=false IMG
#       history-notrunc-nonhuman.txt         docker history --no-trunc --human=false IMG
#       inspect-f/NN.txt, NN.stderr, NN.status
#                                            docker inspect --type image -f TEMPLATE IMG
#       inspect-f/NN.image-inspect.{txt,stderr,status}
#                                            docker image inspect -f TEMPLATE IMG, kept only
#                                            when any of its three outputs differs
#   tests/data/golden/cli/<case>/docker28/   the same with the Docker 28.5 CLI (Debian sid
#                                            chroot made by chroots.sh) against the same
#                                            dockerd 20.10 (API 1.41 negotiated); skipped
#                                            when that chroot does not exist
#   tests/data/golden/cli/<case>/docker29/   the same with a Docker 29 CLI built from its
#                                            release tag ($DOCKER29_CLI, see its BUILD.txt)
#                                            against the same dockerd 20.10; skipped when
#                                            that binary does not exist, or (recorded in
#                                            NOTES.md and TOOLS.txt) when it refuses the
#                                            daemon's API version
#
# Usage (as root, offline):  bash scripts/golden/cli-oracle.sh
#   CHROOTS=/var/tmp/imageinspect-chroots   where chroots.sh put the sid chroot
#   CLI_ORACLE_DOCKER28=auto|yes|no         auto (default): use the sid chroot's CLI when
#                                           it is there; yes: fail without it; no: skip
#   DOCKER29_CLI=/var/tmp/imageinspect-docker/29.7.2/bin/docker
#                                           the Docker 29 CLI binary (its BUILD.txt, one
#                                           directory up, says how it was built)
#   CLI_ORACLE_DOCKER29=auto|yes|no         as CLI_ORACLE_DOCKER28, for that binary (yes
#                                           also fails when it cannot talk to the daemon)
#
# Sandbox (as make-golden.sh; ../../../shared/reference/docker-20.10-observed.md
# section 1): a `mktemp -d` scratch dir; the script re-executes itself under
# `unshare --mount` (private mount namespace), overlay-mounts /etc, /var/lib and
# /run with upper dirs in the scratch dir and bind-mounts a scratch dir over
# /var/tmp.  dockerd 20.10 (vfs) is started by al_start from after-load.sh (own
# data root /var/lib/docker-oracle, exec root, unix socket and pidfile; no
# iptables, no bridge) and stopped by its PID; the cgroup dirs it created under
# /sys/fs/cgroup/*/docker are rmdir'ed.  The sid chroot is only read: it is
# bind-mounted read-only into the scratch dir and the daemon socket is
# bind-mounted into it.  The Docker 29 CLI binary is copied into the scratch dir
# (it lives under /var/tmp, which gets covered) and run with an empty
# environment and its own empty HOME.  No network is used.
set -euo pipefail
SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
SCRIPT_DIR=$(dirname "$SCRIPT")
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
DEST=$REPO/tests/data/golden/cli
CHROOTS=${CHROOTS:-/var/tmp/imageinspect-chroots}
CLI_ORACLE_DOCKER28=${CLI_ORACLE_DOCKER28:-auto}
case $CLI_ORACLE_DOCKER28 in auto|yes|no) ;; *) echo "CLI_ORACLE_DOCKER28 must be auto, yes or no" >&2; exit 2 ;; esac
DOCKER29_CLI=${DOCKER29_CLI:-/var/tmp/imageinspect-docker/29.7.2/bin/docker}
CLI_ORACLE_DOCKER29=${CLI_ORACLE_DOCKER29:-auto}
case $CLI_ORACLE_DOCKER29 in auto|yes|no) ;; *) echo "CLI_ORACLE_DOCKER29 must be auto, yes or no" >&2; exit 2 ;; esac
export CHROOTS CLI_ORACLE_DOCKER28 DOCKER29_CLI CLI_ORACLE_DOCKER29

die() { echo "cli-oracle: ERROR: $*" >&2; exit 1; }
say() { echo "cli-oracle: $*" >&2; }

# The images: CASE -> archive (relative to the repo).  When one is missing, the
# first other single-image docker-save.tar under tests/data/golden/inspect/ that is
# not used yet takes its place.
CASE_NAMES=(hello buildkit-full legacy-multi-layer)
declare -A CASE_TAR=(
    [hello]=examples/hello.tar
    [buildkit-full]=tests/data/golden/inspect/buildkit-full/docker-save.tar
    [legacy-multi-layer]=tests/data/golden/inspect/legacy-multi-layer/docker-save.tar
)

# The templates (line N of templates.txt is inspect-f/NN.txt).  Append only:
# inserting a line renumbers every file after it.  No template may print a Go
# pointer address (e.g. {{.Config}} or {{.}}: Config.Healthcheck is a pointer).
TEMPLATES=(
    '{{.Id}}'
    '{{.Config.Env}}'
    '{{json .Config.Env}}'
    '{{.Config.Labels}}'
    '{{json .Config.Labels}}'
    '{{.Config.ExposedPorts}}'
    '{{.Config.Volumes}}'
    '{{.Config.Cmd}}'
    '{{.Config.Entrypoint}}'
    '{{.Config.Healthcheck}}'
    '{{.Config.User}}'
    '{{.Size}}'
    '{{.Architecture}}/{{.Os}}'
    '{{.RepoTags}}'
    '{{.RepoDigests}}'
    '{{range .Config.Env}}{{println .}}{{end}}'
    '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}'
    '{{join .Config.Env ","}}'
    '{{len .RootFS.Layers}}'
    '{{index .Config.Labels "org.example.title"}}'
    '{{.RootFS.Layers}}'
    '{{.Config.OnBuild}}'
    '{{.Config.Shell}}'
    '{{.GraphDriver.Name}}'
    '{{if .Config.Healthcheck}}yes{{else}}no{{end}}'
    '{{upper .Os}}'
    '{{.Config.StopSignal}}'
    '{{.Config.WorkingDir}}'
    '{{json .RootFS}}'
    '{{.Metadata}}'
    '{{.Config.Nope}}'
    # -- beyond the required list
    '{{.Created}}'
    '{{.Comment}}'
    '{{.Author}}'
    '{{.DockerVersion}}'
    '{{.Parent}}'
    '{{.Container}}'
    '{{.VirtualSize}}'
    '{{.Variant}}'
    '{{json .Config}}'
    '{{json .Config.Healthcheck}}'
    '{{json .Config.ExposedPorts}}'
    '{{json .Config.Volumes}}'
    '{{json .Config.Entrypoint}}'
    '{{json .Config.OnBuild}}'
    '{{.Config.ArgsEscaped}}'
    '{{.Config.Healthcheck.Test}}'
    '{{.Config.Healthcheck.Interval}}'
    '{{.ContainerConfig.Cmd}}'
    '{{.GraphDriver.Data}}'
    '{{json .GraphDriver}}'
    '{{json .Metadata}}'
    '{{.Metadata.LastTagTime}}'
    '{{.RootFS.Type}}'
    '{{.RootFS}}'
    '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}'
    '{{range $i, $l := .RootFS.Layers}}{{$i}}:{{$l}}{{"\n"}}{{end}}'
    '{{index .RepoTags 0}}'
    '{{index .RepoTags 5}}'
    '{{lower .Config.User}}'
    '{{title .Os}}'
    '{{split .Config.User ":"}}'
    '{{truncate .Id 19}}'
    '{{pad .Os 1 2}}'
    '{{json .Config.Labels.nope}}'
    '{{.Config.Labels.nope}}'
    '{{.NoSuchField}}'
    '{{.Id'
    '{{nosuchfunc .Id}}'
    '{{.Os}} {{.Config.Env}}'
    'plain text'
    '{{json .}}'
    # -- issue 22: with / else with (Go 1.23), lt le gt ge, variables, break and
    #    continue (Go 1.18), slice, html, urlquery, struct printing, range over an
    #    integer (Go 1.22); success and error cases
    '{{with .Config.User}}u={{.}}{{else}}none{{end}}'
    '{{with .Config.Nope}}x{{end}}'
    '{{with $x := .Os}}{{$x}}/{{.}}{{end}}'
    '{{with .Config.Healthcheck}}{{.Retries}} {{.Interval}} {{.Test}}{{else}}no healthcheck{{end}}'
    '{{with .Config.Labels}}{{len .}}{{else}}no labels{{end}}'
    '{{with .Config.User}}{{.}}{{else with .Config.WorkingDir}}wd={{.}}{{else}}neither{{end}}'
    '{{with .Config.Volumes}}v{{else with .Config.Nope}}n{{end}}'
    '{{if .Os}}x{{else with .Os}}y{{end}}'
    '{{with .Os}}x{{else if .Os}}y{{end}}'
    '{{range .RootFS.Layers}}x{{else if .Os}}y{{end}}'
    '{{with .Os}}{{else}}{{.}}{{end}}|{{with .Config.User}}{{else}}{{.Os}}{{end}}'
    '{{with .Size}}{{.}}{{end}} {{with .Metadata}}{{.LastTagTime}}{{end}}'
    '{{if gt .Size 100}}big{{else}}small{{end}}'
    '{{if lt (len .RootFS.Layers) 3}}few{{else}}many{{end}}'
    '{{lt .Size 19}} {{le .Size 19}} {{gt .Size 19}} {{ge .Size 19}}'
    '{{lt .Os "m"}} {{le .Os "linux"}} {{gt .Architecture "amd64"}} {{ge .Architecture "arm"}}'
    '{{lt .Os 1}}'
    '{{eq .Size "19"}}'
    '{{lt .Config.Env .Config.Env}}'
    '{{eq .RootFS.Layers .RootFS.Layers}}'
    '{{lt true false}}'
    '{{eq .Size 19 14 106}}'
    '{{lt .Size}}'
    '{{lt (len .Config.Env) .Size}}'
    '{{or .Os .Config.Nope}}'
    '{{and .Config.User .Config.Nope}}'
    '{{ne .Os "linux"}} {{eq .Config.Labels.nope "x"}}'
    '{{lt .Metadata.LastTagTime .Metadata.LastTagTime}}'
    '{{eq .Metadata .Metadata}}'
    '{{eq .Config .Config}}'
    '{{$n := 0}}{{range .Config.Env}}{{$n = len .}}{{end}}{{$n}}'
    '{{$x := .Os}}{{$x = printf "%s/%s" $x .Architecture}}{{$x}}'
    '{{$first := ""}}{{range $i, $e := .Config.Env}}{{if eq $i 0}}{{$first = $e}}{{end}}{{end}}{{$first}}'
    '{{$x := "out"}}{{range .RootFS.Layers}}{{$x := "in"}}{{end}}{{$x}}'
    '{{$x := "out"}}{{range .RootFS.Layers}}{{$x = "in"}}{{end}}{{$x}}'
    '{{if $u := .Config.User}}user {{$u}}{{else}}root [{{$u}}]{{end}}'
    '{{$nope = .Os}}'
    '{{range $e := .Config.Env}}{{end}}{{$e}}'
    '{{$x := 1}}{{$x := 2}}{{$x}}'
    '{{$x := .Config}}{{$x.WorkingDir}} {{$.Os}}'
    '{{$a, $b := .Os}}'
    '{{if .Os}}{{$v := 1}}{{end}}{{$v}}'
    '{{$x := .Os | upper}}{{$x}}{{$y := len .Config.Env}} {{$y}}'
    '{{$x := .Size}}{{$x = .Os}}{{$x}}'
    '{{range $i, $l := .RootFS.Layers}}{{if eq $i 1}}{{break}}{{end}}{{$l}};{{end}}'
    '{{range $i, $l := .RootFS.Layers}}{{if eq $i 0}}{{continue}}{{end}}{{$i}};{{end}}'
    '{{break}}'
    '{{range .RootFS.Layers}}{{with .}}{{break}}{{end}}x{{end}}done'
    '{{range .RootFS.Layers}}x{{else}}{{continue}}{{end}}'
    '{{range .RootFS.Layers}}{{break 1}}{{end}}'
    '{{range .Config.Env}}{{if eq . "X"}}{{break}}{{end}}{{.}};{{end}}'
    '{{range $k, $v := .Config.Labels}}{{if not $v}}{{continue}}{{end}}{{$k}};{{end}}'
    '{{range .RootFS.Layers}}{{range $.Config.Env}}{{break}}{{end}}L{{end}}'
    '{{slice .Id 7 19}}'
    '{{slice .Id 64}}'
    '{{slice .RootFS.Layers 1}}'
    '{{slice .RootFS.Layers 0 1 1}}'
    '{{slice .Id 1 2 3}}'
    '{{slice .Id 80}}'
    '{{slice .Id 5 2}}'
    '{{slice .Size 1}}'
    '{{slice .Config.Labels 1}}'
    '{{slice .Config.Env}}'
    '{{index (slice .RootFS.Layers 1) 0}}'
    '{{slice .Id -1}}'
    '{{slice .Id "1"}}'
    '{{slice .Config.Labels.nope 1}}'
    '{{slice}}'
    '{{len (slice .Id 7)}}'
    '{{html "<a&b>"}}'
    '{{urlquery "a b&c"}}'
    '{{html .Config.Labels}}'
    '{{urlquery .Config.Env}}'
    '{{html .Config.Labels.nope}}'
    '{{html "a" 1 .Size}}'
    '{{urlquery "é/?#=+~._-" .Os}}'
    '{{html "\x00\x27\"<>&"}}'
    '{{.Config.Env | html}}'
    '{{html}}{{urlquery}}|'
    '{{html .Config.Healthcheck}}'
    '{{urlquery .Config.Labels "x"}}'
    '{{printf "%v" .RootFS}}'
    '{{printf "%+v" .RootFS}}'
    '{{print .Metadata}}'
    '{{with .Config.Healthcheck}}{{.}}{{end}}'
    '{{printf "%v" .Config.Healthcheck}}'
    '{{printf "%+v" .Config.Healthcheck}}'
    '{{if not .Config.Healthcheck}}{{.Config}}{{else}}has a healthcheck{{end}}'
    '{{.GraphDriver}}'
    '{{printf "%v" .GraphDriver}}'
    '{{print .RootFS .Metadata}}'
    '{{printf "%+v" .Metadata}}'
    '{{println .RootFS .Size}}'
    '{{printf "%v|%+v" .Config.Labels .Config.Volumes}}'
    '{{if not .Config.Healthcheck}}{{printf "%+v" .Config}}{{else}}has a healthcheck{{end}}'
    '{{range $i := 3}}{{$i}}{{end}}'
    '{{range $i, $e := 3}}{{$i}}{{end}}'
    '{{range $i := len .RootFS.Layers}}{{$i}}{{end}}'
    '{{range .Size}}{{end}}'
    '{{.Os | lt "a"}}'
    '{{.Os | "x"}}'
    # -- where Go reports an error, scopes, Go 1.22's range assignment, uint8
    #    against int, nil, a function named as an argument, a trailing |
    '{{(.Os) 1}}'
    '{{(.Config).Nope}}'
    '{{$x := $x}}'
    '{{print ($x := 1) $x}}'
    '{{if not .Os}}{{$x := 1}}{{else}}{{$x}}{{end}}'
    '{{with $x := .Config.User}}{{$x}}{{else}}[{{$x}}]{{end}}'
    '{{$x := "a"}}{{$y := "b"}}{{range $x = .RootFS.Layers}}{{end}}{{$x}} {{$y}}'
    '{{$k := 0}}{{$v := 0}}{{range $k, $v = .RootFS.Layers}}{{end}}{{$k}} {{$v}}'
    '{{lt (index .Id 0) 200}} {{eq (index .Id 0) 115}} {{gt (index .Id 0) -1}}'
    '{{eq .Size nil}} {{eq .Config.Labels.nope nil}} {{eq .Config.OnBuild nil}}'
    '{{printf "%s|" html}}'
    '{{len json}}'
    '{{.Os |}}'
    '{{.Os | | upper}}'
    '{{eq .Config.Env .Config.Labels}}'
    '{{le .Os .Os}} {{gt 2 1}} {{ge 1 2}} {{eq "a" "b" "a"}} {{ne 1 2}}'
    '{{range .RootFS.Layers}}{{range $.Config.OnBuild}}{{else}}{{break}}{{end}}x{{end}}y'
    '{{with .Config.OnBuild}}x{{else with .Config.Shell}}y{{else}}z{{end}}'
    '{{urlquery .Config.User}}|{{html .Config.User}}'
    '{{range $i, $e := .RootFS.Layers}}{{if eq $i 1}}{{continue}}{{end}}{{if gt $i 2}}{{break}}{{end}}{{$i}}{{end}}'
    # -- a second read of the engine: Go strings are bytes, fmt's number
    #    limits, reflect's index panic, keywords ended by . or (, nil slices
    '{{slice "héllo" 0 2}}|{{len "héllo"}}|{{index "é" 0}}|{{truncate "héllo" 2}}'
    '{{json (slice "é" 0 1)}} {{printf "%q %x %X" (slice "é" 0 1) "é" "é"}}'
    '{{"\xc3\xa9"}} {{eq "\xc3\xa9" "é"}} {{len "\xff"}}'
    '{{printf "%q" "a\x00\x7f\u200b\t"}}'
    '{{printf "a%099999999dz" 1}}'
    '{{printf "%.99999999s|%d" "x" 2}}'
    '{{printf "%3d|%.2s" 1 "abc"}}'
    '{{range.RootFS.Layers}}x{{end}}{{with.Os}}{{.}}{{end}}{{if(eq 1 1)}}!{{end}}'
    '{{with ""}}{{else with.Os}}{{.}}{{end}}'
    '{{index .RootFS.Layers (len .RootFS.Layers)}}'
    '{{index .Os 5}}'
    '{{index .RootFS.Layers 9}}'
    '{{json (slice .Config.OnBuild 0)}} {{json (slice .RootFS.Layers 1 1)}}'
    '{{range 2000000}}{{end}}done'
)

# ---------------------------------------------------------------------------
# Stage 1 (outer): scratch dir, private mount namespace, clean up afterwards.
# ---------------------------------------------------------------------------
if [[ "${1:-}" != "--inside" ]]; then
    [[ $EUID -eq 0 ]] || die "must run as root (needs unshare/mount/dockerd)"
    for tool in unshare mount chroot dockerd /usr/bin/docker tar sha256sum cmp; do
        command -v "$tool" >/dev/null || die "missing tool: $tool (apt-get install docker.io)"
    done
    SCRATCH=$(mktemp -d /tmp/imageinspect-cli-oracle.XXXXXXXX)
    declare -A CG_BEFORE=()
    for d in /sys/fs/cgroup/*/docker; do [[ -d $d ]] && CG_BEFORE[$d]=1; done
    cleanup_outer() {
        local rc=$?
        trap - EXIT
        for d in /sys/fs/cgroup/*/docker; do
            [[ -d $d && -z ${CG_BEFORE[$d]:-} ]] || continue
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
W=$SCRATCH/work
LOGS=$SCRATCH/logs
OUT=$SCRATCH/out          # copied to tests/data/golden/cli only at the very end
DOCKER=/usr/bin/docker    # Debian docker.io 20.10 CLI
mkdir -p "$W" "$LOGS" "$OUT"

PIDS=()                   # daemons we started (al_start adds to these)
CTD_PIDS=()
cleanup_inner() {
    local rc=$?
    trap - EXIT
    if [[ $rc -ne 0 ]]; then
        say "FAILED (rc=$rc); last daemon log lines:"
        for f in "$LOGS"/*.log; do [[ -f $f ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
    fi
    local i pid
    for ((i=${#PIDS[@]}-1; i>=0; i--)); do
        pid=${PIDS[i]}
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && { say "pid $pid ignored TERM, killing"; kill -KILL "$pid" 2>/dev/null || true; }
        wait "$pid" 2>/dev/null || true
    done
    for pid in "${CTD_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true; sleep 1; kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    exit "$rc"
}
trap cleanup_inner EXIT
trap 'exit 130' INT TERM

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
    local secs=$1 what=$2 i; shift 2
    for ((i=0; i<secs*4; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.25
    done
    die "timed out waiting for $what"
}

# --- the sid chroot (Docker CLI 28.5), bound read-only before /var/tmp is covered
SID=$CHROOTS/sid
R28=""                    # the chroot's root inside this namespace, "" = no CLI 28
if [[ $CLI_ORACLE_DOCKER28 != no ]]; then
    if [[ -x $SID/usr/bin/docker ]]; then
        R28=$SCRATCH/sid-root
        mkdir -p "$R28"
        mount --bind "$SID" "$R28"
        mount -o remount,bind,ro "$R28"
        mount -t proc proc "$R28/proc"
        mount --rbind /dev "$R28/dev"
        mount -t tmpfs tmpfs "$R28/run"
        mkdir -p "$R28/run/home"
    elif [[ $CLI_ORACLE_DOCKER28 == yes ]]; then
        die "no $SID/usr/bin/docker: run bash scripts/golden/chroots.sh sid first"
    else
        say "no $SID/usr/bin/docker: skipping the Docker 28.5 CLI (bash scripts/golden/chroots.sh sid makes it)"
    fi
fi

# --- the Docker 29 CLI, copied before /var/tmp is covered
B29=""                    # its copy in the scratch dir, "" = no CLI 29
BUILD29=""                # its BUILD.txt (how it was built)
if [[ $CLI_ORACLE_DOCKER29 != no ]]; then
    if [[ -x $DOCKER29_CLI ]]; then
        mkdir -p "$SCRATCH/docker29" "$SCRATCH/home29"
        B29=$SCRATCH/docker29/docker
        cp "$DOCKER29_CLI" "$B29"
        b=$(dirname "$(dirname "$DOCKER29_CLI")")/BUILD.txt
        if [[ -f $b ]]; then BUILD29=$(awk 'NR > 1 { printf "; " } { printf "%s", $0 }' "$b"); fi
    elif [[ $CLI_ORACLE_DOCKER29 == yes ]]; then
        die "no $DOCKER29_CLI (a docker CLI built from the docker/cli v29 release tag)"
    else
        say "no $DOCKER29_CLI: skipping the Docker 29 CLI"
    fi
fi

# --- mounts (as make-golden.sh): reads see the host, writes land in $SCRATCH
for d in /etc /var/lib /run; do
    n=$SCRATCH/ovl${d//\//_}
    mkdir -p "$n/upper" "$n/work"
    mount -t overlay overlay -o "lowerdir=$d,upperdir=$n/upper,workdir=$n/work" "$d"
done
mkdir -p "$SCRATCH/data_var_tmp"
mount --bind "$SCRATCH/data_var_tmp" /var/tmp

# --- environment
export HOME=$SCRATCH/home TMPDIR=/var/tmp
mkdir -p "$HOME"
unset XDG_RUNTIME_DIR XDG_CONFIG_HOME DOCKER_CONFIG DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH \
      DOCKER_API_VERSION DOCKER_DEFAULT_PLATFORM || true
export LC_ALL=C.UTF-8 TZ=UTC GOTRACEBACK=none

# al_start / al_stop: a fresh dockerd with its own data root, socket and pidfile
# shellcheck source=after-load.sh
source "$SCRIPT_DIR/after-load.sh"

# --- the cases ----------------------------------------------------------------
# single_image TAR: true when manifest.json lists exactly one image
single_image() { [[ $(tar -xOf "$1" manifest.json 2>/dev/null | grep -o '"Config"' | wc -l) -eq 1 ]]; }
declare -A USED=()
for c in "${CASE_NAMES[@]}"; do USED[${CASE_TAR[$c]}]=1; done
CASES=()
for c in "${CASE_NAMES[@]}"; do
    t=${CASE_TAR[$c]}
    if [[ ! -f $REPO/$t ]]; then
        alt=""
        for f in "$REPO"/tests/data/golden/inspect/*/docker-save.tar; do
            r=${f#"$REPO"/}
            [[ -z ${USED[$r]:-} ]] && single_image "$f" && { alt=$r; break; }
        done
        [[ -n $alt ]] || die "$t is missing and there is no other single-image docker-save.tar"
        say "$t is missing: using $alt instead"
        USED[$alt]=1; t=$alt; c=$(basename "$(dirname "$alt")")
        CASE_TAR[$c]=$t
    fi
    single_image "$REPO/$t" || die "$t does not hold exactly one image"
    CASES+=("$c")
done

printf '%s\n' "${TEMPLATES[@]}" > "$OUT/templates.txt"
NT=${#TEMPLATES[@]}

# --- dockerd 20.10 --------------------------------------------------------------
say "starting dockerd (vfs)"
al_start oracle vfs           # sets AL_SOCK, AL_DAEMON_PID
export DOCKER_HOST=unix://$AL_SOCK

declare -A IMG=()
for c in "${CASES[@]}"; do
    t=${CASE_TAR[$c]}
    mkdir -p "$OUT/$c"
    "$DOCKER" load -i "$REPO/$t" > "$OUT/$c/load.txt" || die "docker load -i $t failed"
    printf '%s\n' "$t" > "$OUT/$c/source.txt"
    # the image ID: manifest.json's Config, checked against what the daemon has
    id=sha256:$(tar -xOf "$REPO/$t" manifest.json | grep -o '"Config":"[^"]*"' | sed 's/.*"\([0-9a-f]\{64\}\)\.json"/\1/')
    [[ $id =~ ^sha256:[0-9a-f]{64}$ ]] || die "$t: no config digest in manifest.json"
    "$DOCKER" images --no-trunc -q | grep -qxF "$id" || die "$t: $id is not in \`docker images --no-trunc -q\`"
    IMG[$c]=$id
    printf '%s\n' "$id" > "$OUT/$c/image-id.txt"
    say "loaded $c = $id"
done

# capture DIR ID CLI... -- the history views and every template for one image into DIR
capture() {
    local d=$1 id=$2; shift 2
    local cli=("$@") i nn t a b same s x
    mkdir -p "$d/inspect-f"
    date +%s > "$d/captured-at.txt"
    "${cli[@]}" history "$id" > "$d/history-table.txt" || die "docker history failed ($d)"
    "${cli[@]}" history --human=false "$id" > "$d/history-nonhuman.txt" || die "docker history --human=false failed ($d)"
    "${cli[@]}" history --no-trunc --human=false "$id" > "$d/history-notrunc-nonhuman.txt" \
        || die "docker history --no-trunc --human=false failed ($d)"
    for ((i=0; i<NT; i++)); do
        t=${TEMPLATES[i]}
        nn=$(printf '%02d' $((i+1)))
        a=$d/inspect-f/$nn b=$d/inspect-f/$nn.image-inspect
        s=0; "${cli[@]}" inspect --type image -f "$t" "$id" > "$a.txt" 2> "$a.stderr" || s=$?
        echo "$s" > "$a.status"
        s=0; "${cli[@]}" image inspect -f "$t" "$id" > "$b.txt" 2> "$b.stderr" || s=$?
        echo "$s" > "$b.status"
        same=1
        for x in txt stderr status; do cmp -s "$a.$x" "$b.$x" || same=0; done
        if (( same )); then rm -f "$b.txt" "$b.stderr" "$b.status"; fi
    done
}

CLI20=("$DOCKER")
CLI28=()
if [[ -n $R28 ]]; then
    touch "$R28/run/docker.sock"
    mount --bind "$AL_SOCK" "$R28/run/docker.sock"
    CLI28=(chroot "$R28" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/run/home
           LC_ALL=C.UTF-8 TZ=UTC DOCKER_HOST=unix:///run/docker.sock /usr/bin/docker)
    "${CLI28[@]}" version > /dev/null 2>&1 || die "the Docker 28.5 CLI in $SID cannot reach the daemon"
fi
CLI29=()
REFUSED29=""              # what the Docker 29 CLI said when it would not talk to the daemon
if [[ -n $B29 ]]; then
    CLI29=(/usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "HOME=$SCRATCH/home29"
           LC_ALL=C.UTF-8 TZ=UTC "DOCKER_HOST=unix://$AL_SOCK" "$B29")
    if ! REFUSED29=$("${CLI29[@]}" version 2>&1); then
        [[ $CLI_ORACLE_DOCKER29 != yes ]] || die "the Docker 29 CLI cannot talk to the daemon: $REFUSED29"
        say "the Docker 29 CLI cannot talk to the daemon, skipping it: $REFUSED29"
        CLI29=()
    else
        REFUSED29=""
    fi
fi

for c in "${CASES[@]}"; do
    say "capturing $c (CLI 20.10)"
    capture "$OUT/$c" "${IMG[$c]}" "${CLI20[@]}"
    if [[ -n $R28 ]]; then
        say "capturing $c (CLI 28.5)"
        capture "$OUT/$c/docker28" "${IMG[$c]}" "${CLI28[@]}"
    fi
    if (( ${#CLI29[@]} )); then
        say "capturing $c (CLI 29)"
        capture "$OUT/$c/docker29" "${IMG[$c]}" "${CLI29[@]}"
    fi
done

# --- TOOLS.txt ----------------------------------------------------------------
{
    echo "# docker version (Debian docker.io CLI 20.10 against the dockerd 20.10 used here)"
    "$DOCKER" version
    echo
    echo "# dockerd --version"
    dockerd --version
    echo "# storage driver: $("$DOCKER" info --format '{{.Driver}}')"
    if [[ -n $R28 ]]; then
        echo
        echo "# docker version (Docker CLI from the Debian sid chroot, same daemon; files under <case>/docker28/)"
        "${CLI28[@]}" version
    fi
    if [[ -n $B29 ]]; then
        echo
        echo "# docker version (Docker CLI built from its release tag, same daemon; files under <case>/docker29/)"
        [[ -z $BUILD29 ]] || printf '# its BUILD.txt: %s\n' "$BUILD29"
        if (( ${#CLI29[@]} )); then
            "${CLI29[@]}" version
        else
            echo "# it refused the daemon, so nothing was captured with it:"
            printf '%s\n' "$REFUSED29"
        fi
    fi
} > "$OUT/TOOLS.txt" 2>&1

v20=$("$DOCKER" version --format '{{.Client.Version}}')
vd=$("$DOCKER" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')
v28=""; [[ -z $R28 ]] || v28=$("${CLI28[@]}" version --format '{{.Client.Version}} (API {{.Client.APIVersion}}, negotiated {{.Server.APIVersion}})')
v29=""; (( ! ${#CLI29[@]} )) || v29=$("${CLI29[@]}" version --format '{{.Client.Version}} (API {{.Client.APIVersion}}, negotiated {{.Server.APIVersion}})')
go20=$("$DOCKER" version --format '{{.Client.GoVersion}}')
go28=""; [[ -z $R28 ]] || go28=$("${CLI28[@]}" version --format '{{.Client.GoVersion}}')
go29=""; (( ! ${#CLI29[@]} )) || go29=$("${CLI29[@]}" version --format '{{.Client.GoVersion}}')

# --- NOTES.md -------------------------------------------------------------------
{
    cat <<EOF
# tests/data/golden/cli -- what the real docker CLI prints

Written by \`scripts/golden/cli-oracle.sh\`. **Do not edit by hand**; regenerate
(as root, offline; needs Debian's \`docker.io\` package on the host, and for the
\`docker28/\` views the sid chroot that \`bash scripts/golden/chroots.sh sid\` makes) with

    bash scripts/golden/cli-oracle.sh

The whole directory is rebuilt on every run. The script starts a fresh dockerd
$vd with the vfs storage driver in a private mount namespace (own data root,
exec root, unix socket and pidfile; no network), \`docker load -i\`s each archive
below, captures the CLI's stdout exactly, then stops the daemon by its PID.
Every command runs with \`TZ=UTC LC_ALL=C.UTF-8\`, an empty \`HOME\` (no
\`~/.docker/config.json\`, so no custom formats) and the image referred to by its
image ID (\`sha256:<64 hex>\`, also in \`<case>/image-id.txt\`).

CLIs: Debian docker.io CLI $v20, built with $go20 (files directly under \`<case>/\`)${v28:+; Docker CLI $v28 from the Debian sid chroot, built with $go28, against the same 20.10 daemon (files under \`<case>/docker28/\`)}${v29:+; Docker CLI $v29, built with $go29 from its release tag (${BUILD29:-see TOOLS.txt}), against the same 20.10 daemon (files under \`<case>/docker29/\`)}. Versions in full: \`TOOLS.txt\`.

The CLIs run \`-f\` templates with the \`text/template\` package of the Go release they
were built with: what a template may say depends on it (\`{{else with}}\` parses from
Go 1.23 on, \`{{range}}\` over an integer runs from Go 1.24 on, \`{{range \$x = ...}}\`
sets \`\$x\` from Go 1.22 on), and so do a few error messages (\`incompatible types for
comparison\` names the types from Go 1.25 on). Lines 73-193 of \`templates.txt\` try
these and the rest of issue 22's template features: \`with\`, variables, \`break\`
and \`continue\`, \`lt le gt ge\`, \`slice\`, \`html\`, \`urlquery\`, struct printing.
EOF
    if [[ -n $B29 && ${#CLI29[@]} -eq 0 ]]; then
        cat <<EOF

**The Docker 29 CLI ($DOCKER29_CLI) was not captured**: it refused the
20.10 daemon (API 1.41). What it said:

    $REFUSED29
EOF
    fi
    cat <<EOF

## Cases

| case | archive | image ID |
|---|---|---|
EOF
    for c in "${CASES[@]}"; do printf '| `%s` | `%s` | `%s` |\n' "$c" "${CASE_TAR[$c]}" "${IMG[$c]}"; done
    cat <<'EOF'

## Files per case (and the same under `<case>/docker28/` and `<case>/docker29/`)

| file | command (stdout, exact bytes) |
|---|---|
| `load.txt` | `docker load -i ARCHIVE` (CLI 20.10 only) |
| `captured-at.txt` | `date +%s` taken right before the next command: the ages in `history-table.txt` (CREATED, e.g. "5 days ago") are relative to it; every other file is independent of the capture time |
| `history-table.txt` | `docker history IMG` |
| `history-nonhuman.txt` | `docker history --human=false IMG` |
| `history-notrunc-nonhuman.txt` | `docker history --no-trunc --human=false IMG` |
| `inspect-f/NN.txt` | `docker inspect --type image -f TEMPLATE IMG`, TEMPLATE = line NN of `templates.txt` (01 = first line; two digits at least, `printf %02d`) |
| `inspect-f/NN.stderr` | its stderr (empty file when nothing was written) |
| `inspect-f/NN.status` | its exit status |
| `inspect-f/NN.image-inspect.{txt,stderr,status}` | `docker image inspect -f TEMPLATE IMG`: present only when one of its three outputs differs from the `docker inspect --type image` ones |

`templates.txt` is one template per line, passed as one argument each (no shell
expansion). New templates must be appended, never inserted.
EOF
    diffs=$(cd "$OUT" && find . -name '*.image-inspect.txt' | LC_ALL=C sort)
    if [[ -n $diffs ]]; then
        echo
        echo 'Templates where `docker image inspect -f` differs from `docker inspect --type image -f`:'
        echo
        printf '%s\n' "$diffs" | sed 's/^\.\//    /'
    else
        echo
        echo 'In this run `docker image inspect -f` and `docker inspect --type image -f` gave identical'
        echo 'stdout, stderr and status for every template and case, so no `*.image-inspect.*` file exists.'
    fi
    SUBS=()
    [[ -z $R28 ]] || SUBS+=(docker28)
    (( ! ${#CLI29[@]} )) || SUBS+=(docker29)
    for sub in "${SUBS[@]}"; do
        if [[ $sub == docker28 ]]; then what="Docker 28.5 CLI"; else what="Docker 29 CLI"; fi
        echo
        echo "Files where the $what printed other bytes than the 20.10 CLI (same daemon, same image):"
        echo
        for c in "${CASES[@]}"; do
            # captured-at.txt differs by construction; history-table.txt only if ages differ
            dd=$(cd "$OUT/$c/$sub" && find . -type f ! -name captured-at.txt | LC_ALL=C sort | while read -r f; do
                cmp -s "$OUT/$c/$f" "$OUT/$c/$sub/$f" || printf '%s ' "${f#./}"; done)
            dd=${dd% }; printf -- '- `%s`: %s\n' "$c" "${dd:-(none)}"
        done
    done
} > "$OUT/NOTES.md"

# --- checks -----------------------------------------------------------------------
for c in "${CASES[@]}"; do
    DIRS=("$OUT/$c")
    [[ -z $R28 ]] || DIRS+=("$OUT/$c/docker28")
    (( ! ${#CLI29[@]} )) || DIRS+=("$OUT/$c/docker29")
    for d in "${DIRS[@]}"; do
        for f in captured-at.txt history-table.txt history-nonhuman.txt history-notrunc-nonhuman.txt; do
            [[ -s $d/$f ]] || die "empty $d/$f"
        done
        head -n1 "$d/history-table.txt" | grep -q '^IMAGE ' || die "$d/history-table.txt has no header"
        [[ $(cat "$d/inspect-f/01.txt") == "${IMG[$c]}" ]] || die "$d/inspect-f/01.txt is not ${IMG[$c]}"
        n=$(find "$d/inspect-f" -regextype posix-extended -regex '.*/[0-9]+\.status' | wc -l)
        (( n == NT )) || die "$d/inspect-f has $n statuses, want $NT"
    done
done
# a Go pointer address differs on every run: no template may print one
if grep -rlE '0xc[0-9a-f]{9}' "$OUT" --include='*.txt' >/dev/null; then
    die "an output prints a Go pointer address: $(grep -rlE '0xc[0-9a-f]{9}' "$OUT" --include='*.txt' | head -n3)"
fi
if grep -rlF -e "$SCRATCH" -e "$REPO" "$OUT" >/dev/null; then
    die "an output names the scratch dir or the repo: $(grep -rlF -e "$SCRATCH" -e "$REPO" "$OUT" | head -n3)"
fi

say "stopping dockerd"
[[ -z $R28 ]] || umount "$R28/run/docker.sock"
al_stop

rm -rf "$DEST"
mkdir -p "$(dirname "$DEST")"
cp -r "$OUT" "$DEST"
chmod -R u+rwX,go+rX,go-w "$DEST"
say "wrote ${DEST#"$REPO"/} ($(find "$DEST" -type f | wc -l) files)"
