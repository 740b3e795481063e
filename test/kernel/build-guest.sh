#!/bin/bash
# Builds what the kernel test guest boots, into a cache folder, and prints that folder last.
#   build-guest.sh <cache-root>
# Output: <cache-root>/<kernel ABI>-<hash of this script and guest-init.sh>/{vmlinux,initramfs.cpio.gz}
# A folder with a .complete stamp is reused, so only the first run (or a new kernel ABI after a
# Debian security update) pays for the build (~20 s; the module compile is ~3 s of it).
#
# Facts this relies on (shared/reference/kernel-vm/README.md):
# - Debian's stock kernel has GPIO_SYSFS, I2C_CHARDEV, I2C_STUB and 9p, but not GPIO_MOCKUP or
#   IRQ_SIM, so those two are compiled out of tree from linux-source against linux-headers of the
#   same ABI (vermagic must match exactly: image, headers and source come from one apt state).
# - irq_to_desc() is not exported to modules; generic_handle_irq() does the same dispatch.
# - The bzImage's xz payload is the ELF vmlinux with a PVH entry; booting it directly under TCG
#   skips the firmware and the in-guest decompressor (~2.5 s per boot).
# Needs (apt): busybox-static cpio kmod xz-utils gcc make linux-headers-amd64; network to the
# Debian archive for `apt-get download` of linux-image-<ABI> and linux-source-<version>.
set -euo pipefail
CACHE_ROOT=$(mkdir -p "${1:?usage: build-guest.sh <cache-root>}" && cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
KV=${EDGERT_KERNEL_ABI:-$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }')}
[ -n "$KV" ] || { echo "build-guest: cannot resolve the kernel ABI from linux-image-amd64 (run apt-get update)" >&2; exit 2; }
HEADERS=/usr/src/linux-headers-$KV
[ -d "$HEADERS" ] || { echo "build-guest: $HEADERS is missing: apt-get install linux-headers-amd64 (same apt state as linux-image-amd64)" >&2; exit 2; }
KEY=$(cat "$0" "$HERE/guest-init.sh" | sha256sum | cut -c1-12)
OUT=$CACHE_ROOT/$KV-$KEY
if [ -f "$OUT/.complete" ]; then echo "$OUT"; exit 0; fi

WORK=$CACHE_ROOT/work-$KV
DEBS=$CACHE_ROOT/debs-$KV   # kept: a change to the guest scripts rebuilds without downloading again
rm -rf "$OUT" "$WORK"
mkdir -p "$OUT" "$WORK/kmod" "$WORK/root" "$DEBS"
cd "$DEBS"
SRC=linux-source-${KV%%.0-*}
ls linux-image-"$KV"_*.deb >/dev/null 2>&1 || apt-get download -qq -o APT::Sandbox::User=root "linux-image-$KV" >&2
ls "$SRC"_*.deb >/dev/null 2>&1 || apt-get download -qq -o APT::Sandbox::User=root "$SRC" >&2
IMAGE_DEB=$DEBS/$(ls linux-image-"$KV"_*.deb | tail -1)
SRC_DEB=$DEBS/$(ls "$SRC"_*.deb | tail -1)

# 1. The kernel: vmlinux out of the bzImage, and the stock modules tree.
KROOT=$WORK/kroot
dpkg -x "$IMAGE_DEB" "$KROOT"
VMLINUZ=$KROOT/boot/vmlinuz-$KV
XZ_AT=$(LC_ALL=C grep -m1 -obUaP '\xfd7zXZ\x00' "$VMLINUZ" | cut -d: -f1)
tail -c +$((XZ_AT + 1)) "$VMLINUZ" > "$WORK/payload.xz"
xz -dc --single-stream "$WORK/payload.xz" > "$OUT/vmlinux"
[ "$(od -An -N4 -tx1 "$OUT/vmlinux" | tr -d ' ')" = 7f454c46 ] || { echo "build-guest: no ELF vmlinux in $VMLINUZ" >&2; exit 3; }

# 2. irq_sim + gpio-mockup, out of tree.
dpkg-deb --fsys-tarfile "$SRC_DEB" | tar -xO "./usr/src/$SRC.tar.xz" \
  | tar -xJ -C "$WORK" "$SRC/drivers/gpio/gpio-mockup.c" "$SRC/drivers/gpio/gpiolib.h" "$SRC/kernel/irq/irq_sim.c"
cp "$WORK/$SRC/drivers/gpio/gpio-mockup.c" "$WORK/$SRC/drivers/gpio/gpiolib.h" "$WORK/$SRC/kernel/irq/irq_sim.c" "$WORK/kmod/"
sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$WORK/kmod/irq_sim.c"
grep -q 'generic_handle_irq(irqnum);' "$WORK/kmod/irq_sim.c" || { echo "build-guest: irq_sim.c patch did not apply" >&2; exit 3; }
printf '\n#include <linux/module.h>\nMODULE_DESCRIPTION("irq_sim, built out of tree for the edgert kernel test");\nMODULE_LICENSE("GPL");\n' >> "$WORK/kmod/irq_sim.c"
echo 'obj-m := irq_sim.o gpio-mockup.o' > "$WORK/kmod/Kbuild"
make -s -C "$HEADERS" M="$WORK/kmod" modules >&2 2> >(grep -v 'Skipping BTF' >&2)
mkdir -p "$KROOT/lib/modules/$KV/extra"
cp "$WORK"/kmod/*.ko "$KROOT/lib/modules/$KV/extra/"
depmod -b "$KROOT" "$KV"

# 3. The initramfs: static busybox, our init, and the closure of the modules the guest loads.
R=$WORK/root
mkdir -p "$R/bin" "$R/dev" "$R/proc" "$R/sys" "$R/host" "$R/lib/modules/$KV"
cp /bin/busybox "$R/bin/busybox"
cp "$HERE/guest-init.sh" "$R/init" && chmod +x "$R/init"
for module in virtio_pci 9pnet_virtio 9p i2c-dev i2c-stub gpio-mockup; do
  modprobe -d "$KROOT" -S "$KV" --show-depends "$module"
done | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r file; do
  rel=${file#"$KROOT/lib/modules/$KV/"}
  mkdir -p "$R/lib/modules/$KV/$(dirname "$rel")"
  cp "$file" "$R/lib/modules/$KV/$rel"
done
cp "$KROOT/lib/modules/$KV"/modules.{order,builtin,builtin.modinfo} "$R/lib/modules/$KV/"
depmod -b "$R" "$KV"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT/initramfs.cpio.gz"
echo "$KV" > "$OUT/kernel-abi"
rm -rf "$WORK"
touch "$OUT/.complete"
# Builds for older scripts or kernel ABIs, and their downloads, are of no further use.
find "$CACHE_ROOT" -mindepth 1 -maxdepth 1 -name '[0-9]*' ! -name "$(basename "$OUT")" -exec rm -rf {} +
find "$CACHE_ROOT" -mindepth 1 -maxdepth 1 -name 'debs-*' ! -name "debs-$KV" -exec rm -rf {} +
echo "$OUT"
