#!/bin/sh
# Guest side: PID 1 of the test guest (run-guest.sh installs it as /lab/init.sh in the chroot, the
# guest's read-only 9p root). It mounts the pseudo filesystems and the writable scratch export, runs
# the scenario the host put there, saves its output and the kernel log, and powers off. The host
# checks the markers below in the serial log.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
$bb mount -t devtmpfs dev /dev
# Terminals (the live scenario's `docker exec -it` stand-in, script(1), needs a pty).
$bb mkdir -p /dev/pts
$bb mount -t devpts -o ptmxmode=0666 devpts /dev/pts
$bb mount -t tmpfs -o mode=1777 tmp /tmp
$bb mount -t tmpfs run /run
$bb mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 scratch /lab/scratch
$bb ip link set lo up
echo "FALCO_VM_BOOTED $(uname -r) cpus=$($bb nproc)"
cd /lab/scratch || $bb reboot -f
# Kernel command-line KEY=value words arrive as environment variables (e.g. SCENARIO_ARGS).
sh ./scenario.sh $SCENARIO_ARGS >result.log 2>&1
rc=$?
$bb dmesg >dmesg.txt
echo "$rc" >rc
$bb sync
echo "FALCO_VM_DONE rc=$rc"
# No ACPI in the test kernel: "reboot" is what ends QEMU (-no-reboot).
$bb reboot -f
