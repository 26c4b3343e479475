# inspect-cases.sh -- the "inspect corpus" part of make-golden.sh.
#
# NOT a stand-alone script: make-golden.sh sources it inside its private mount
# namespace, after dockerd (vfs), the registry and the podman wrapper `pm` are
# up, and calls `inspect_corpus`.  Regenerate everything with
#     bash scripts/golden/make-golden.sh
#
# It builds one image per case (all FROM scratch, no RUN, no network) and saves
# what the real tools PRINT about it, byte for byte, to
#     tests/data/golden/inspect/<case>/     (+ inspect/multi/ for several refs)
# File kinds (see the README.md it writes): cli-default.json (CLI 20.10),
# cli28-default.json (CLI 28.2.2, API 1.41 negotiated), engine-v1.41.json (raw
# HTTP body), template.json / cli28-template.json (--format '{{json .}}'),
# cli28-json.json (--format json), podman.json, history.jsonl, config.json
# (dockerd's imagedb bytes), docker-save.tar / podman-save.tar, meta.json;
# engine-after-load-{vfs,overlay2}.json + history-after-load.jsonl (after-load.sh).
# A command that fails leaves its stdout, X.stderr and X.rc; the run goes on.
#
# Uses from make-golden.sh: SCRATCH W LOGS REG DOCKER pm die say step.

DOCKER28=/usr/local/bin/docker        # Docker CLI 28.2.2 (static, no buildx)
SOCK=/run/docker.sock
LAYERDB=/var/lib/docker/image/vfs/layerdb
IMAGEDB=/var/lib/docker/image/vfs/imagedb/content/sha256
GOLD=$SCRATCH/golden                  # copied into the repo only at the very end
GI=$GOLD/inspect
IC=$W/ictx                            # build contexts of the inspect cases
IM=$W/imeta                           # per-case notes for meta.py
SAVE_LIMIT=204800                     # keep docker-save.tar only below 200 KB
CASES=()                              # in build order

# --- helpers ---------------------------------------------------------------

# icase NAME BUILDER DESCRIPTION -- start a case (directory + meta notes)
icase() {
    CASES+=("$1")
    mkdir -p "$GI/$1" "$IM/$1"
    printf '%s\n' "$2" > "$IM/$1/builder.txt"
    printf '%s\n' "$3" > "$IM/$1/description.txt"
}
note()    { printf '%s\n' "$2" >> "$IM/$1/notes.txt"; }
addref()  { printf '%s\n' "$2" >> "$IM/$1/refs.txt"; }

