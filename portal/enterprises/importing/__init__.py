"""Bulk import of enterprise lists (.xlsx/.csv) in the format of docs/import-format.md.

Use ``run_import(handle, filename, dry_run=...)``; it returns an ``ImportReport`` or raises
``FileRefused`` for a file that cannot be read at all (too big, a zip bomb, wrong headers).
"""

from .readers import MAX_UPLOAD_BYTES, FileRefused
from .rows import RowError
from .service import ImportReport, run_import

__all__ = ["MAX_UPLOAD_BYTES", "FileRefused", "ImportReport", "RowError", "run_import"]
