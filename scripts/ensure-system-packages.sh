#!/usr/bin/env bash
# Check for the Debian packages the project needs and install the missing ones.
#   (no argument)  what `make report` needs: Pango for WeasyPrint, fonts
#   --test         also what the tests use to read documents back: poppler-utils
#                  (pdftotext, pdftoppm) and LibreOffice Writer (converts the DOCX); and
#                  to check the published HTML (tests/test_axe.py): Chromium, and npm's
#                  axe-core (pinned below) in .cache/axe-core, which git ignores
#   --scale-out    also PostgreSQL for `make scale-out` (scripts/scale_out.py), installed
#                  without a default cluster: the script makes its own in a temporary folder
set -euo pipefail

AXE_CORE_VERSION=4.14.1
axe_dir="$(cd "$(dirname "$0")/.." && pwd)/.cache/axe-core"

needed=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2)
if [[ "${1:-}" == "--test" ]]; then
  needed+=(poppler-utils libreoffice-writer-nogui chromium)
  # Debian's npm only where there is none: a NodeSource nodejs brings its own, and
  # conflicts with Debian's npm package.
  command -v npm >/dev/null 2>&1 || needed+=(nodejs npm)
fi

if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

if [[ "${1:-}" == "--scale-out" ]] && ! installed postgresql; then
  # Debian's postgresql package creates and starts a cluster "main" unless
  # postgresql-common's createcluster.conf says not to: install that first and say so.
  echo "Installing PostgreSQL (no default cluster)"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
  conf=/etc/postgresql-common/createcluster.conf
  grep -qE '^\s*create_main_cluster\s*=\s*false' "$conf" \
    || echo "create_main_cluster = false" | $SUDO tee -a "$conf" >/dev/null
  needed+=(postgresql)
fi

missing=()
for package in "${needed[@]}"; do
  installed "$package" || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ "${1:-}" == "--test" ]] \
    && ! grep -qs "\"version\": \"$AXE_CORE_VERSION\"" "$axe_dir/node_modules/axe-core/package.json"; then
  echo "Installing axe-core $AXE_CORE_VERSION into $axe_dir"
  npm install --prefix "$axe_dir" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "axe-core@$AXE_CORE_VERSION" >/dev/null
fi
