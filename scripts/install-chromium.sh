#!/usr/bin/env bash
# Installs Debian's chromium for the demo's browser test, unless /usr/bin/chromium is already there.
# Needs root (as on the developer machines and in CI). Idempotent and quiet when nothing is to do.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium: /usr/bin/chromium is missing and this is not root; run: sudo $0" >&2
  exit 1
fi

echo "install-chromium: installing Debian chromium (one time)..." >&2
export DEBIAN_FRONTEND=noninteractive
# One apt at a time: the Redis tests may be installing redis-server in parallel (turbo runs two tasks).
flock /tmp/grantkit-apt.lock sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null'
/usr/bin/chromium --version >&2
