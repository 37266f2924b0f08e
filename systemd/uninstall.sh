#!/usr/bin/env bash
# Removes what systemd/install.sh installed (docs/operations.md, "Uninstalling").
#
#   systemd/uninstall.sh [--purge]
#
# Stops and disables the service, then removes the jar, the command, the unit, the sysusers
# entry and the docs. It keeps the configuration (/etc/floorgate) and the event journal and
# broker data (/var/lib/floorgate) unless --purge is given. The floorgate user is kept either
# way (its id may still own files, e.g. in a backup); remove it with `userdel floorgate`.
#
# DESTDIR and PREFIX as for install.sh.
set -euo pipefail

die() {
  echo "uninstall.sh: $*" >&2
  exit 1
}

purge=false
while [ $# -gt 0 ]; do
  case "$1" in
    --purge) purge=true; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
case "$PREFIX" in
  /*) ;;
  *) die "PREFIX must be an absolute path, but was '$PREFIX'" ;;
esac
PREFIX=${PREFIX%/}
[ -n "$PREFIX" ] || die "PREFIX must not be /"
[ -z "$DESTDIR" ] || DESTDIR=$(cd "$DESTDIR" 2>/dev/null && pwd) \
  || die "DESTDIR must be an existing directory, but was '${DESTDIR}'"
live=false
if [ -z "$DESTDIR" ]; then
  live=true
  [ "$(id -u)" = 0 ] || die "run it as root, or set DESTDIR"
fi

if $live && [ -d /run/systemd/system ]; then
  systemctl disable --now floorgate.service 2> /dev/null || true
fi

rm -f "$DESTDIR$PREFIX/lib/systemd/system/floorgate.service" \
  "$DESTDIR$PREFIX/lib/sysusers.d/floorgate.conf" \
  "$DESTDIR$PREFIX/bin/floorgate"
rm -rf "$DESTDIR$PREFIX/lib/floorgate" "$DESTDIR$PREFIX/share/doc/floorgate"

if $live && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
fi

echo "Removed Floorgate from ${DESTDIR:-/} (PREFIX=$PREFIX)."
if $purge; then
  rm -rf "$DESTDIR/etc/floorgate" "$DESTDIR/var/lib/floorgate"
  echo "Purged /etc/floorgate and /var/lib/floorgate (configuration, journal, broker data)."
else
  for d in /etc/floorgate /var/lib/floorgate; do
    if [ -e "$DESTDIR$d" ]; then
      echo "Kept $d; remove it with --purge."
    fi
  done
fi
