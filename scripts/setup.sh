#!/usr/bin/env bash
# One set-up for a fresh Debian/Ubuntu machine, used by the README's two commands and by .ci/run (so they
# cannot drift).
#   scripts/setup.sh          what `intake run` needs: LibreOffice (legacy .doc/.wps files), the venv, the package
#   scripts/setup.sh --test   also what the tests need: CJK fonts and poppler (building PDF/scan samples),
#                             Chromium (the HTML report test), libGL (the paddle extra's OpenCV build), and the
#                             `test` and `paddle` extras (both OCR engines are tested)
# Runs as root or with sudo; without apt-get it installs only the Python part and says which tools to install.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
run_packages=(libreoffice-writer-nogui)
test_packages=(fonts-noto-cjk fonts-wqy-zenhei poppler-utils chromium libgl1 libglib2.0-0)
extras=""
if [[ "$mode" == "--test" ]]; then
  extras="[test,paddle]"
  packages=("${run_packages[@]}" "${test_packages[@]}")
elif [[ "$mode" == "run" ]]; then
  packages=("${run_packages[@]}")
else
  echo "usage: scripts/setup.sh [--test]" >&2
  exit 2
fi

# python3 -m venv needs ensurepip, which Debian ships apart (python3-venv).
if ! python3 -c "import ensurepip" >/dev/null 2>&1; then
  packages+=(python3-venv)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: no apt-get here; install these yourself: ${missing[*]}" >&2
  else
    sudo=""
    [[ "$(id -u)" == 0 ]] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e ".${extras}"
