#!/usr/bin/env bash
# The pprof export's tests read profiles back with `go tool pprof` (Debian's golang-go ships it).
set -euo pipefail
command -v go >/dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq golang-go >/dev/null
