#!/usr/bin/env bash
# Maven builds and tests heapscope.
set -euo pipefail
command -v mvn >/dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq maven >/dev/null
