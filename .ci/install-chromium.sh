#!/usr/bin/env bash
# Headless Chromium and its WebDriver for the browser tests (platform storage launch with cookies blocked; the
# admin console driven by Selenium through /usr/bin/chromedriver). Debian's `chromium` and `chromium-driver`
# packages; run as root (CI images) or with passwordless sudo. Idempotent.
set -euo pipefail
if { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } \
    && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
command -v chromium
command -v chromedriver
