#!/usr/bin/env bash
# What Go's encoding/json makes of the case-variant key cases: runs
# gokeys/oracle.go (stdlib only, offline) on tests/data/golden/gokeys/cases.jsonl
# and writes tests/data/golden/gokeys/go.jsonl, which tests/codec/test_gokeys.py
# holds the library to. Needs `go` on PATH, or GO_CHROOT=<a root with
# /usr/lib/go/bin/go> (run as root), e.g. Debian sid's golang-go.
set -euo pipefail
cd "$(dirname "$0")/../.."
cases=tests/data/golden/gokeys/cases.jsonl
out=tests/data/golden/gokeys/go.jsonl
if [ -n "${GO_CHROOT:-}" ]; then
    work=$(mktemp -d "$GO_CHROOT/tmp/gokeys.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    cp scripts/golden/gokeys/oracle.go "$work/"
    inside=${work#"$GO_CHROOT"}
    chroot "$GO_CHROOT" /usr/bin/env HOME=/tmp GOCACHE="$inside/cache" GOTOOLCHAIN=local GOTELEMETRY=off GOROOT=/usr/lib/go \
        /usr/lib/go/bin/go run "$inside/oracle.go" < "$cases" > "$out.tmp"
    chroot "$GO_CHROOT" /usr/bin/env GOROOT=/usr/lib/go GOTELEMETRY=off /usr/lib/go/bin/go version > tests/data/golden/gokeys/GO.txt
else
    go run scripts/golden/gokeys/oracle.go < "$cases" > "$out.tmp"
    go version > tests/data/golden/gokeys/GO.txt
fi
mv "$out.tmp" "$out"
echo "wrote $out"
