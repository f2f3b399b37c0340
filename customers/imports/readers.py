"""Reading uploaded lead lists: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) and XLSX (first sheet).

`import_file_inspect` checks a file before anything is stored in the database (size, type,
encoding, header) and raises `ImportFileError` with a message meant for the uploader (`customers.imports.messages`);
`import_file_chunks` then streams its data rows in chunks of plain strings, keyed by the canonical
column names, so memory stays flat whatever the file size.
"""

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from customers.imports.messages import (
    BAD_CSV,
    BAD_XLSX,
    EMPTY_FILE,
    MISSING_ORDER_COLUMNS,
    NO_DATA_ROWS,
    NO_PHONE_COLUMN,
    TOO_LARGE,
    UNDECODABLE,
    UNSUPPORTED_TYPE,
    message_stored,
)

# Canonical column → accepted headers (compared case-insensitively, spaces trimmed).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "phone": ("phone", "mobile", "手机号", "手机号码", "手机"),
    "name": ("name", "姓名", "客户姓名"),
    "tags": ("tags", "tag", "标签"),
    "remark": ("remark", "备注"),
    "order_no": ("order_no", "订单号"),
    "amount": ("amount", "金额"),
    "ordered_at": ("ordered_at", "下单时间"),
}
COLUMNS = tuple(HEADER_ALIASES)
ORDER_COLUMNS = ("order_no", "amount", "ordered_at")
EXTENSIONS = (".csv", ".xlsx")
_ALIAS_TO_COLUMN = {alias.lower(): column for column, aliases in HEADER_ALIASES.items() for alias in aliases}
_SNIFF_BYTES = 1 << 20


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class ImportFile:
    path: Path
    kind: str  # "csv" or "xlsx"
    encoding: str  # the CSV encoding; "" for XLSX
    columns: dict[str, int]  # canonical column → position in the header row
    size: int


def accepted_headers(column: str) -> str:
    return " / ".join(HEADER_ALIASES[column])


