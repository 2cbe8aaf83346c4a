"""Downloads of stored files (attachments, document versions)."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from projectoffice.errors import NotFound


def file_response(stored: FieldFile, filename: str, content_type: str) -> FileResponse:
    """The stored file as a download; a file missing from storage (a data directory restored
    without its files, a disk problem) is a 404 saying so, never a server error."""
    try:
        handle = stored.open("rb")
    except (OSError, ValueError) as exc:
        raise NotFound(f"The file {filename} is missing from the office's storage: the "
                       "Project Office manager can restore it from a backup") from exc
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type=content_type)
