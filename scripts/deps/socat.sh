#!/usr/bin/env bash
# socat makes the virtual serial ports (pty pairs) the monitor tests run against.
set -euo pipefail
command -v socat >/dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq socat >/dev/null
