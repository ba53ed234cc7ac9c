#!/usr/bin/env bash
# make test: the web test (test/web/web.test.ts) drives a headless Chromium or Chrome through playwright-core,
# which downloads no browser. This finds one where they usually live (CHROMIUM_PATH first, which overrides the
# rest), and installs Debian's chromium with apt-get only when none is found and apt-get can; otherwise it
# says what to install and exits 1. `install-browser.sh --print` only prints the path (the web test asks it).
set -euo pipefail

NAMES="chromium chromium-browser google-chrome google-chrome-stable"
APPS="Chromium.app/Contents/MacOS/Chromium|Google Chrome.app/Contents/MacOS/Google Chrome"

fail() {
  echo "error: $*" >&2
  exit 1
}

# CHROMIUM_PATH= names the browser: use it or say it is wrong, never look elsewhere.
if [ -n "${CHROMIUM_PATH:-}" ] && [ ! -x "$CHROMIUM_PATH" ]; then
  fail "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file"
fi

# Prints the browser's path; returns 1 when there is none.
find_browser() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    echo "$CHROMIUM_PATH"
    return 0
  fi
  local name found app dir
  for name in $NAMES; do
    if found="$(command -v "$name" 2>/dev/null)"; then
      echo "$found"
      return 0
    fi
  done
  local IFS='|'
  for app in $APPS; do
    for dir in /Applications "$HOME/Applications"; do
      if [ -x "$dir/$app" ]; then
        echo "$dir/$app"
        return 0
      fi
    done
  done
  return 1
}

none_found() {
  fail "no Chromium or Chrome found (looked for CHROMIUM_PATH, ${NAMES// /, } on the PATH, and Chromium or Google Chrome in /Applications). Install one (macOS: brew install --cask chromium, or Google Chrome; Debian or Ubuntu: apt-get install chromium), or point CHROMIUM_PATH=/path/to/chrome at one."
}

if [ "${1:-}" = "--print" ]; then
  find_browser || none_found
  exit 0
fi

if browser="$(find_browser)"; then
  echo "browser for the web test: $browser ($("$browser" --version 2>/dev/null || echo "version unknown"))"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || none_found
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "no Chromium or Chrome found, and installing Debian's chromium needs root (run as root, install sudo, or set CHROMIUM_PATH)"
  SUDO="sudo"
fi
echo "no Chromium or Chrome found: installing Debian's chromium with apt-get…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
browser="$(find_browser)" || fail "apt-get installed chromium but no chromium is on the PATH"
echo "chromium installed: $browser ($("$browser" --version 2>/dev/null || echo "version unknown"))"
