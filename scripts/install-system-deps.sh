#!/usr/bin/env bash
# Debian packages the test suite talks to as real peers. Idempotent: installs only what is missing.
# fonts-droid-fallback: the CJK (and Hangul) fallback of the font chain (src/templates/glyphs/font-chain.ts).
set -euo pipefail
# cups and cups-client: a private cupsd in the IPP tests (lpadmin -m everywhere, lp) and the bench baseline.
PACKAGES=(socat zbar-tools poppler-utils cups-ipp-utils cups cups-client dbus chromium fonts-dejavu-core fonts-droid-fallback libusb-1.0-0 udev systemd)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq -o DPkg::Lock::Timeout=120
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends "${missing[@]}"
else
  echo "all present: ${PACKAGES[*]}"
fi
