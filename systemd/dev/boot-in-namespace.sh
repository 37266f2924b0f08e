#!/usr/bin/env bash
# Developer tool, not run by CI: boots systemd in throw-away namespaces on this machine (no
# systemd as PID 1 needed) with Floorgate installed by the real install.sh, to see the unit
# run under its sandbox. Needs root, unshare, overlayfs and cgroup2 at
# /sys/fs/cgroup/unified or /sys/fs/cgroup.
#
#   systemd/dev/boot-in-namespace.sh start      # boots; prints the PID to enter
#   systemd/dev/boot-in-namespace.sh exec CMD   # e.g. exec systemctl status floorgate
#   systemd/dev/boot-in-namespace.sh stop       # kills the namespace's PID 1, removes its cgroup
#
# Isolation: new pid, mount, uts, ipc, net (loopback only) and cgroup namespaces; the root is
# an overlay of / whose writes go to a tmpfs, so nothing on the machine's disk changes; /sys is
# read-only; units that would load kernel modules, register binfmts or apply sysctls are
# masked. The repository is mounted read-only at /mnt/floorgate.
set -euo pipefail

STATE=/run/floorgate-boot-test
repo=$(cd "$(dirname "$0")/../.." && pwd)

cgroup_root() {
  if [ -f /sys/fs/cgroup/unified/cgroup.procs ]; then
    echo /sys/fs/cgroup/unified
  else
    echo /sys/fs/cgroup
  fi
}

inner() {
  local r=$STATE
  mount -t tmpfs tmpfs "$r/rw"
  mkdir -p "$r/rw/upper" "$r/rw/work"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$r/rw/upper,workdir=$r/rw/work" "$r/root"
  mount --rbind /dev "$r/root/dev"
  mount -t proc proc "$r/root/proc"
  mount -t sysfs -o ro sysfs "$r/root/sys"
  mount -t cgroup2 cgroup2 "$r/root/sys/fs/cgroup"
  mount -t tmpfs tmpfs "$r/root/run"
  mount -t tmpfs tmpfs "$r/root/tmp"
  mkdir -p "$r/root/mnt/floorgate"
  mount --bind -o ro "$repo" "$r/root/mnt/floorgate"
  # install.sh's class-archive training run listens on loopback, which a new network namespace
  # has down until systemd brings it up.
  ip link set lo up
  chroot "$r/root" bash /mnt/floorgate/systemd/install.sh \
    --jar /mnt/floorgate/gateway/target/floorgate.jar
  for unit in modprobe@.service systemd-binfmt.service proc-sys-fs-binfmt_misc.automount \
    proc-sys-fs-binfmt_misc.mount systemd-udevd.service systemd-udev-trigger.service \
    systemd-modules-load.service systemd-sysctl.service; do
    ln -sf /dev/null "$r/root/etc/systemd/system/$unit"
  done
  printf '[Unit]\nRequires=basic.target\nWants=floorgate.service\nAfter=basic.target\n' \
    > "$r/root/etc/systemd/system/floorgate-test.target"
  cd "$r/root"
  mkdir -p oldroot
  # pivot_root, not chroot: a chrooted process may not create the unit's user namespace.
  pivot_root . oldroot
  exec env container=floorgate-test /lib/systemd/systemd --system \
    --unit=floorgate-test.target --log-target=journal --show-status=no
}

case "${1:-}" in
  start)
    [ "$(id -u)" = 0 ] || { echo "run it as root" >&2; exit 1; }
    [ -f "$repo/gateway/target/floorgate.jar" ] || { echo "build the jar first" >&2; exit 1; }
    [ ! -e "$STATE/pid" ] || { echo "already started: $0 stop" >&2; exit 1; }
    mkdir -p "$STATE/rw" "$STATE/root"
    cg=$(cgroup_root)/floorgate-boot-test
    mkdir -p "$cg"
    setsid bash -c "echo \$\$ > '$cg/cgroup.procs'; exec unshare --pid --fork --mount --uts \
      --ipc --net --cgroup --propagation private '$0' inner" \
      > "$STATE/console.log" 2>&1 < /dev/null &
    outer=$!
    for _ in $(seq 50); do
      pid=$(pgrep -P "$outer" || true)
      [ -n "$pid" ] && break
      sleep 0.2
    done
    [ -n "${pid:-}" ] || { cat "$STATE/console.log" >&2; exit 1; }
    echo "$pid" > "$STATE/pid"
    echo "systemd runs as PID $pid; wait a few seconds, then: $0 exec systemctl status floorgate"
    ;;
  inner)
    inner
    ;;
  exec)
    shift
    exec nsenter -t "$(cat "$STATE/pid")" -a -r -w "$@"
    ;;
  stop)
    if [ -e "$STATE/pid" ]; then
      kill -9 "$(cat "$STATE/pid")" 2> /dev/null || true
      rm -f "$STATE/pid"
      sleep 1
    fi
    cg=$(cgroup_root)/floorgate-boot-test
    [ ! -d "$cg" ] || find "$cg" -depth -type d -exec rmdir {} \;
    rm -rf "$STATE"
    ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
