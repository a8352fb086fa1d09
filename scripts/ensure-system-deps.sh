#!/usr/bin/env bash
# Make sure the system programs the reports and browser tests use are here:
# Debian's chromium (HTML -> PDF, widget tests) and poppler-utils (pdftotext, pdftoppm).
# Installs them with apt-get when run as root; otherwise prints the command to run.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -n "${DIVAECON_CHROMIUM:-}" ] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "divaecon: please install: ${missing[*]} (no apt-get here)" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "divaecon: missing ${missing[*]}; run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} with apt-get ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
