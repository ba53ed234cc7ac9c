#!/usr/bin/env bash
# make prometheus and make test: Prometheus and promtool from Debian's prometheus package. This finds them
# on the PATH, and installs the package with apt-get (no recommends: not the node exporter) only when one
# is missing and apt-get can; otherwise it says what to install and exits 1, so a test that needs them
# fails with this message rather than being skipped. `install-prometheus.sh --print` prints both paths.
# Installing the package also enables Debian's own Prometheus service (port 9090) where systemd runs;
# make prometheus never uses it: it starts its own on a free port.
set -euo pipefail

fail() {
  echo "error: $*" >&2
  exit 1
}

found() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1
}

none_found() {
  fail "prometheus and promtool are not both on the PATH, and $1. Install Debian's or Ubuntu's prometheus package (apt-get install prometheus), or put a Prometheus release's prometheus and promtool on the PATH."
}

if [ "${1:-}" = "--print" ]; then
  found || none_found "--print installs nothing"
  command -v prometheus
  command -v promtool
  exit 0
fi

if found; then
  echo "prometheus for make prometheus and the tests: $(command -v prometheus) ($(prometheus --version 2>&1 | head -n 1))"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || none_found "there is no apt-get to install them with"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || none_found "installing Debian's package needs root (run as root or install sudo)"
  SUDO="sudo"
fi
echo "no prometheus found: installing Debian's prometheus with apt-get…"
# Another apt may hold the lock a while (a second worker, unattended upgrades): wait for it, not fail.
$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq || echo "apt-get update failed; trying the package lists already here" >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends prometheus \
  || none_found "apt-get could not install Debian's prometheus package (see above)"
found || fail "apt-get installed prometheus but prometheus and promtool are not both on the PATH"
echo "prometheus installed: $(command -v prometheus) ($(prometheus --version 2>&1 | head -n 1))"
