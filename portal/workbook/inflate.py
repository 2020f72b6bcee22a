"""A zip member's bytes, chunk by chunk, inflated by ISA-L (isal): the parts the portal scans and parses itself.

zipfile inflates with zlib; ISA-L inflates the same deflate stream three times as fast and computes its CRC-32 six
times as fast, and the guard inflates every worksheet before calamine reads it. What zipfile checks is checked
here too: the local header's signature, the member's size as the central directory declares it (what the guard's
size limits judged: inflating past it is refused, never truncated) and its CRC-32. Members stored uncompressed are
sliced; any other method (Excel and its kin write none) is left to zipfile.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterator
from typing import IO

from isal import isal_zlib

LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
LOCAL_SIGNATURE = b"PK\x03\x04"
NAME_LENGTH, EXTRA_LENGTH = 10, 11  # the local header's fields giving the lengths of what follows it
STORED, DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED


def member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int) -> Iterator[bytes]:
    """The member's bytes in chunks of at most `size`; zipfile.BadZipFile when they are not what the zip says.

    It reads the archive's file itself: no other member of the archive may be open meanwhile."""
    if info.compress_type not in (STORED, DEFLATED):
        with archive.open(info) as part:
            while chunk := part.read(size):
                yield chunk
        return
    source = archive.fp
    if source is None:
        raise ValueError("the archive is closed")
    source.seek(info.header_offset)
    header = source.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size or not header.startswith(LOCAL_SIGNATURE):
        raise zipfile.BadZipFile(f"bad local header of {info.filename}")
    fields = LOCAL_HEADER.unpack(header)
    source.seek(fields[NAME_LENGTH] + fields[EXTRA_LENGTH], 1)
    chunks = _raw(source, info.compress_size, size)
    if info.compress_type == DEFLATED:
        chunks = _inflated(chunks, size, info.filename)
    crc, left = 0, info.file_size
    for chunk in chunks:
        left -= len(chunk)
        if left < 0:
            raise zipfile.BadZipFile(f"{info.filename} holds more than its declared size")
        crc = isal_zlib.crc32(chunk, crc)
        yield chunk
    if left or crc != info.CRC:
        raise zipfile.BadZipFile(f"bad size or CRC-32 of {info.filename}")


def _raw(source: IO[bytes], length: int, size: int) -> Iterator[bytes]:
    while length > 0:
        chunk = source.read(min(size, length))
        if not chunk:
            raise zipfile.BadZipFile("the zip ends inside a member")
        length -= len(chunk)
        yield chunk


def _inflated(raw: Iterator[bytes], size: int, name: str) -> Iterator[bytes]:
    """The deflate stream inflated, at most `size` bytes at a time whatever one raw chunk expands to."""
    inflater = isal_zlib.decompressobj(-15)
    try:
        for compressed in raw:
            pending = compressed
            while True:  # ISA-L may hold output for input it took: drained, `size` at a time, before more is fed
                chunk = inflater.decompress(pending, size)
                pending = inflater.unconsumed_tail
                if chunk:
                    yield chunk
                if inflater.eof:
                    return
                if not pending and len(chunk) < size:
                    break
    except isal_zlib.error as error:
        raise zipfile.BadZipFile(f"{name}: {error}") from error
    if not inflater.eof:
        raise zipfile.BadZipFile(f"{name}: the deflate stream ends early")
