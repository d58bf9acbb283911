#!/usr/bin/python3
"""skew_segment.py IN OUT: copy an ELF64 executable, moving its last PT_LOAD
segment's virtual (and physical) address 16 bytes up, so that its address
and file offset no longer agree modulo the page size.

Builds the `bad-offset` program of the user boundary's hostile corpus
(user/hostile/bad-offset.c), which the kernel's loader must refuse.
"""

import struct
import sys

PT_LOAD = 1
SKEW = 16


def main(src, dst):
    data = bytearray(open(src, "rb").read())
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, "not a little-endian ELF64"
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    loads = [phoff + i * phentsize for i in range(phnum)
             if struct.unpack_from("<I", data, phoff + i * phentsize)[0] == PT_LOAD]
    assert loads, "no PT_LOAD segment"
    last = loads[-1]
    vaddr, paddr = struct.unpack_from("<QQ", data, last + 16)
    struct.pack_into("<QQ", data, last + 16, vaddr + SKEW, paddr + SKEW)
    open(dst, "wb").write(data)


if __name__ == "__main__":
    main(*sys.argv[1:])
