"""WordprocessingML names and the small value readers every part of the Word reader shares.

The Word reader walks lxml elements directly (see extractors/docx.py for why), so tags are
compared as Clark names (``{namespace}local``). "Strict Open XML" files use other namespace
URIs for the same vocabulary; ``STRICT_NS`` maps them to these before a part is parsed.
"""

from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"

STRICT_NS = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", W[1:-1].encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", R[1:-1].encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/main", A[1:-1].encode()),
)

W_BODY, W_P, W_R, W_T, W_TBL, W_TR, W_TC = (W + n for n in ("body", "p", "r", "t", "tbl", "tr", "tc"))
W_PPR, W_RPR, W_TRPR, W_TCPR = (W + n for n in ("pPr", "rPr", "trPr", "tcPr"))
W_SDT, W_SDTPR, W_SDTCONTENT = W + "sdt", W + "sdtPr", W + "sdtContent"
W_VAL, W_TYPE = W + "val", W + "type"
MC_ALT, MC_CHOICE, MC_FALLBACK = MC + "AlternateContent", MC + "Choice", MC + "Fallback"
W_TXBX = W + "txbxContent"

_ON_VALUES = (None, "1", "true", "on")


def val(el) -> str | None:
    """The w:val attribute of an optional property element."""
    return None if el is None else el.get(W_VAL)


def on(el) -> bool:
    """OOXML on/off property: present with no value, or 1/true/on."""
    if el is None:
        return False
    value = el.get(W_VAL)
    if value is None:
        value = el.get(W14 + "val")
    return (value.lower() if value else None) in _ON_VALUES


def int_val(el, default: int) -> int:
    try:
        return int(el.get(W_VAL)) if el is not None else default
    except (TypeError, ValueError):
        return default


def choose(alt):
    """mc:AlternateContent: the first Choice (DrawingML, w14 …), else the Fallback — never both."""
    choice = alt.find(MC_CHOICE)
    return choice if choice is not None else alt.find(MC_FALLBACK)
