"""What kind of plan file some bytes are, from their content (never their name)."""

from __future__ import annotations

MSPDI = "mspdi"
MPP = "mpp"
XER = "xer"
PMXML = "pmxml"
MPX = "mpx"
UNKNOWN = "unknown"

LABELS = {
    MSPDI: "an MS Project XML (MSPDI) file",
    MPP: "an MS Project .mpp file",
    XER: "a Primavera P6 XER export",
    PMXML: "a Primavera P6 XML (PMXML) export",
    MPX: "an MS Project MPX file",
    UNKNOWN: "not a plan file this office can read",
}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file MS Project's .mpp lives in


def plan_kind(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if head.startswith(_OLE2):
        return MPP
    if head.startswith(b"ERMHDR"):
        return XER
    if head.startswith(b"MPX,") or head.startswith(b"MPX;"):
        return MPX
    text = head.lstrip()
    if text.startswith(b"<"):
        if b"<APIBusinessObjects" in head:
            return PMXML
        if b"<Project" in head:
            return MSPDI
    return UNKNOWN


def is_primavera(kind: str) -> bool:
    return kind in (XER, PMXML)
