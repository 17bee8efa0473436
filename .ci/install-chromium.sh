#!/usr/bin/env sh
# Installs Debian's Chromium for the browser tests (test/e2e): playwright-core drives it, nothing is downloaded
# by Playwright. A CJK font comes along so the Chinese console renders (and screenshots read) as it should.
set -eu

packages=''
[ -x /usr/bin/chromium ] || packages='chromium'
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  packages="$packages fonts-noto-cjk"
fi

if [ -z "$packages" ]; then
  echo 'chromium and a CJK font are already installed'
  exit 0
fi

SUDO=''
[ "$(id -u)" -eq 0 ] || SUDO='sudo'
$SUDO apt-get update
# $packages is a space-separated list on purpose.
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $packages
