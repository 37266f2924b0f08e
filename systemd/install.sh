#!/usr/bin/env bash
# Installs Floorgate as a systemd service (docs/operations.md, "Installing").
#
#   systemd/install.sh [--jar FILE]
#
# Installs, under PREFIX (default /usr/local):
#   lib/floorgate/floorgate.jar          the gateway (default: gateway/target/floorgate.jar)
#   lib/floorgate/floorgate.jsa          its class archive, made here by a training run (not
#                                        when staging: see below)
#   bin/floorgate                        runs the jar: floorgate --version, floorgate events tail...
#   lib/systemd/system/floorgate.service the unit, pointing at that jar
#   lib/sysusers.d/floorgate.conf        the floorgate system user
#   share/doc/floorgate/                 operations.md and the low-port drop-in
# and the configuration in /etc/floorgate (gateway.yaml, rules.yaml). A configuration file
# that is already there is never overwritten: when the shipped one differs it is put beside it
# as FILE.new for you to compare.
#
# DESTDIR=/some/root stages everything under that directory (packaging, tests) and touches
# nothing else on this machine: no user is created, systemd is not told, and no class archive
# is made (it records the jar's final path; make it there with floorgate class-archive).
set -euo pipefail

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
}

die() {
  echo "install.sh: $*" >&2
  exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
jar="$root/gateway/target/floorgate.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) [ $# -ge 2 ] || die "--jar needs a file"; jar=$2; shift 2 ;;
    --jar=*) jar=${1#--jar=}; shift ;;
    -h|--help) usage; exit 0 ;;
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
[ -f "$jar" ] || die "no jar at $jar: build it first (mvn -B -DskipTests package) or pass --jar FILE"
live=false
if [ -z "$DESTDIR" ]; then
  live=true
  [ "$(id -u)" = 0 ] || die "run it as root, or set DESTDIR to stage the files somewhere else"
fi

libdir=$PREFIX/lib/floorgate
docdir=$PREFIX/share/doc/floorgate
unitdir=$PREFIX/lib/systemd/system
sysusersdir=$PREFIX/lib/sysusers.d
confdir=/etc/floorgate

echo "Installing Floorgate into ${DESTDIR:-/} (PREFIX=$PREFIX)"

install -D -m 0644 "$jar" "$DESTDIR$libdir/floorgate.jar"

install -d -m 0755 "$DESTDIR$PREFIX/bin"
cat > "$DESTDIR$PREFIX/bin/floorgate" <<EOF
#!/bin/sh
# Runs Floorgate's jar (installed by systemd/install.sh). Read the journal as the service user:
#   sudo -u floorgate floorgate events tail --config /etc/floorgate/gateway.yaml
exec java \${FLOORGATE_JAVA_OPTS:-} -jar $libdir/floorgate.jar "\$@"
EOF
chmod 0755 "$DESTDIR$PREFIX/bin/floorgate"

install -d -m 0755 "$DESTDIR$unitdir"
sed -e "s|/usr/local/lib/floorgate/|$libdir/|g" \
    -e "s|/usr/local/share/doc/floorgate/|$docdir/|g" \
    "$here/floorgate.service" > "$DESTDIR$unitdir/floorgate.service"
chmod 0644 "$DESTDIR$unitdir/floorgate.service"
install -D -m 0644 "$here/floorgate.sysusers" "$DESTDIR$sysusersdir/floorgate.conf"

install -D -m 0644 "$root/docs/operations.md" "$DESTDIR$docdir/operations.md"
install -D -m 0644 "$here/floorgate-low-port.conf" "$DESTDIR$docdir/floorgate-low-port.conf"

# Configuration: never over an existing file, edited or not.
kept=()
install_config() {
  local src=$1 dest=$DESTDIR$confdir/$2
  if [ -e "$dest" ]; then
    if cmp -s "$src" "$dest"; then
      echo "  $confdir/$2: unchanged"
    else
      install -m 0644 "$src" "$dest.new"
      echo "  $confdir/$2: kept yours; the shipped version is $confdir/$2.new"
      kept+=("$confdir/$2")
    fi
  else
    install -D -m 0644 "$src" "$dest"
    echo "  $confdir/$2: installed"
  fi
}
install -d -m 0755 "$DESTDIR$confdir"
install_config "$root/config/examples/floorgate-systemd.yaml" gateway.yaml
install_config "$root/config/rules.yaml" rules.yaml

if $live; then
  if command -v systemd-sysusers > /dev/null; then
    systemd-sysusers "$sysusersdir/floorgate.conf"
  else
    echo "warning: systemd-sysusers not found: create the system user 'floorgate' yourself" >&2
  fi
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
  fi
  if [ -x /usr/bin/java ]; then
    # Made for this jar at this path, by the Java the unit runs: about half off the start-up.
    echo "Making the class archive the unit starts with (a training run of about 15 s)"
    if ! /usr/bin/java -jar "$libdir/floorgate.jar" class-archive --out "$libdir/floorgate.jsa"; then
      rm -f "$libdir/floorgate.jsa"
      echo "warning: no class archive, so the gateway starts about a second slower; make it" \
        "with: floorgate class-archive --out $libdir/floorgate.jsa" >&2
    fi
  else
    echo "warning: /usr/bin/java not found: install Java 17 or newer" \
      "(apt-get install openjdk-17-jre-headless), then run:" \
      "floorgate class-archive --out $libdir/floorgate.jsa" >&2
  fi
fi

low_ports=$(sed -n 's/^[[:space:]]*port:[[:space:]]*\([0-9]\{1,\}\).*/\1/p' \
  "$DESTDIR$confdir/gateway.yaml" | awk '$1 > 0 && $1 < 1024' | head -n 1)

echo
echo "Installed: $libdir/floorgate.jar, $PREFIX/bin/floorgate, $unitdir/floorgate.service"
if ! $live; then
  echo "Staged under $DESTDIR: nothing was started, no user was created."
  echo "On the target machine, once installed there, make the class archive the unit starts with:"
  echo "  floorgate class-archive --out $libdir/floorgate.jsa"
  exit 0
fi
echo "Next steps:"
step=1
if [ ${#kept[@]} -gt 0 ]; then
  echo "  $step. Compare your configuration with the shipped one:"
  for f in "${kept[@]}"; do echo "       diff -u $f $f.new"; done
  step=$((step + 1))
fi
echo "  $step. Review $confdir/gateway.yaml and $confdir/rules.yaml"
step=$((step + 1))
if [ -n "$low_ports" ] \
  && ! grep -qs CAP_NET_BIND_SERVICE /etc/systemd/system/floorgate.service.d/*.conf; then
  echo "  $step. Port $low_ports is below 1024: install the drop-in that allows it:"
  echo "       install -D -m 0644 $docdir/floorgate-low-port.conf" \
    "/etc/systemd/system/floorgate.service.d/low-port.conf"
  step=$((step + 1))
fi
# Only where systemd runs: in a chroot systemctl ignores the question and says yes.
if [ -d /run/systemd/system ] && systemctl is-active --quiet floorgate 2> /dev/null; then
  echo "  $step. Run the new version:  systemctl restart floorgate"
else
  echo "  $step. Start it now and at boot:  systemctl enable --now floorgate"
fi
step=$((step + 1))
echo "  $step. Watch it:  systemctl status floorgate; journalctl -u floorgate -f"
