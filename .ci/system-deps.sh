#!/usr/bin/env bash
# Install the Debian packages daihoi needs when they are missing. Safe to rerun.
set -euo pipefail
need=()
command -v soffice   >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v qpdf      >/dev/null 2>&1 || need+=(qpdf)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx vie || need+=(tesseract-ocr-vie)
command -v chromium  >/dev/null 2>&1 || need+=(chromium)
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
