#!/usr/bin/env bash
# PgBouncer (Debian's `pgbouncer` package, 1.18 on bookworm) for the tests that run the service through a
# connection pooler in transaction mode (testing.PgBouncerTestResource starts its own process with a generated
# ini under target/). The distribution's service is kept from starting: the tests need only the binary.
# Run as root (CI images) or with passwordless sudo. Idempotent.
set -euo pipefail
if command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
# invoke-rc.d asks policy-rc.d before starting a package's service; 101 = "action forbidden" (Debian policy 9.3.3).
policy=/usr/sbin/policy-rc.d
created_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  created_policy=yes
fi
cleanup() { if [ -n "$created_policy" ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null
# Debian enables the unit; on a machine with systemd keep it off so it never holds port 6432.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now pgbouncer >/dev/null 2>&1 || true
fi
test -x /usr/sbin/pgbouncer
/usr/sbin/pgbouncer --version