# irun CASE CMD... -- run a setup command and log it (scratch paths hidden) in meta.
# A failing setup command aborts the run (set -e): it means the case is broken.
irun() {
    local c=$1; shift
    local line; line=$(printf '%q ' "$@"); line=${line% }
    line=${line//"$IC"/<ctx>}; line=${line//"$W"/<work>}
    [[ $line == "pm "* ]] && line="podman ${line#pm }"   # pm = podman + the vfs flags (make-golden.sh)
    printf '%s\n' "$line" >> "$IM/$c/commands.txt"
    "$@"
}

# cap OUTFILE CMD... -- stdout exactly into OUTFILE; stderr into OUTFILE.stderr
# (deleted when empty); a non-zero exit status into OUTFILE.rc.  Never fails.
cap() {
    local out=$1; shift
    local rc=0
    "$@" > "$out" 2> "$out.stderr" || rc=$?
    [[ -s $out.stderr ]] || rm -f "$out.stderr"
    if (( rc != 0 )); then echo "$rc" > "$out.rc"; say "  (kept failure rc=$rc: ${out#"$GOLD"/})"; fi
    return 0
}

# engine OUTFILE PATH -- raw HTTP body from dockerd; non-200 status into OUTFILE.http_status
engine() {
    local out=$1 path=$2 code rc=0
    code=$(curl -sS --unix-socket "$SOCK" -o "$out" -w '%{http_code}' "http://localhost$path" 2> "$out.stderr") || rc=$?
    [[ -s $out.stderr ]] || rm -f "$out.stderr"
    (( rc == 0 )) || echo "$rc" > "$out.rc"
    [[ $code == 200 ]] || echo "$code" > "$out.http_status"
    return 0
}

img_id() { "$DOCKER" image inspect --format '{{.Id}}' "$1"; }

# docker_printers DIR REF [v124] -- every docker printer for one ref
docker_printers() {
    local d=$1 ref=$2
    cap "$d/cli-default.json"     "$DOCKER"   image inspect "$ref"
    cap "$d/cli28-default.json"   "$DOCKER28" image inspect "$ref"
    cap "$d/template.json"        "$DOCKER"   image inspect --format '{{json .}}' "$ref"
    cap "$d/cli28-template.json"  "$DOCKER28" image inspect --format '{{json .}}' "$ref"
    cap "$d/cli28-json.json"      "$DOCKER28" image inspect --format json "$ref"
    engine "$d/engine-v1.41.json" "/v1.41/images/$ref/json"
    [[ ${3:-} == v124 ]] && engine "$d/engine-v1.24.json" "/v1.24/images/$ref/json"
    cap "$d/history.jsonl"        "$DOCKER"   history --no-trunc --format '{{json .}}' "$ref"
    cap "$d/cli28-history.jsonl"  "$DOCKER28" history --no-trunc --format '{{json .}}' "$ref"
    return 0
}

# docker_store CASE REF -- config bytes from the imagedb, docker save (if small)
docker_store() {
    local c=$1 ref=$2 id hex d=$GI/$1
    id=$(img_id "$ref"); hex=${id#sha256:}
    echo "$id" > "$IM/$c/image_id.txt"
    cp "$IMAGEDB/$hex" "$d/config.json"; chmod 644 "$d/config.json"
    [[ "$(sha256sum < "$d/config.json" | cut -d' ' -f1)" == "$hex" ]] || die "$c: imagedb bytes do not hash to $id"
}

# docker_save CASE REF... -- docker-save.tar (all REFs in one archive), kept if < 200 KB
docker_save() {
    local c=$1; shift
    local d=$GI/$c rc=0
    local line; line=$(printf '%q ' docker save -o docker-save.tar "$@"); printf '%s\n' "${line% }" >> "$IM/$c/commands.txt"
    "$DOCKER" save -o "$W/save.$c.tar" "$@" 2> "$d/docker-save.tar.stderr" || rc=$?
    [[ -s $d/docker-save.tar.stderr ]] || rm -f "$d/docker-save.tar.stderr"
    if (( rc != 0 )); then
        echo "$rc" > "$d/docker-save.tar.rc"; rm -f "$W/save.$c.tar"
        note "$c" "docker save failed (rc=$rc), see docker-save.tar.stderr"
        say "  (kept failure: docker save $c)"
        return 0
    fi
    local sz; sz=$(stat -c %s "$W/save.$c.tar")
    if (( sz < SAVE_LIMIT )); then cp "$W/save.$c.tar" "$d/docker-save.tar"; chmod 644 "$d/docker-save.tar"
    else note "$c" "docker-save.tar not kept: $sz bytes >= $SAVE_LIMIT"; fi
}

# podman_load CASE REF -- docker save | podman load (via the saved tar), then podman inspect REF
podman_load() {
    local c=$1 ref=$2 tarf=$W/save.$1.tar
    [[ -f $tarf ]] || { note "$c" "no podman view: docker save failed"; return 0; }
    printf '%s\n' "podman load -i docker-save.tar" >> "$IM/$c/commands.txt"
    pm load -q -i "$tarf" > "$W/pmload.$c.out" 2>&1 || { note "$c" "podman load failed: $(tr '\n' ' ' < "$W/pmload.$c.out")"; return 0; }
    echo "$ref" > "$IM/$c/podman_ref.txt"
    cap "$GI/$c/podman.json" pm image inspect "$ref"
}

# dockerfile CASE DIR -- write DIR/Dockerfile from stdin and keep a copy for meta
dockerfile() { mkdir -p "$2"; cat > "$2/Dockerfile"; cp "$2/Dockerfile" "$IM/$1/Dockerfile"; }

# finish CASE -- meta.json (written by python's json module)
finish() { python3 "$SCRIPT_DIR/meta.py" case "$GI/$1" "$IM/$1" "$LAYERDB"; }

# --- the cases ---------------------------------------------------------------
inspect_corpus() {
    mkdir -p "$GI" "$IC" "$IM"
    local LS; LS=$(printf '\342\200\250')  # LINE SEPARATOR, must come out as \u2028 in every JSON printer

    step "inspect corpus: build the cases"

    # legacy-full -----------------------------------------------------------
    icase legacy-full "dockerd 20.10 legacy builder (DOCKER_BUILDKIT=0)" \
        "every metadata instruction, exec forms, unicode/<>&/\\t/U+2028 labels"
    mkdir -p "$IC/legacy-full/dir"
    printf 'full a\n' > "$IC/legacy-full/a.txt"; printf 'full nested\n' > "$IC/legacy-full/dir/n.txt"
    dockerfile legacy-full "$IC/legacy-full" <<EOF
FROM scratch
MAINTAINER Inspect Golden <inspect@example.invalid>
LABEL org.example.title="inspect <full> & co" \\
      org.example.unicode="héllo wörld ☃ 日本語 𝄞" \\
      org.example.tab="tab\\there" \\
      org.example.linesep="line${LS}sep" \\
      org.example.empty="" \\
      org.example.quote="say \\"hi\\" & <bye>"
ENV GREETING="grüße <world> & ☃" \\
    SPACED="a  b   c" \\
    TABBED="x\\ty"
EXPOSE 80/tcp 53/udp 8080 9000-9002/tcp 6000-6001/udp
VOLUME ["/data", "/var/log/app"]
HEALTHCHECK --interval=1m30s --timeout=5s500ms --start-period=10s --retries=4 CMD ["/app/check", "--quick"]
ONBUILD COPY . /onbuild
ONBUILD LABEL org.example.child="yes"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
COPY a.txt /app/a.txt
COPY dir/ /app/dir/
WORKDIR /app
USER 1000:1000
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/bin", "--flag=<x>&y"]
CMD ["--help"]
EOF
    irun legacy-full env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t case/legacy-full "$IC/legacy-full" >/dev/null
    addref legacy-full case/legacy-full:latest

    # legacy-shell-forms ------------------------------------------------------
    icase legacy-shell-forms "dockerd 20.10 legacy builder (DOCKER_BUILDKIT=0)" \
        "SHELL, shell-form ENTRYPOINT/CMD/HEALTHCHECK, numeric STOPSIGNAL, last step COPY"
    mkdir -p "$IC/legacy-shell-forms"; printf 'shell\n' > "$IC/legacy-shell-forms/s.txt"
    dockerfile legacy-shell-forms "$IC/legacy-shell-forms" <<'EOF'
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
    irun legacy-shell-forms env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t case/legacy-shell-forms "$IC/legacy-shell-forms" >/dev/null
    addref legacy-shell-forms case/legacy-shell-forms:latest

    # legacy-multi-layer --------------------------------------------------------
    icase legacy-multi-layer "dockerd 20.10 legacy builder (DOCKER_BUILDKIT=0)" \
        "several COPY layers incl. a symlink and a nested dir; WORKDIR layer"
    mkdir -p "$IC/legacy-multi-layer/tree/nested"
    printf 'l1\n' > "$IC/legacy-multi-layer/one.txt"
    printf 'layer two, a bit longer\n' > "$IC/legacy-multi-layer/two.txt"
    printf 'nested n1\n' > "$IC/legacy-multi-layer/tree/nested/n1.txt"
    printf 'nested n2 content\n' > "$IC/legacy-multi-layer/tree/nested/n2.txt"
    ln -s nested/n2.txt "$IC/legacy-multi-layer/tree/link-to-n2"
    ln -s two.txt "$IC/legacy-multi-layer/sym"
    dockerfile legacy-multi-layer "$IC/legacy-multi-layer" <<'EOF'
FROM scratch
COPY one.txt /one.txt
COPY two.txt /opt/two.txt
COPY tree/ /tree/
COPY sym /sym
WORKDIR /work
COPY one.txt two.txt /work/
ENV LAYERS=many
CMD ["/one.txt"]
EOF
    irun legacy-multi-layer env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t case/legacy-multi-layer "$IC/legacy-multi-layer" >/dev/null
    addref legacy-multi-layer case/legacy-multi-layer:latest

    # legacy-derived --------------------------------------------------------------
    icase legacy-derived "dockerd 20.10 legacy builder (DOCKER_BUILDKIT=0)" \
        "FROM legacy-full in the same daemon (ONBUILD triggers run; Parent non-empty)"
    mkdir -p "$IC/legacy-derived"
    printf 'derived\n' > "$IC/legacy-derived/d.txt"
    dockerfile legacy-derived "$IC/legacy-derived" <<'EOF'
FROM case/legacy-full:latest
LABEL org.example.derived="yes <child>"
ENV GREETING="overridden" EXTRA=1
COPY d.txt /app/d.txt
USER root
CMD ["--derived"]
EOF
    irun legacy-derived env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t case/legacy-derived "$IC/legacy-derived" >/dev/null
    addref legacy-derived case/legacy-derived:latest

    # legacy-multi-tag --------------------------------------------------------------
    icase legacy-multi-tag "dockerd 20.10 legacy builder + docker tag" \
        "one image, many tags (localhost:5000, 127.0.0.1:5000, docker.io/library, myorg)"
    mkdir -p "$IC/legacy-multi-tag"
    printf 'tags\n' > "$IC/legacy-multi-tag/t.txt"
    dockerfile legacy-multi-tag "$IC/legacy-multi-tag" <<'EOF'
FROM scratch
COPY t.txt /t.txt
LABEL org.example.case="multi-tag"
CMD ["/t.txt"]
EOF
    irun legacy-multi-tag env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t case/legacy-multi-tag "$IC/legacy-multi-tag" >/dev/null
    addref legacy-multi-tag case/legacy-multi-tag:latest
    local t
    for t in case/legacy-multi-tag:v1 localhost:5000/case/app:1 127.0.0.1:5000/case/app:1 \
             myorg/app:stable docker.io/myorg/app:v2 app:explicit docker.io/library/app:latest \
             localhost/case/app:2; do
        irun legacy-multi-tag "$DOCKER" tag case/legacy-multi-tag:latest "$t"
        addref legacy-multi-tag "$t"
    done

    # dangling ----------------------------------------------------------------------
    icase dangling "dockerd 20.10 legacy builder, then the tag moved to another image" \
        "untagged image (RepoTags []), inspected by ID"
    mkdir -p "$IC/dangling" "$IC/dangling-next"
    printf 'dangling\n' > "$IC/dangling/x.txt"
    dockerfile dangling "$IC/dangling" <<'EOF'
FROM scratch
COPY x.txt /x.txt
LABEL org.example.case="dangling"
EOF
    irun dangling env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t case/dangling:1 "$IC/dangling" >/dev/null
    local dangling_id; dangling_id=$(img_id case/dangling:1)
    printf 'FROM scratch\nLABEL org.example.case="dangling-next"\n' > "$IC/dangling-next/Dockerfile"
    irun dangling env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t case/dangling:1 "$IC/dangling-next" >/dev/null
    [[ $(img_id case/dangling:1) != "$dangling_id" ]] || die "dangling: the tag did not move"
    addref dangling "$dangling_id"
    note dangling "built as case/dangling:1, then case/dangling:1 was rebuilt from 'FROM scratch + LABEL' so the first image lost its tag"

    # zero-layer ----------------------------------------------------------------------
    icase zero-layer "dockerd 20.10 legacy builder (DOCKER_BUILDKIT=0)" \
        "FROM scratch with only LABEL/CMD: no layers"
    dockerfile zero-layer "$IC/zero-layer" <<'EOF'
FROM scratch
LABEL org.example.case="zero-layer" org.example.note="no <layers> & none"
CMD ["/nothing"]
EOF
    irun zero-layer env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t case/zero-layer "$IC/zero-layer" >/dev/null
    addref zero-layer case/zero-layer:latest

    # buildkit-full ---------------------------------------------------------------------
    icase buildkit-full "dockerd 20.10 BuildKit (DOCKER_BUILDKIT=1, 20.10 CLI session, --network none)" \
        "ARG/LABEL/ENV/COPY --chown/EXPOSE/VOLUME/HEALTHCHECK/ONBUILD/SHELL/USER/WORKDIR/STOPSIGNAL"
    mkdir -p "$IC/buildkit-full"
    printf 'bk one\n' > "$IC/buildkit-full/one.txt"; printf 'bk two\n' > "$IC/buildkit-full/two.txt"
    dockerfile buildkit-full "$IC/buildkit-full" <<EOF
FROM scratch
ARG VERSION=1.2.3
LABEL org.opencontainers.image.version="\${VERSION}" org.example.builder="buildkit <bk> & ☃" \\
      org.example.linesep="bk${LS}sep" org.example.tab="tab\\there"
ENV APP_VERSION=\${VERSION} GREETING="grüße <bk>"
COPY one.txt /one.txt
COPY --chown=1000:1000 two.txt /opt/two.txt
EXPOSE 443 5353/udp 7000-7001
VOLUME /cache
HEALTHCHECK --interval=15s --timeout=3s --start-period=1s --retries=2 CMD ["/one.txt"]
ONBUILD LABEL org.example.child="bk"
SHELL ["/bin/sh", "-xc"]
USER 1000
WORKDIR /opt
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/opt/app"]
CMD ["serve"]
EOF
    irun buildkit-full env DOCKER_BUILDKIT=1 "$DOCKER" build --network none -q -t case/buildkit-full "$IC/buildkit-full" >/dev/null
    addref buildkit-full case/buildkit-full:latest

    # buildkit-zero-layer -------------------------------------------------------------------
    icase buildkit-zero-layer "dockerd 20.10 BuildKit (DOCKER_BUILDKIT=1, --network none)" \
        "BuildKit FROM scratch with only LABEL/CMD (created: null)"
    dockerfile buildkit-zero-layer "$IC/buildkit-zero-layer" <<'EOF'
FROM scratch
LABEL org.example.case="buildkit-zero-layer"
CMD ["/nothing"]
EOF
    irun buildkit-zero-layer env DOCKER_BUILDKIT=1 "$DOCKER" build --network none -q -t case/buildkit-zero-layer "$IC/buildkit-zero-layer" >/dev/null
    addref buildkit-zero-layer case/buildkit-zero-layer:latest

    # arm64 (legacy) and arm64-buildkit -------------------------------------------------------
    # COPY first: with the legacy builder a metadata step before the first COPY commits
    # an amd64 intermediate and the COPY then fails (see make-golden.sh).
    icase arm64 "dockerd 20.10 legacy builder, docker build --platform linux/arm64" \
        "foreign architecture FROM scratch (Architecture arm64, no Variant)"
    mkdir -p "$IC/arm64"; printf 'arm64\n' > "$IC/arm64/arm.txt"
    dockerfile arm64 "$IC/arm64" <<'EOF'
FROM scratch
COPY arm.txt /arm.txt
LABEL org.example.platform="linux/arm64"
CMD ["/arm.txt"]
EOF
    irun arm64 env DOCKER_BUILDKIT=0 "$DOCKER" build --platform linux/arm64 -q -t case/arm64 "$IC/arm64" >/dev/null
    addref arm64 case/arm64:latest
    icase arm64-buildkit "dockerd 20.10 BuildKit, docker build --platform linux/arm64/v8 --network none" \
        "foreign architecture via BuildKit"
    mkdir -p "$IC/arm64-buildkit"; cp "$IC/arm64/arm.txt" "$IC/arm64-buildkit/"
    dockerfile arm64-buildkit "$IC/arm64-buildkit" < "$IC/arm64/Dockerfile"
    irun arm64-buildkit env DOCKER_BUILDKIT=1 "$DOCKER" build --network none --platform linux/arm64/v8 -q -t case/arm64-buildkit "$IC/arm64-buildkit" >/dev/null
    addref arm64-buildkit case/arm64-buildkit:latest

    # import / import-plain ---------------------------------------------------------------------
    mkdir -p "$IC/import-root/etc" "$IC/import-root/bin"
    printf 'imported\n' > "$IC/import-root/hello"
    printf 'inspect:x:1000:1000::/:/hello\n' > "$IC/import-root/etc/passwd"
    ln -s ../hello "$IC/import-root/bin/hello"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$IC/import-root" -cf "$IC/import.tar" .
    icase import "dockerd 20.10 docker import (file, --change, --message)" \
        "imported tar with --change ENV/CMD/LABEL/EXPOSE/WORKDIR/USER and --message"
    irun import "$DOCKER" import \
        --change 'ENV IMPORTED=yes PATH=/bin' --change 'CMD ["/hello"]' --change 'ENTRYPOINT ["/bin/hello"]' \
        --change 'LABEL org.example.imported="tar <file> & more ☃"' --change 'EXPOSE 8080/tcp' \
        --change 'WORKDIR /' --change 'USER 1000' \
        --message 'inspect import <msg> & co' "$IC/import.tar" case/import:1 >/dev/null
    addref import case/import:1
    icase import-plain "dockerd 20.10 docker import (file, no --change)" "all-zero Config, Comment 'Imported from -'"
    irun import-plain "$DOCKER" import "$IC/import.tar" case/import-plain:1 >/dev/null
    addref import-plain case/import-plain:1

    # commit ------------------------------------------------------------------------------------
    icase commit "dockerd 20.10 docker create + docker commit (-m -a --change), container never started" \
        "committed image: ContainerConfig = the container's config, Parent = the image"
    irun commit "$DOCKER" create --name inspect-commit --hostname committer --env FROM_CREATE=1 \
        --label org.example.created="by create" case/legacy-multi-layer:latest >/dev/null
    irun commit "$DOCKER" commit -m 'commit <msg> & co' -a 'Committer <c@example.invalid>' \
        --change 'ENV COMMITTED=yes' --change 'LABEL org.example.committed="yes"' \
        --change 'CMD ["/two.txt"]' --change 'EXPOSE 9090' \
        inspect-commit case/commit:1 >/dev/null
    irun commit "$DOCKER" rm inspect-commit >/dev/null
    addref commit case/commit:1

    # pulled ------------------------------------------------------------------------------------
    icase pulled "dockerd 20.10 legacy builder; docker push to registry 2.8; docker rmi; docker pull" \
        "pulled image: RepoDigests filled, LastTagTime zero, Parent empty"
    mkdir -p "$IC/pulled"; printf 'pulled\n' > "$IC/pulled/p.txt"
    dockerfile pulled "$IC/pulled" <<'EOF'
FROM scratch
COPY p.txt /p.txt
LABEL org.example.case="pulled <reg> & back"
ENV PULLED=1
CMD ["/p.txt"]
EOF
    irun pulled env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t "$REG/case/pulled:1" "$IC/pulled" >/dev/null
    irun pulled "$DOCKER" push -q "$REG/case/pulled:1" >/dev/null
    local pulled_id; pulled_id=$(img_id "$REG/case/pulled:1")
    irun pulled "$DOCKER" rmi "$REG/case/pulled:1" >/dev/null
    if "$DOCKER" image inspect "$pulled_id" >/dev/null 2>&1; then die "pulled: image still present after rmi"; fi
    irun pulled "$DOCKER" pull -q "$REG/case/pulled:1" >/dev/null
    addref pulled "$REG/case/pulled:1"

    # healthcheck-none / entrypoint-reset -----------------------------------------------------------
    icase healthcheck-none "dockerd 20.10 legacy builder (DOCKER_BUILDKIT=0)" \
        "HEALTHCHECK NONE over legacy-full (its healthcheck has every duration); ONBUILD triggers run"
    mkdir -p "$IC/healthcheck-none"
    dockerfile healthcheck-none "$IC/healthcheck-none" <<'EOF'
FROM case/legacy-full:latest
HEALTHCHECK NONE
EOF
    irun healthcheck-none env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t case/healthcheck-none "$IC/healthcheck-none" >/dev/null
    addref healthcheck-none case/healthcheck-none:latest
    icase entrypoint-reset "dockerd 20.10 legacy builder (DOCKER_BUILDKIT=0)" \
        "ENTRYPOINT [] and CMD [] over legacy-shell-forms"
    mkdir -p "$IC/entrypoint-reset"
    dockerfile entrypoint-reset "$IC/entrypoint-reset" <<'EOF'
FROM case/legacy-shell-forms:latest
ENTRYPOINT []
CMD []
EOF
    irun entrypoint-reset env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t case/entrypoint-reset "$IC/entrypoint-reset" >/dev/null
    addref entrypoint-reset case/entrypoint-reset:latest

    # podman-docker / podman-oci ------------------------------------------------------------------
    mkdir -p "$IC/podman/dir"
    printf 'podman hello\n' > "$IC/podman/hello.txt"; printf 'podman nested\n' > "$IC/podman/dir/nested.txt"
    local fmt
    for fmt in docker oci; do
        icase "podman-$fmt" "podman 4.3.1 build --format $fmt (buildah 1.28)" \
            "podman-built image ($fmt config); also podman save | docker load"
        dockerfile "podman-$fmt" "$IC/podman" <<EOF
FROM scratch
LABEL org.example.tool="podman" org.example.text="a<b>&c ☃" org.example.linesep="pm${LS}sep"
ENV GREETING="héllo <podman> & ☃" TABBED="x\\ty"
COPY hello.txt /hello.txt
COPY dir/ /dir/
EXPOSE 8080/tcp 53/udp
VOLUME /data
HEALTHCHECK --interval=20s --timeout=2s --start-period=3s --retries=5 CMD ["/hello.txt"]
ONBUILD COPY . /onbuild
SHELL ["/bin/sh", "-c"]
WORKDIR /dir
USER 1000
STOPSIGNAL SIGINT
ENTRYPOINT ["/hello"]
CMD ["--version"]
EOF
        irun "podman-$fmt" pm build -q --format "$fmt" -t "localhost/case/podman-$fmt:latest" "$IC/podman" >/dev/null 2>"$LOGS/podman-$fmt-build.stderr"
        addref "podman-$fmt" "localhost/case/podman-$fmt:latest"
        echo "localhost/case/podman-$fmt:latest" > "$IM/podman-$fmt/podman_ref.txt"
    done

    step "inspect corpus: capture docker printers"
    local c ref
    for c in "${CASES[@]}"; do
        ref=$(head -n1 "$IM/$c/refs.txt")
        case $c in podman-*) continue ;; esac
        echo "$ref" > "$IM/$c/docker_ref.txt"
        case $c in legacy-full|buildkit-full|zero-layer|dangling) docker_printers "$GI/$c" "$ref" v124 ;;
                   *) docker_printers "$GI/$c" "$ref" ;; esac
        docker_store "$c" "$ref"
        if [[ $c == legacy-multi-tag ]]; then docker_save "$c" $(cat "$IM/$c/refs.txt")
        else docker_save "$c" "$ref"; fi
    done

    step "inspect corpus: podman views (podman load of docker saves, podman pull, podman builds)"
    for c in "${CASES[@]}"; do
        ref=$(head -n1 "$IM/$c/refs.txt")
        case $c in
            podman-*)
                local d=$GI/$c
                cap "$d/podman.json" pm image inspect "$ref"
                skopeo inspect --raw --config "containers-storage:[vfs@/var/lib/containers/storage+/run/containers/storage]$ref" > "$d/podman-config.json"
                irun "$c" pm save -q -o "$d/podman-save.tar" "$ref"
                sed -i "\$s|$d/|<case>/|" "$IM/$c/commands.txt"
                if [[ $c == podman-oci ]]; then
                    irun "$c" pm save -q --format oci-archive -o "$d/podman-save.oci-archive.tar" "$ref"
                    sed -i "\$s|$d/|<case>/|" "$IM/$c/commands.txt"
                fi
                # docker's view of the podman-built image
                irun "$c" "$DOCKER" load -q -i "$d/podman-save.tar" >/dev/null
                sed -i "\$s|$d/|<case>/|" "$IM/$c/commands.txt"
                echo "$ref" > "$IM/$c/docker_ref.txt"
                docker_printers "$d" "$ref"
                docker_store "$c" "$ref"
                ;;
            pulled)
                irun "$c" pm pull -q --tls-verify=false "$ref" >/dev/null
                echo "$ref" > "$IM/$c/podman_ref.txt"
                cap "$GI/$c/podman.json" pm image inspect "$ref"
                ;;
            dangling) podman_load "$c" "${ref#sha256:}" ;;
            zero-layer|buildkit-zero-layer) ;;   # docker save fails: via the registry, after multi/
            *) podman_load "$c" "$ref" ;;
        esac
    done

    # multi -----------------------------------------------------------------------------------
    step "inspect corpus: several refs in one call, missing refs"
    local m=$GI/multi
    mkdir -p "$m" "$IM/multi"
    printf '%s\n' "several refs per call, missing and mixed refs" > "$IM/multi/description.txt"
    printf '%s\n' "dockerd 20.10 + both CLIs; podman 4.3.1" > "$IM/multi/builder.txt"
    local A=case/legacy-full:latest B=case/buildkit-full:latest C=case/zero-layer:latest MISS=case/does-not-exist:nope
    printf '%s\n' "$A" "$B" "$C" "$MISS" > "$IM/multi/refs.txt"
    cap "$m/cli-default.json"    "$DOCKER"   image inspect "$A" "$B" "$C"
    cap "$m/cli28-default.json"  "$DOCKER28" image inspect "$A" "$B" "$C"
    # a template prints one line per image (no array): JSON lines
    cap "$m/template.jsonl"       "$DOCKER"   image inspect --format '{{json .}}' "$A" "$B" "$C"
    cap "$m/cli28-template.jsonl" "$DOCKER28" image inspect --format '{{json .}}' "$A" "$B" "$C"
    cap "$m/cli28-json.json"     "$DOCKER28" image inspect --format json "$A" "$B" "$C"
    # the 20.10 CLI has no --format json: "json" is a literal template
    cap "$m/cli-format-json.txt" "$DOCKER"   image inspect --format json "$A" "$B"
    cap "$m/same-twice.cli-default.json" "$DOCKER" image inspect "$A" "$A"
    cap "$m/missing.cli-default.json"    "$DOCKER"   image inspect "$MISS"
    cap "$m/missing.cli28-default.json"  "$DOCKER28" image inspect "$MISS"
    cap "$m/missing.template.jsonl"      "$DOCKER"   image inspect --format '{{json .}}' "$MISS"
    cap "$m/missing.cli28-json.json"     "$DOCKER28" image inspect --format json "$MISS"
    engine "$m/missing.engine-v1.41.json" "/v1.41/images/$MISS/json"
    cap "$m/mixed.cli-default.json"      "$DOCKER"   image inspect "$A" "$MISS" "$C"
    cap "$m/mixed.cli28-default.json"    "$DOCKER28" image inspect "$A" "$MISS" "$C"
    cap "$m/mixed.cli28-json.json"       "$DOCKER28" image inspect --format json "$A" "$MISS" "$C"
    cap "$m/podman.json"         pm image inspect "$A" localhost/case/podman-docker:latest localhost/case/podman-oci:latest
    cap "$m/missing.podman.json" pm image inspect "$MISS"
    cap "$m/mixed.podman.json"   pm image inspect "$A" "$MISS"
    cat > "$IM/multi/notes.txt" <<EOF