def import_file_inspect(*, path: Path, file_name: str, max_bytes: int, needs_orders: bool = False) -> ImportFile:
    """Check the file and map its header; raise `ImportFileError` if it cannot be imported."""
    path = Path(path)
    suffix = Path(file_name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ImportFileError(message_stored(UNSUPPORTED_TYPE, suffix=suffix or "—"))
    size = path.stat().st_size
    import_file_check_size(size=size, max_bytes=max_bytes)
    if suffix == ".csv":
        encoding = _detect_encoding(path)
        header = _csv_header(path, encoding)
        kind = "csv"
    else:
        encoding = ""
        header = _xlsx_header(path)
        kind = "xlsx"
    columns = _map_header(header)
    if "phone" not in columns:
        found = ", ".join(h for h in header if h) or "—"
        raise ImportFileError(message_stored(NO_PHONE_COLUMN, headers=accepted_headers("phone"), found=found))
    if needs_orders:
        missing = [c for c in ORDER_COLUMNS if c not in columns]
        if missing:
            wanted = "; ".join(accepted_headers(c) for c in missing)
            raise ImportFileError(message_stored(MISSING_ORDER_COLUMNS, columns=wanted))
    info = ImportFile(path=path, kind=kind, encoding=encoding, columns=columns, size=size)
    if not _has_data_row(info):
        raise ImportFileError(NO_DATA_ROWS)
    return info


def import_file_check_size(*, size: int, max_bytes: int) -> None:
    """Raise `ImportFileError` for an empty file or one over `max_bytes`."""
    if size == 0:
        raise ImportFileError(EMPTY_FILE)
    if size > max_bytes:
        raise ImportFileError(message_stored(TOO_LARGE, size=size, limit=max_bytes))


def import_file_chunks(info: ImportFile, *, chunk_rows: int = 100_000) -> Iterator[tuple[pd.DataFrame, float]]:
    """Yield (chunk, share of the file read so far); a chunk has `row_no` and every canonical column.

    Cells are stripped strings ("" when empty or absent). `row_no` is the row as a spreadsheet shows
    it (the header is row 1). Blank rows are no data rows and are skipped, keeping the numbering of
    those after them. The first chunks are smaller (`_chunk_sizes`).
    """
    if info.kind == "csv":
        yield from _csv_chunks(info, chunk_rows)
    else:
        yield from _xlsx_chunks(info, chunk_rows)


def _chunk_sizes(chunk_rows: int) -> Iterator[int]:
    """Rows of each chunk: 1/16, 1/8, 1/4 and 1/2 of `chunk_rows`, then `chunk_rows` each.

    The database writes a chunk while the next one is read: a small first chunk starts it sooner, and
    doubling sizes keep the reading ahead of the writing, which takes longer a row.
    """
    for share in (16, 8, 4, 2):
        yield max(chunk_rows // share, 1)
    while True:
        yield chunk_rows


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else GB18030 (a superset of GBK)."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        if _decodes(path, encoding):
            return encoding
    raise ImportFileError(UNDECODABLE)


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as fh:
        try:
            while block := fh.read(_SNIFF_BYTES):
                if b"\x00" in block:
                    return False
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _csv_header(path: Path, encoding: str) -> list[str]:
    with path.open(encoding=encoding, newline="") as fh:
        for row in csv.reader(fh):
            if any(cell.strip() for cell in row):
                return row
    raise ImportFileError(EMPTY_FILE)


def _xlsx_header(path: Path) -> list[str]:
    for row in _xlsx_rows(path):
        if any(cell for cell in row):
            return row
    raise ImportFileError(EMPTY_FILE)


def _map_header(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, title in enumerate(header):
        column = _ALIAS_TO_COLUMN.get(str(title).strip().lstrip("\ufeff").lower())
        if column and column not in columns:
            columns[column] = position
    return columns


def _has_data_row(info: ImportFile) -> bool:
    return any(len(chunk) for chunk, _ in import_file_chunks(info, chunk_rows=1000))


def _csv_chunks(info: ImportFile, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, float]]:
    """Parse with pandas' C reader: every cell a string, only the mapped columns kept."""
    header_line = _csv_header_line(info.path, info.encoding)
    wanted = sorted(info.columns.items(), key=lambda item: item[1])
    with info.path.open("rb") as raw:
        try:
            reader = pd.read_csv(
                raw,
                encoding=info.encoding,
                header=None,
                skiprows=header_line + 1,
                usecols=[position for _, position in wanted],
                dtype=str,
                na_filter=False,
                skip_blank_lines=False,
                chunksize=chunk_rows,
                engine="c",
            )
            for size in _chunk_sizes(chunk_rows):
                try:
                    frame = reader.get_chunk(size)
                except StopIteration:
                    return
                frame = frame.rename(columns={position: column for column, position in wanted})
                # The index counts data lines from 0; the header sits on spreadsheet row header_line + 1.
                frame.insert(0, "row_no", frame.index + header_line + 2)
                yield _tidy(frame), min(raw.tell() / info.size, 1.0)
        except pd.errors.EmptyDataError:
            return
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise ImportFileError(message_stored(BAD_CSV, error=exc)) from exc


def _csv_header_line(path: Path, encoding: str) -> int:
    """How many blank lines come before the header."""
    with path.open(encoding=encoding, newline="") as fh:
        for line_no, row in enumerate(csv.reader(fh)):
            if any(cell.strip() for cell in row):
                return line_no
    return 0


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip every cell, add absent columns as empty, drop blank rows."""
    for column in COLUMNS:
        if column in frame:
            frame[column] = frame[column].fillna("").astype(str).str.strip()
        else:
            frame[column] = ""
    present = [column for column in COLUMNS if (frame[column] != "").any()]
    blank = (frame[present] == "").all(axis=1) if present else pd.Series(True, index=frame.index)
    return frame.loc[~blank, ["row_no", *COLUMNS]].reset_index(drop=True)


def _xlsx_chunks(info: ImportFile, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, float]]:
    rows = _xlsx_rows(info.path, with_total=True)
    total = max(next(rows), 1)
    positions = sorted(info.columns.items(), key=lambda item: item[1])
    header_seen = False
    chunk: list[list] = []
    sizes = _chunk_sizes(chunk_rows)
    size = next(sizes)
    for row_no, row in enumerate(rows, start=1):
        if not header_seen:
            header_seen = any(cell.strip() for cell in row)
            continue
        chunk.append([row_no, *(row[p] if p < len(row) else "" for _, p in positions)])
        if len(chunk) >= size:
            yield _tidy(pd.DataFrame(chunk, columns=["row_no", *(c for c, _ in positions)])), min(row_no / total, 1.0)
            chunk = []
            size = next(sizes)
    if chunk:
        yield _tidy(pd.DataFrame(chunk, columns=["row_no", *(c for c, _ in positions)])), 1.0


def _xlsx_rows(path: Path, *, with_total: bool = False) -> Iterator:
    """The first sheet's rows as lists of strings (after an estimated row count if `with_total`)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(BAD_XLSX) from exc
    try:
        sheet = workbook.worksheets[0]
        if with_total:
            yield sheet.max_row or 0
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        # Excel stores long digit strings typed as numbers as floats: 13800138000.0.
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
