#!/usr/bin/env bash
# Debian/Ubuntu packages the app and its tests use: CJK fonts for maps and PDFs,
# Xvfb for screenshots of the window, Chromium for the web-map tests, poppler-utils
# for checking PDFs. Windows users need none of this (the fonts come with Windows).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  fonts-noto-cjk xvfb xauth chromium poppler-utils \
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 >/dev/null
echo "system packages ready"
