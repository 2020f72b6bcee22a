"""inflate.member_chunks: the bytes zipfile would give, in bounded chunks, and zipfile's checks (header, size, CRC)."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest

from portal.workbook.inflate import member_chunks

NAME = "xl/worksheets/sheet1.xml"
TEXT = b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe6\xb8\xaf\xe5\x8a\xa1\xe8\xb4\xb9</t></is></c></row>' * 3_000


def _zip(payload: bytes, method: int = zipfile.ZIP_DEFLATED, prefix: bytes = b"") -> bytes:
    out = io.BytesIO()
    out.write(prefix)
    with zipfile.ZipFile(out, "a" if prefix else "w", method) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(NAME, payload)
    return out.getvalue()


def _chunks(data: bytes, size: int = 4096) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return list(member_chunks(archive, archive.getinfo(NAME), size))


def _central(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    """One field of the last member's central-directory record overwritten."""
    at = data.rfind(b"PK\x01\x02") + offset
    return data[:at] + struct.pack(fmt, value) + data[at + struct.calcsize(fmt) :]


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=str
)
@pytest.mark.parametrize("payload", [TEXT, os.urandom(70_000), b""], ids=["xml", "random", "empty"])
def test_the_chunks_are_what_zipfile_reads_each_within_the_size(method: int, payload: bytes) -> None:
    data = _zip(payload, method)
    chunks = _chunks(data)
    assert b"".join(chunks) == zipfile.ZipFile(io.BytesIO(data)).read(NAME) == payload
    assert all(0 < len(chunk) <= 4096 for chunk in chunks)


def test_a_member_behind_prepended_bytes_is_found_by_its_offset() -> None:
    data = _zip(TEXT, prefix=b"MZ" + b"\x00" * 5_000)  # a self-extracting stub before the zip
    assert b"".join(_chunks(data)) == TEXT


def test_a_bomb_inflates_one_bounded_chunk_at_a_time() -> None:
    bomb = b"0" * 30_000_000  # 30 MB from about 30 KB
    data = _zip(bomb)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(NAME)
        assert info.compress_size < 100_000
        sizes = {len(chunk) for chunk in member_chunks(archive, info, 65_536)}
    assert max(sizes) == 65_536


def test_a_wrong_crc_is_refused_after_the_last_chunk() -> None:
    data = _zip(TEXT)
    crc = zipfile.ZipFile(io.BytesIO(data)).getinfo(NAME).CRC
    with pytest.raises(zipfile.BadZipFile, match="CRC"):
        _chunks(_central(data, 16, "<I", crc ^ 1))


def test_a_member_larger_than_its_declared_size_is_refused_not_cut() -> None:
    data = _central(_zip(TEXT), 24, "<I", 1_000)
    with pytest.raises(zipfile.BadZipFile, match="more than its declared size"):
        _chunks(data)


def test_a_member_smaller_than_its_declared_size_is_refused() -> None:
    data = _central(_zip(TEXT), 24, "<I", len(TEXT) + 1)
    with pytest.raises(zipfile.BadZipFile, match="size or CRC"):
        _chunks(data)


def test_a_deflate_stream_cut_short_is_refused() -> None:
    data = _zip(os.urandom(50_000))
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(NAME)
    with pytest.raises(zipfile.BadZipFile):
        _chunks(_central(data, 20, "<I", info.compress_size // 2))  # the stream read only half way


def test_garbage_in_place_of_the_deflate_stream_is_refused() -> None:
    data = bytearray(_zip(TEXT))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(NAME)
    start = info.header_offset + 30 + len(NAME)
    data[start : start + 64] = b"\xff" * 64
    with pytest.raises(zipfile.BadZipFile):
        _chunks(bytes(data))


def test_a_local_header_that_is_not_one_is_refused() -> None:
    data = _zip(TEXT)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(NAME)
    broken = data[: info.header_offset] + b"XX" + data[info.header_offset + 2 :]
    with pytest.raises(zipfile.BadZipFile, match="local header"):
        _chunks(broken)