cli-default / cli28-default / template.jsonl / cli28-template.jsonl / cli28-json: refs $A $B $C in one call
cli-format-json.txt: 20.10 CLI with --format json (a literal template, not JSON), refs $A $B
same-twice.cli-default.json: $A given twice
missing.*: $MISS only;  mixed.*: $A $MISS $C (podman: $A $MISS)
podman.json: $A localhost/case/podman-docker:latest localhost/case/podman-oci:latest
EOF

    # Zero-layer images cannot be docker-saved ("empty export - not implemented"),
    # so podman gets them from the registry.  Done last: the extra tag that the push
    # needs bumps LastTagTime, and every docker printer has already run.
    step "inspect corpus: zero-layer images to podman via the registry"
    # podman 4.3 walks every zero-layer image of the store when it inspects a
    # zero-layer image (layer tree / parent lookup) and reads each as a possible
    # manifest list; the list that make-golden.sh section 6 left in the store
    # (localhost/golden/multi:1) then fails with "fetching target platform image
    # selected from image index: ... locating item named manifest-sha256:...".
    # That list is no longer needed (section 7 copied it from the registry).
    pm manifest rm localhost/golden/multi:1 >/dev/null
    for c in zero-layer buildkit-zero-layer; do
        ref=$(head -n1 "$IM/$c/refs.txt")
        irun "$c" "$DOCKER" tag "$ref" "$REG/case/$c:podman"
        irun "$c" "$DOCKER" push -q "$REG/case/$c:podman" >/dev/null
        irun "$c" "$DOCKER" rmi "$REG/case/$c:podman" >/dev/null
        irun "$c" pm pull -q --tls-verify=false "$REG/case/$c:podman" >/dev/null
        echo "$REG/case/$c:podman" > "$IM/$c/podman_ref.txt"
        cap "$GI/$c/podman.json" pm image inspect "$REG/case/$c:podman"
        if [[ -f $GI/$c/podman.json.rc ]]; then   # keep the failure, then try by ID
            local f zid; zid=$(cat "$IM/$c/image_id.txt"); zid=${zid#sha256:}
            for f in "$GI/$c/podman.json"*; do mv "$f" "${f/podman.json/podman-by-name.json}"; done
            echo "$zid" > "$IM/$c/podman_ref.txt"
            cap "$GI/$c/podman.json" pm image inspect "$zid"
            note "$c" "podman-by-name.json: podman image inspect by name failed (kept); podman.json is by image ID"
        fi
        note "$c" "podman view made after all docker printers ran: docker save cannot export a zero-layer image, so it went through the registry"
    done

    # after-load oracle (fresh vfs / overlay2 daemons) and skopeo/umoci layouts: after-load.sh
    after_load_corpus
    layouts_corpus

    for c in "${CASES[@]}" multi; do finish "$c"; done

    # tool versions, exactly as printed
    {
        echo "## $DOCKER version";   "$DOCKER" version
        echo "## $DOCKER28 version"; "$DOCKER28" version
        echo "## podman version";    pm version
        echo "## skopeo --version";  skopeo --version
        echo "## umoci --version";   umoci --version
        echo "## curl --version | head -1"; curl --version | head -n1
    } > "$GOLD/TOOLS.txt" 2>&1
    python3 "$SCRIPT_DIR/meta.py" readme "$GI"
    mv "$GI/README.md" "$GOLD/README.md"
}

