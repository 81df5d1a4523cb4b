#!/bin/sh
# Install scrutiny-reporting as systemd services: the Prefect server, `reporting serve`
# (or workers), a service user and the environment file. docs/operations.md, "Installing
# as a service", says what each part does.
#
#   sudo scripts/install-service.sh [--user NAME] [--workers N] [/srv/scrutiny-reporting]
#   scripts/install-service.sh --render DIR [--user NAME] [HOME]   # write the units to DIR only
#
# The installation folder (default: the one holding this script) must already have its
# .venv (`make report` makes it). Nothing is overwritten in /etc/scrutiny-reporting/env.
set -eu

user=scrutiny
render=""
workers=0
while [ $# -gt 0 ]; do
    case "$1" in
        --user) user="$2"; shift 2 ;;
        --render) render="$2"; shift 2 ;;
        --workers) workers="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        -*) echo "install-service: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
home="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
units="$home/deploy/systemd"
case "$user" in
    *[!a-z0-9_-]*|"") echo "install-service: --user must be a plain user name" >&2; exit 2 ;;
esac

write_units() {  # $1: the folder the units go in
    for unit in "$units"/*.service; do
        sed -e "s|@HOME@|$home|g" -e "s|@USER@|$user|g" "$unit" > "$1/$(basename "$unit")"
    done
}

if [ -n "$render" ]; then
    mkdir -p "$render"
    write_units "$render"
    sed -e "s|@HOME@|$home|g" "$units/env.example" > "$render/env"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-service: run as root (sudo), or with --render DIR to see the units" >&2
    exit 2
fi
[ -x "$home/.venv/bin/reporting" ] || {
    echo "install-service: $home/.venv/bin/reporting is missing: run 'make report' in $home first" >&2
    exit 2
}
if ! id "$user" >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/scrutiny-reporting \
        --shell /usr/sbin/nologin "$user"
fi
install -d -m 0750 -o root -g "$user" /etc/scrutiny-reporting
if [ ! -e /etc/scrutiny-reporting/env ]; then
    sed -e "s|@HOME@|$home|g" "$units/env.example" > /etc/scrutiny-reporting/env
    chown root:"$user" /etc/scrutiny-reporting/env
    chmod 0640 /etc/scrutiny-reporting/env
    echo "Wrote /etc/scrutiny-reporting/env: set the database and mail passwords in it."
fi
# The service user writes the outputs and the project's Prefect state.
install -d -o "$user" -g "$user" "$home/outputs" "$home/.prefect"
write_units /etc/systemd/system
if command -v systemd-analyze >/dev/null 2>&1; then
    systemd-analyze verify /etc/systemd/system/scrutiny-prefect-server.service \
        /etc/systemd/system/scrutiny-reporting.service
fi
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable --now scrutiny-prefect-server.service
    if [ "$workers" -gt 0 ]; then
        i=1
        while [ "$i" -le "$workers" ]; do
            systemctl enable --now "scrutiny-worker@$i.service"
            i=$((i + 1))
        done
    else
        systemctl enable --now scrutiny-reporting.service
    fi
    systemctl --no-pager status scrutiny-prefect-server.service scrutiny-reporting.service || true
else
    echo "Units written to /etc/systemd/system; systemd is not running here, so start them"
    echo "when it is: systemctl daemon-reload && systemctl enable --now scrutiny-prefect-server scrutiny-reporting"
fi
