#!/usr/bin/env bash
# Shared set-up for tools/demo.sh and tools/test.sh: system packages (when missing) and a
# virtual environment in .venv with the project installed in editable mode.
# Usage: source tools/setup.sh [pip-extras]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

extras="${1:-}"

# System packages the project needs: LibreOffice (headless) converts DOCX to PDF, the Noto CJK
# fonts give it Chinese glyphs and AR PL UKai its 楷体 (docgen/writers/common.py); Chromium drives
# the browser tests. The tests also need PostgreSQL's server binaries (the case register's tests
# start a throwaway server of their own) and faketime (the suite is also run with the clock a year
# ahead: see the README's developer section).
SYSTEM_PACKAGES=(chromium libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai ${ECOCLAIM_SYSTEM_PACKAGES:-})
if [[ ",$extras," == *",test,"* ]]; then
  SYSTEM_PACKAGES+=(postgresql faketime)
fi
missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装系统软件包：${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
target="."
[ -n "$extras" ] && target=".[$extras]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e "$target"
