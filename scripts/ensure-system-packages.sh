#!/usr/bin/env bash
# Check for the Debian packages the project needs and install the missing ones.
#   (no argument)  what `make report` needs: Pango for WeasyPrint, fonts
#   --test         also what the tests use to read documents back: poppler-utils
#                  (pdftotext, pdftoppm) and LibreOffice Writer (converts the DOCX)
set -euo pipefail

needed=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2)
if [[ "${1:-}" == "--test" ]]; then
  needed+=(poppler-utils libreoffice-writer-nogui)
fi

missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing system packages: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
