"""File formats read and written by the office (MSPDI, CSV/XLSX, iCalendar, PDF)."""
