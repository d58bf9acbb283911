#!/usr/bin/env bash
# mkimage.sh: write a CambiOS boot disk, laid out as genuine Limine 8.x expects.
#
#   mkimage.sh OUT SIZE_MIB EFI_BINARY EFI_NAME LIMINE_CONF KERNEL_ELF MODULE...
#
# The disk is a FAT32 "superfloppy" (no partition table), which OVMF and AAVMF
# both boot:
#   /EFI/BOOT/<EFI_NAME>        the loader (cambios-boot or genuine Limine)
#   /boot/limine.conf           boot configuration
#   /boot/cambios.elf           the kernel
#   /boot/modules/<name>        boot modules
# The image is assembled in a temporary file and renamed, so a failed build
# never leaves a half-written image behind.
set -euo pipefail

if [ $# -lt 6 ]; then
	echo "usage: $0 OUT SIZE_MIB EFI_BINARY EFI_NAME LIMINE_CONF KERNEL_ELF [MODULE...]" >&2
	exit 2
fi
out=$1 size_mib=$2 efi=$3 efi_name=$4 conf=$5 kernel=$6
shift 6

for f in "$efi" "$conf" "$kernel" "$@"; do
	[ -f "$f" ] || { echo "mkimage: missing input file: $f" >&2; exit 1; }
done

mkdir -p "$(dirname "$out")"
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT

dd if=/dev/zero of="$tmp" bs=1M count="$size_mib" status=none
mformat -i "$tmp" -F -v CAMBIOS ::
mmd -i "$tmp" ::/EFI ::/EFI/BOOT ::/boot ::/boot/modules
mcopy -i "$tmp" "$efi" "::/EFI/BOOT/$efi_name"
mcopy -i "$tmp" "$conf" ::/boot/limine.conf
mcopy -i "$tmp" "$kernel" ::/boot/cambios.elf
for module in "$@"; do
	mcopy -i "$tmp" "$module" "::/boot/modules/$(basename "$module")"
done

mv "$tmp" "$out"
trap - EXIT
echo "image: $out"
