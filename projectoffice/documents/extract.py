"""Plain text from uploaded files, for the search index: PDF (pypdf), DOCX (python-docx),
XLSX (openpyxl) and text files. A file that cannot be read gives no text, never an error."""

from __future__ import annotations

import io
import logging
from pathlib import PurePath

log = logging.getLogger(__name__)

MAX_TEXT = 200_000

TEXT_SUFFIXES = {".txt", ".md", ".csv", ".tsv", ".json", ".xml", ".ics", ".rst"}


def extract_text(filename: str, data: bytes) -> str:
    suffix = PurePath(filename).suffix.lower()
    try:
        if suffix == ".pdf":
            text = _pdf(data)
        elif suffix == ".docx":
            text = _docx(data)
        elif suffix == ".xlsx":
            text = _xlsx(data)
        elif suffix in TEXT_SUFFIXES:
            text = data.decode("utf-8", errors="replace")
        else:
            return ""
    except Exception:  # a damaged or unusual file is stored, just not searchable
        log.warning("could not extract text from %s", filename, exc_info=True)
        return ""
    return text.replace("\x00", "")[:MAX_TEXT]


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts: list[str] = []
    for page in reader.pages:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) > MAX_TEXT:
            break
    return "\n".join(parts)


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts: list[str] = []
    size = 0
    for sheet in book.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            line = " ".join(str(v) for v in row if v is not None)
            if line:
                parts.append(line)
                size += len(line)
            if size > MAX_TEXT:
                return "\n".join(parts)
    return "\n".join(parts)
