#!/usr/bin/env bash
# Debian's Chromium for the browser test of GraphiQL (CI runs this; so can you, as root or with
# sudo): installs it from Debian's packages when /usr/bin/chromium is missing, then prints its
# version. The test drives it with playwright-core, which never downloads a browser of its own.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium is not installed: installing it from Debian's packages." >&2
  $SUDO apt-get update -qq >&2
  # Fonts so the result pane renders text a person could read in a screenshot.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    chromium fonts-liberation >&2
fi
/usr/bin/chromium --version
