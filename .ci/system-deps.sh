#!/usr/bin/env bash
# Install the Debian packages daihoi needs when they are missing. Safe to rerun.
# `system-deps.sh` installs what daihoi itself runs; `system-deps.sh test` adds what the tests
# and benchmarks use (qpdf, Chromium for the HTML report).
set -euo pipefail
need=()
for_tests=${1:-}
command -v soffice   >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftoppm  >/dev/null 2>&1 || need+=(poppler-utils)  # OCR renders pages with it
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx vie || need+=(tesseract-ocr-vie)
if [ "$for_tests" = "test" ]; then
  command -v qpdf     >/dev/null 2>&1 || need+=(qpdf)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need+=(fonts-liberation)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "daihoi: missing system packages: ${need[*]}" >&2
  echo "Install them with: apt-get install ${need[*]}" >&2
  exit 1
fi
echo "daihoi: installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
