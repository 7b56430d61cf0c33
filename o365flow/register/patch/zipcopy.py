"""A zip with some members replaced, every other member copied as compressed bytes (no
inflate/deflate), so patching one sheet of a large workbook does not recompress the others."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

_EOCD = struct.Struct("<4s4H2LH")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")


def replace_members(data: bytes, parts: dict[str, bytes]) -> bytes:
    """``data`` (a zip) with the members named in ``parts`` given new content (added at the end
    when new). Falls back to rewriting every member with ``zipfile`` for a zip it cannot copy
    (zip64, a split archive)."""
    try:
        return _copy(data, parts)
    except (ValueError, struct.error):
        return _rewrite(data, parts)


def _copy(data: bytes, parts: dict[str, bytes]) -> bytes:
    end = data.rfind(b"PK\x05\x06")
    if end < 0 or end + _EOCD.size > len(data):
        raise ValueError("no end record")
    _, disk, cd_disk, count_here, count, cd_size, cd_offset, comment_len = _EOCD.unpack_from(data, end)
    if disk or cd_disk or count != count_here or 0xFFFFFFFF in (cd_size, cd_offset) or count == 0xFFFF:
        raise ValueError("zip64 or split archive")
    entries = []
    pos = cd_offset
    for _ in range(count):
        fields = list(_CENTRAL.unpack_from(data, pos))
        if fields[0] != b"PK\x01\x02":
            raise ValueError("bad central directory")
        name_len, extra_len, comment = fields[10], fields[11], fields[12]
        size = _CENTRAL.size + name_len + extra_len + comment
        name_bytes = data[pos + _CENTRAL.size : pos + _CENTRAL.size + name_len]
        flags = fields[3]
        name = name_bytes.decode("utf-8" if flags & 0x800 else "cp437")
        entries.append((name, fields, data[pos : pos + size]))
        pos += size
    offsets = sorted(f[16] for _, f, _ in entries) + [cd_offset]
    following = {offsets[i]: offsets[i + 1] for i in range(len(offsets) - 1)}
    out = io.BytesIO()
    central = []
    for name, fields, record in entries:
        start = fields[16]
        if name in parts:
            local, record = _member(name, parts[name], fields, out.tell())
            out.write(local)
        else:
            if any(0xFFFFFFFF == v for v in fields[8:10]):
                raise ValueError("zip64 member")
            out_offset = out.tell()
            out.write(data[start : following[start]])
            record = record[:42] + struct.pack("<L", out_offset) + record[46:]
        central.append(record)
    known = {name for name, _, _ in entries}
    for name, content in parts.items():
        if name not in known:
            template = [b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, 0, 0, 0, 0, 0, 0, 0, 0, 0o600 << 16, 0]
            local, record = _member(name, content, template, out.tell())
            out.write(local)
            central.append(record)
    cd_start = out.tell()
    for record in central:
        out.write(record)
    cd_len = out.tell() - cd_start
    comment = data[end + _EOCD.size : end + _EOCD.size + comment_len]
    out.write(_EOCD.pack(b"PK\x05\x06", 0, 0, len(central), len(central), cd_len, cd_start, len(comment)))
    out.write(comment)
    return out.getvalue()


def _member(name: str, content: bytes, fields: list, offset: int) -> tuple[bytes, bytes]:
    """A deflated member's local header and data, and its central directory record."""
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    body = packer.compress(content) + packer.flush()
    crc = zlib.crc32(content)
    name_bytes = name.encode("utf-8")
    flags = 0x800 if any(ord(ch) > 127 for ch in name) else 0
    made_by, mtime, mdate = fields[1], fields[5], fields[6]
    local = _LOCAL.pack(
        b"PK\x03\x04", 20, flags, 8, mtime, mdate, crc, len(body), len(content), len(name_bytes), 0
    )
    record = _CENTRAL.pack(
        b"PK\x01\x02", made_by, 20, flags, 8, mtime, mdate, crc, len(body), len(content),
        len(name_bytes), 0, 0, 0, fields[14], fields[15], offset,
    )
    return local + name_bytes + body, record + name_bytes


def _rewrite(data: bytes, parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        names = set()
        for info in old.infolist():
            names.add(info.filename)
            content = parts.get(info.filename)
            new.writestr(info, old.read(info) if content is None else content, compress_type=zipfile.ZIP_DEFLATED)
        for name, content in parts.items():
            if name not in names:
                new.writestr(name, content)
    return out.getvalue()
