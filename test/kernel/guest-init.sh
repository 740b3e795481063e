#!/bin/busybox sh
# PID 1 of the kernel test guest (busybox, from the initramfs that build-guest.sh makes).
# Kernel arguments: edgert.run=<script> edgert.out=<folder>, both host paths.
# - loads 9p over virtio, i2c-dev, i2c-stub (one chip at 0x76) and gpio-mockup with one bank of
#   58 lines at base 512: the layout of a Raspberry Pi 4's header bank on kernels 6.6+
#   (shared/reference/dependencies.md §1), so the resolver and the adapter see Pi-like numbers;
# - mounts the host's / read-only at /host (9p tag hostroot) and the host's out folder writable
#   over /host<out> (tag out), then the kernel filesystems and a tmpfs /run inside /host (TMPDIR
#   is /run/tmp: the host's /tmp stays visible, read-only, so host paths there still resolve);
# - chroots into /host, so the guest runs the host's own node and the repo's node_modules;
# - prints EDGERT_GUEST_EXIT=<status> and powers off (QEMU itself exits 0 either way).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

RUN=""; OUT=""
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    edgert.run=*) RUN="${arg#edgert.run=}" ;;
    edgert.out=*) OUT="${arg#edgert.out=}" ;;
  esac
done

fail() { echo "EDGERT_GUEST: $1"; echo "EDGERT_GUEST_EXIT=120"; poweroff -f; }
modprobe virtio_pci && modprobe 9pnet_virtio && modprobe 9p || fail "9p modules did not load"
modprobe i2c-dev && modprobe i2c-stub chip_addr=0x76 || fail "i2c modules did not load"
modprobe gpio-mockup gpio_mockup_ranges=512,570 gpio_mockup_named_lines=1 || fail "gpio-mockup did not load"

mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /host || fail "cannot mount the host root"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out "/host$OUT" || fail "cannot mount the out folder"
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t devtmpfs devtmpfs /host/dev
mount -t debugfs debugfs /host/sys/kernel/debug
mount -t tmpfs tmpfs /host/run
mkdir -p /host/run/tmp /host/dev/pts /host/dev/shm
mount -t devpts devpts /host/dev/pts
mount -t tmpfs tmpfs /host/dev/shm

chroot /host /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/run/tmp TMPDIR=/run/tmp TERM=dumb \
  EDGERT_GUEST_OUT="$OUT" /bin/sh "$RUN"
echo "EDGERT_GUEST_EXIT=$?"
sync
poweroff -f
