"""Editing the FAT volume of a CambiOS boot image with mtools.

Owns: locating the FAT volume inside an image (a superfloppy, or partition 1
behind an MBR or a GPT) and copying files in and out of it. Boot tests use
it to build deliberately broken or specially configured copies of the
image without rebuilding anything.
"""

import os
import struct
import subprocess


def fat_offset(image):
    """Byte offset of the FAT volume: 0 for a superfloppy, else partition 1
    (MBR, or GPT behind a protective MBR)."""
    with open(image, "rb") as disk:
        mbr = disk.read(512)
        if mbr[0x36:0x39] == b"FAT" or mbr[0x52:0x57] == b"FAT32":
            return 0
        if mbr[0x1C2] != 0xEE:
            return struct.unpack_from("<I", mbr, 0x1C6)[0] * 512
        gpt = disk.read(512)
        entries_lba = struct.unpack_from("<Q", gpt, 72)[0]
        disk.seek(entries_lba * 512)
        return struct.unpack_from("<Q", disk.read(128), 32)[0] * 512


def mtools(*argv):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    result = subprocess.run(argv, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert result.returncode == 0, f"{' '.join(argv)}: {result.stdout}"


class FatImage:
    """A disk image whose FAT volume mtools can edit."""

    def __init__(self, path):
        offset = fat_offset(path)
        self.spec = f"{path}@@{offset}" if offset else str(path)

    def delete(self, path):
        mtools("mdel", "-i", self.spec, f"::{path}")

    def extract(self, path, local):
        mtools("mcopy", "-i", self.spec, f"::{path}", str(local))

    def replace(self, path, local):
        mtools("mcopy", "-o", "-i", self.spec, str(local), f"::{path}")