# inspect_check -- validity + scratch-path check (exit 3), size summary
inspect_check() {
    local bad=0 f
    while IFS= read -r -d '' f; do
        case $f in *.stderr|*.rc|*.http_status|*.txt|*.tar|*.md) continue ;; esac
        if [[ $f == *.jsonl ]]; then
            python3 -c 'import json,sys
for l in open(sys.argv[1],"rb").read().splitlines(): json.loads(l)' "$f" 2>/dev/null \
                || { [[ -f $f.rc ]] || { say "invalid JSON lines: $f"; bad=1; }; }
        elif [[ -s $f ]]; then
            python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read())' "$f" 2>/dev/null \
                || { [[ -f $f.rc ]] || { say "invalid JSON: $f"; bad=1; }; }
        fi
    done < <(find "$GOLD" -path "$GOLD/layouts" -prune -o -type f -print0)   # layouts/: layouts_check
    (( bad == 0 )) || die "inspect corpus has invalid JSON"
    layouts_check
    if grep -rlaF "$SCRATCH" "$GOLD" >&2; then
        say "inspect corpus files contain the scratch path $SCRATCH"; exit 3
    fi
    local total; total=$(du -sb "$GOLD" | cut -f1)
    (( total < 8000000 )) || die "inspect corpus too large: $total bytes"
}
