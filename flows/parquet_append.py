"""Appending rows to a Parquet file without decoding the rows it holds.

A home file (`flows.homes`) grows by one batch's rows at each commit. Decoding and encoding
its rows again at every commit would cost each commit up to a whole home's rows in time and
in Arrow memory; instead the new file is the old one's bytes up to its footer, then the new
rows' row group (written by pyarrow on its own), then one footer naming every row group.
The old row groups are copied as bytes, never decoded.

pyarrow writes the new row group's bytes with offsets counted from its own start (and
refuses a stream that does not start at 0), so those offsets are moved here: a Parquet footer
is a Thrift `FileMetaData` in Thrift's compact protocol, read into a small tree of fields
and written back with the row group's byte offsets moved by where its bytes now start (the
tree keeps every field it does not know as it was: a footer read and written back is the
same bytes). Only that one-row-group footer is edited in Python; the file's own footer,
which grows with every row group, is read, joined and written by pyarrow
(`FileMetaData.append_row_groups`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO, cast

import pyarrow as pa
import pyarrow.parquet as pq

MAGIC = b"PAR1"
_COPY_CHUNK = 1 << 20

# Thrift compact protocol types.
_TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY = 1, 2, 3, 4, 5, 6, 7, 8
_LIST, _SET, _MAP, _STRUCT = 9, 10, 11, 12

# Field ids in parquet.thrift.
_FILE_ROW_GROUPS = 4
_GROUP_COLUMNS, _GROUP_FILE_OFFSET, _GROUP_ORDINAL = 1, 5, 7
_CHUNK_FILE_OFFSET, _CHUNK_META = 2, 3
_CHUNK_OFFSETS = (4, 6)  # offset index, column index
_META_OFFSETS = (9, 10, 11, 14)  # data page, index page, dictionary page, bloom filter


class NotAppendable(ValueError):
    """The file cannot take the rows as a new row group (another schema, not Parquet)."""


@dataclass(slots=True)
class Field:
    """One field of a Thrift struct: its id, its compact type and its value (a list of
    `Field` for a struct, of values for a list or set, raw bytes for a map)."""

    id: int
    type: int
    value: object


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def byte(self) -> int:
        self.at += 1
        return self.data[self.at - 1]

    def varint(self) -> int:
        shift = result = 0
        while True:
            byte = self.byte()
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def take(self, size: int) -> bytes:
        self.at += size
        return self.data[self.at - size : self.at]

    def value(self, kind: int) -> object:
        if kind in (_TRUE, _FALSE):  # in a list: one byte
            return self.byte() == _TRUE
        if kind == _BYTE:
            return self.byte()
        if kind in (_I16, _I32, _I64):
            return self.zigzag()
        if kind == _DOUBLE:
            return self.take(8)
        if kind == _BINARY:
            return self.take(self.varint())
        if kind in (_LIST, _SET):
            header = self.byte()
            size, item = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return (item, [self.value(item) for _ in range(size)])
        if kind == _MAP:
            start, size = self.at, self.varint()
            if size:
                types = self.byte()
                for _ in range(size):
                    self.value(types >> 4)
                    self.value(types & 0x0F)
            return self.data[start : self.at]
        if kind == _STRUCT:
            return self.struct()
        raise NotAppendable(f"unknown Thrift type {kind}")

    def struct(self) -> list[Field]:
        fields: list[Field] = []
        last = 0
        while (header := self.byte()) != 0:
            delta, kind = header >> 4, header & 0x0F
            last = last + delta if delta else self.zigzag()
            value = kind == _TRUE if kind in (_TRUE, _FALSE) else self.value(kind)
            fields.append(Field(last, kind, value))
        return fields


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _zigzag(n: int) -> bytes:
    return _varint((n << 1) ^ (n >> 63))


def _write_value(kind: int, value: object) -> bytes:
    if kind in (_TRUE, _FALSE):
        return bytes([_TRUE if value else _FALSE])
    if isinstance(value, bool | int):
        return bytes([value]) if kind == _BYTE else _zigzag(value)
    if isinstance(value, bytes):  # a double and a map are kept as their bytes
        return _varint(len(value)) + value if kind == _BINARY else value
    if kind == _STRUCT:
        return write_struct(cast(list[Field], value))
    if kind in (_LIST, _SET):
        item, items = cast(tuple[int, list[object]], value)
        header = bytes([(len(items) << 4) | item]) if len(items) < 15 else bytes([0xF0 | item])
        size = b"" if len(items) < 15 else _varint(len(items))
        return header + size + b"".join(_write_value(item, v) for v in items)
    raise NotAppendable(f"unknown Thrift type {kind}")


def write_struct(fields: list[Field]) -> bytes:
    """A Thrift struct in the compact protocol."""
    out = bytearray()
    last = 0
    for field in fields:
        kind = (_TRUE if field.value else _FALSE) if field.type in (_TRUE, _FALSE) else field.type
        if 0 < field.id - last <= 15:
            out.append(((field.id - last) << 4) | kind)
        else:
            out.append(kind)
            out += _zigzag(field.id)
        last = field.id
        if field.type not in (_TRUE, _FALSE):
            out += _write_value(field.type, field.value)
    out.append(0)
    return bytes(out)


def read_struct(data: bytes) -> list[Field]:
    """A Thrift struct from its compact-protocol bytes."""
    return _Reader(data).struct()


def _get(fields: list[Field], field_id: int) -> Field | None:
    return next((f for f in fields if f.id == field_id), None)


def _int(field: Field | None) -> int:
    return field.value if field is not None and isinstance(field.value, int) else 0


def _structs(field: Field | None) -> list[list[Field]]:
    """The structs of a list field (none when the field is missing)."""
    return list(cast(tuple[int, list[list[Field]]], field.value)[1]) if field else []


def _shift(fields: list[Field], ids: tuple[int, ...], by: int, keep_zero: bool = False) -> None:
    for field in fields:
        if field.id in ids and not (keep_zero and field.value == 0):
            field.value = _int(field) + by


def moved_row_groups(footer: list[Field], moved_by: int, first_ordinal: int) -> list[Field]:
    """`footer` with its row groups' byte offsets `moved_by` further on, numbered from
    `first_ordinal`."""
    groups = _get(footer, _FILE_ROW_GROUPS)
    if groups is None:
        raise NotAppendable("a footer without row groups")
    for ordinal, group in enumerate(_structs(groups), start=first_ordinal):
        _shift(group, (_GROUP_FILE_OFFSET,), moved_by)
        for chunk in _structs(_get(group, _GROUP_COLUMNS)):
            _shift(chunk, (_CHUNK_FILE_OFFSET,), moved_by, keep_zero=True)
            _shift(chunk, _CHUNK_OFFSETS, moved_by)
            if (meta := _get(chunk, _CHUNK_META)) is not None:
                _shift(cast(list[Field], meta.value), _META_OFFSETS, moved_by)
        if (number := _get(group, _GROUP_ORDINAL)) is not None:
            number.value = ordinal
    return footer


def _parquet_bytes(footer: bytes) -> bytes:
    return MAGIC + footer + struct.pack("<i", len(footer)) + MAGIC


def _metadata(data: bytes) -> pq.FileMetaData:
    return pq.ParquetFile(pa.BufferReader(data)).metadata


def write_appended(base: BinaryIO, size: int, rows: pa.Table, sink: BinaryIO) -> None:
    """Write to `sink` the Parquet file `base` (an open file of `size` bytes) with `rows`
    added as a new row group (zstd, as `pq.write_table` writes it). Raises NotAppendable,
    having written nothing, when `base` is not a Parquet file of the rows' schema.

    Only the new row group's footer is edited here; the old footer, which grows with every
    row group, is read, joined and written by pyarrow (`FileMetaData.append_row_groups`).
    """
    body_end = footer_start(base, size)
    try:
        old = pq.ParquetFile(base).metadata
    except (OSError, pa.ArrowException) as exc:
        raise NotAppendable(f"not a Parquet file: {exc}") from exc
    buffer = pa.BufferOutputStream()
    pq.write_table(rows, buffer, compression="zstd")
    added = buffer.getvalue().to_pybytes()
    new_start = footer_start(pa.BufferReader(added), len(added))
    new = _metadata(added)
    if not (old.schema.equals(new.schema) and old.metadata == new.metadata):
        raise NotAppendable("the rows' schema is not the file's")
    footer = read_struct(added[new_start:-8])
    moved = write_struct(moved_row_groups(footer, body_end - len(MAGIC), old.num_row_groups))
    old.append_row_groups(_metadata(_parquet_bytes(moved)))
    joined = pa.BufferOutputStream()
    old.write_metadata_file(joined)
    base.seek(0)
    _copy(base, sink, body_end)
    sink.write(added[len(MAGIC) : new_start])
    sink.write(joined.getvalue().to_pybytes()[len(MAGIC) :])


def footer_start(handle: BinaryIO | pa.NativeFile, size: int) -> int:
    """Where the footer of a Parquet file (open, of `size` bytes) starts."""
    if size < 12:
        raise NotAppendable("not a Parquet file")
    handle.seek(size - 8)
    tail = handle.read(8)
    (length,) = struct.unpack("<i", tail[:4])
    if tail[4:] != MAGIC or length <= 0 or length > size - 12:
        raise NotAppendable("not a Parquet file")
    return size - 8 - int(length)


def _copy(source: BinaryIO, sink: BinaryIO, size: int) -> None:
    left = size
    while left > 0:
        chunk = source.read(min(_COPY_CHUNK, left))
        if not chunk:
            raise NotAppendable("the file ended early")
        sink.write(chunk)
        left -= len(chunk)
