"""Word (.docx) → Document, read straight from the package's XML with lxml.

Why not python-docx objects: python-docx builds a proxy per paragraph and per
cell, resolves merged cells by repeating them, and has no API for content
controls, form fields, text boxes or ``w:gridBefore``. Walking the lxml
elements gives all of that in document order and is several times faster.

What is read: the main document part's body, in order — paragraphs, tables
(nested ones into ``Cell.tables``), content controls, hyperlinks, smart tags,
field results, tracked insertions, text boxes (their paragraphs follow the
paragraph that anchors them), automatic list numbers (rendered as Word shows
them, e.g. ``一、`` / ``（1）``; bullets are dropped).

What is ignored, and why:
- headers and footers: letterhead and page numbers repeated on every page;
  the form's fields are never there, and mixing them in would break the
  reading order the form reader relies on;
- footnotes, endnotes, comments: not part of the filled-in form;
- tracked deletions (``w:del``, ``w:moveFrom``) and hidden text (``w:vanish``):
  nobody reading the printed form sees them;
- a content control still showing its placeholder prompt (``w:showingPlcHdr``,
  e.g. "单击或点击此处输入文字。"): the field is empty.

Checkboxes (see model.py): Word 2010 content-control checkboxes and legacy
FORMCHECKBOX fields become ``☑``/``☐``. Ticks drawn with a symbol font (``w:sym``
or a run whose font is Wingdings / Wingdings 2 / Symbol) are mapped by
``SYMBOL_MAP`` to the Unicode glyph they look like: empty boxes → ``☐``, box
with tick → ``☑``, box with a cross → ``☒``, tick → ``√``, cross → ``✗``,
filled square → ``■``. Unmapped symbol characters are kept as read
(private-use code points). Ticks typed as text are never touched.

Seals: ``Document.seals`` stays empty; every picture the body shows is listed in
``Document.notes`` as ``embedded_image:<zip member name>`` (e.g.
``embedded_image:word/media/image1.png``), in body order, so seal detection
can be run on those bytes.

Safety: the package is checked before anything is parsed (total uncompressed
size, per-member compression ratio, member count), every member is read with a
size cap, XML that declares a DOCTYPE is refused, and the parser resolves no
entities and touches no network. Any failure is an ``UnreadableFile``.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from .errors import UnreadableFile
from .model import TICKED, UNTICKED, Block, Cell, Document, Paragraph, Table

KIND = "docx"

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all members together
MAX_RATIO = 100  # uncompressed/compressed above this on a big member = zip bomb
_RATIO_FLOOR = 1024 * 1024  # members smaller than this are harmless whatever their ratio
_MAX_MEMBERS = 20_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # stream name inside a password-protected docx

MSG_BROKEN = "文件已损坏或不是Word文档，请联系报送单位重新发送。"
MSG_PASSWORD = "Word文件设置了打开密码，无法读取，请联系报送单位去掉密码后重新发送。"
MSG_LEGACY = "文件是旧版Word（.doc）格式，请联系报送单位另存为.docx后重新发送。"
MSG_NO_BODY = "文件中没有Word正文内容，请联系报送单位重新发送。"
MSG_BOMB = "文件解压后体积异常（疑似压缩炸弹），已拒绝读取，请联系报送单位重新发送。"
MSG_DOCTYPE = "文件含有不安全的XML声明，已拒绝读取，请联系报送单位用Word重新保存后发送。"
MSG_CORRUPT_XML = "文件内容已损坏，无法读取，请联系报送单位用Word重新保存后发送。"
MSG_IO = "文件无法打开，请确认文件完整后重新导入。"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"

# "Strict Open XML" files use other namespace URIs for the same vocabulary.
_STRICT_NS = (
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

# Inline containers whose children are read as if they were the paragraph's own.
_INLINE_PASS = frozenset(
    W + n for n in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple", "dir", "bdo")
)
# Block containers (body, cell, text box) whose children are blocks too.
_BLOCK_PASS = frozenset((W + "customXml", W + "ins", W + "moveTo"))
_ON_VALUES = (None, "1", "true", "on")

# Symbol-font code (low byte, 0x20–0xFF; Word also writes them as 0xF0xx) → glyph it looks like.
SYMBOL_MAP: dict[str, dict[int, str]] = {
    "wingdings": {
        0x6F: UNTICKED,
        0x70: UNTICKED,
        0x71: UNTICKED,
        0x72: UNTICKED,
        0xA8: UNTICKED,  # empty boxes
        0xFE: TICKED,  # box with tick
        0xFD: "☒",
        0x78: "☒",  # box with cross
        0xFC: "√",
        0xFB: "✗",
        0x6E: "■",
    },
    "wingdings 2": {
        0xA3: UNTICKED,
        0xA4: UNTICKED,
        0xA5: UNTICKED,
        0xA6: UNTICKED,
        0x2A: UNTICKED,
        0x52: TICKED,
        0x51: "☒",
        0x53: "☒",
        0x54: "☒",
        0x50: "√",
        0x4F: "✗",
        0xA2: "■",
    },
    "symbol": {0xD6: "√"},
}


def is_available() -> bool:
    try:
        import lxml.etree  # noqa: F401
    except ImportError:
        return False
    return True


def extract(path: Path, *, max_uncompressed: int = MAX_UNCOMPRESSED, max_ratio: float = MAX_RATIO) -> Document:
    """Read a .docx into a Document; raise UnreadableFile for anything that cannot be read safely."""
    path = Path(path)
    try:
        return _extract(path, max_uncompressed, max_ratio)
    except UnreadableFile:
        raise
    except (OSError, EOFError) as exc:
        raise UnreadableFile(MSG_IO, f"{type(exc).__name__}: {exc}") from exc
    except (zipfile.BadZipFile, zlib.error, NotImplementedError) as exc:
        raise UnreadableFile(MSG_BROKEN, f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # odd XML we did not foresee: still one bad file, not a crashed run
        raise UnreadableFile(MSG_CORRUPT_XML, f"{type(exc).__name__}: {exc}") from exc


# --------------------------------------------------------------------------- package


def _extract(path: Path, max_uncompressed: int, max_ratio: float) -> Document:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        raise _ole_error(path)
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(MSG_BROKEN, f"not a zip: {exc}") from exc
    with zf:
        _check_sizes(zf, max_uncompressed, max_ratio)
        pkg = _Package(zf, max_uncompressed)
        main = pkg.main_part()
        root = pkg.xml(main)
        body = root.find(W_BODY)
        if body is None:
            raise UnreadableFile(MSG_NO_BODY, f"{main} has no w:body (root {root.tag})")
        ctx = _Context(pkg, main)
        blocks = _blocks(body, ctx)
        notes = [f"embedded_image:{name}" for name in ctx.images] + ctx.notes
        return Document(source=path, kind=KIND, blocks=blocks, page_count=pkg.page_count(), notes=notes)


def _ole_error(path: Path) -> UnreadableFile:
    # A password-protected .docx is an OLE compound file holding an "EncryptedPackage" stream.
    with open(path, "rb") as fh:
        data = fh.read(64 * 1024 * 1024)
    if _ENCRYPTED_STREAM in data:
        return UnreadableFile(MSG_PASSWORD, "OLE compound file with EncryptedPackage stream")
    return UnreadableFile(MSG_LEGACY, "OLE compound file (legacy .doc/.wps), not OOXML")


def _check_sizes(zf: zipfile.ZipFile, max_uncompressed: int, max_ratio: float) -> None:
    infos = zf.infolist()
    if len(infos) > _MAX_MEMBERS:
        raise UnreadableFile(MSG_BOMB, f"{len(infos)} zip members")
    total = sum(i.file_size for i in infos)
    if total > max_uncompressed:
        raise UnreadableFile(MSG_BOMB, f"uncompressed size {total} > limit {max_uncompressed}")
    for info in infos:
        if info.file_size >= _RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise UnreadableFile(MSG_BOMB, f"{info.filename}: compression ratio {ratio:.0f} > {max_ratio}")
        if info.flag_bits & 0x1:
            raise UnreadableFile(MSG_PASSWORD, f"{info.filename} is encrypted inside the zip")


class _Package:
    """Reads parts of the zip with size caps and parses XML safely."""

    def __init__(self, zf: zipfile.ZipFile, cap: int) -> None:
        from lxml import etree

        self._etree = etree
        self._zf = zf
        self._names = set(zf.namelist())
        self._cap = cap
        self._parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        self._rels: dict[str, dict[str, tuple[str, str]]] = {}

    def has(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str) -> bytes:
        with self._zf.open(name) as fh:
            data = fh.read(self._cap + 1)
        if len(data) > self._cap:
            raise UnreadableFile(MSG_BOMB, f"{name} inflates past {self._cap} bytes")
        return data

    def xml(self, name: str, slim=None):  # -> lxml element
        data = self.read(name)
        if slim is not None:
            data = slim(data)
        if _declares_doctype(data):
            raise UnreadableFile(MSG_DOCTYPE, f"{name} declares a DOCTYPE")
        for strict, transitional in _STRICT_NS:
            if strict in data:
                data = data.replace(strict, transitional)
        try:
            root = self._etree.fromstring(data, self._parser)
        except self._etree.XMLSyntaxError as exc:
            message = MSG_DOCTYPE if b"<!DOCTYPE" in data.upper() else MSG_CORRUPT_XML
            raise UnreadableFile(message, f"{name}: {exc}") from exc
        if root.getroottree().docinfo.doctype:  # one hidden past the quick byte check
            raise UnreadableFile(MSG_DOCTYPE, f"{name} declares a DOCTYPE")
        return root

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId -> (relationship type, zip member name) for a part's internal targets."""
        if part not in self._rels:
            self._rels[part] = self._read_rels(part)
        return self._rels[part]

    def _read_rels(self, part: str) -> dict[str, tuple[str, str]]:
        p = PurePosixPath(part)
        rels_name = str(p.parent / "_rels" / (p.name + ".rels")) if part else "_rels/.rels"
        if rels_name.startswith("./"):
            rels_name = rels_name[2:]
        if not self.has(rels_name):
            return {}
        out: dict[str, tuple[str, str]] = {}
        for rel in self.xml(rels_name).iter(PR + "Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = _resolve(p.parent if part else None, rel.get("Target") or "")
            if not self.has(target) and self.has(unquote(target)):
                target = unquote(target)  # "media/image%201.png" names the member "media/image 1.png"
            out[rel.get("Id") or ""] = (rel.get("Type") or "", target)
        return out

    def related(self, part: str, type_suffix: str) -> str | None:
        for rel_type, target in self.rels(part).values():
            if rel_type.endswith(type_suffix) and self.has(target):
                return target
        return None

    def main_part(self) -> str:
        main = self.related("", "/officeDocument")
        if main is None and self.has("word/document.xml"):
            main = "word/document.xml"
        if main is None:
            raise UnreadableFile(MSG_BROKEN, "zip has no main document part (word/document.xml)")
        return main

    def page_count(self) -> int:
        # Word writes the page count it last laid out into docProps/app.xml.
        app = self.related("", "/extended-properties")
        if app is None:
            return 1
        try:
            pages = self.xml(app).findtext(EP + "Pages")
        except UnreadableFile as exc:
            if exc.message_zh != MSG_CORRUPT_XML:
                raise
            return 1
        try:
            n = int(pages or "")
        except ValueError:
            return 1
        return n if 0 < n < 100_000 else 1


def _declares_doctype(data: bytes) -> bool:
    head = data[:4096]
    return (
        b"<!DOCTYPE" in head.upper()
        or "<!DOCTYPE".encode("utf-16-le") in head
        or ("<!DOCTYPE".encode("utf-16-be") in head)
    )


def _resolve(base: PurePosixPath | None, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = list(base.parts) if base is not None and str(base) != "." else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


# --------------------------------------------------------------------------- context


@dataclass
class _Context:
    pkg: _Package
    main: str
    styles: dict[str, str] = field(default_factory=dict)  # styleId -> name
    default_style: str | None = None
    images: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    numbering: _Numbering | None = None
    _rels: dict[str, tuple[str, str]] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._rels = self.pkg.rels(self.main)
        style_numpr: dict[str, tuple[str | None, str | None]] = {}
        based_on: dict[str, str] = {}
        styles = self._optional(self.pkg.related(self.main, "/styles"), _slim_styles)
        if styles is not None:
            for st in styles.iterchildren(W + "style"):
                sid = st.get(W + "styleId") or ""
                name = _val(st.find(W + "name"))
                self.styles[sid] = _ui_style_name(name or sid)
                if st.get(W_TYPE) == "paragraph" and st.get(W + "default") in ("1", "true", "on"):
                    self.default_style = self.styles[sid]
                numpr = st.find(f"{W_PPR}/{W}numPr")
                if numpr is not None:
                    style_numpr[sid] = (_val(numpr.find(W + "numId")), _val(numpr.find(W + "ilvl")))
                if (base := st.find(W + "basedOn")) is not None and base.get(W_VAL):
                    based_on[sid] = base.get(W_VAL) or ""
        numbering = self._optional(self.pkg.related(self.main, "/numbering"))
        if numbering is not None:
            self.numbering = _Numbering(numbering, style_numpr, based_on)

    def _optional(self, part: str | None, slim=None):
        """A part the text does not depend on (styles, numbering): a damaged one is skipped with a note,
        as Word's repair would; a hostile one (DOCTYPE) still refuses the file."""
        if part is None:
            return None
        try:
            return self.pkg.xml(part, slim=slim)
        except UnreadableFile as exc:
            if exc.message_zh != MSG_CORRUPT_XML:
                raise
            self.notes.append(f"文档的{part}已损坏，段落样式或自动编号可能缺失，请人工核对。")
            return None

    def add_image(self, rid: str | None) -> None:
        rel = self._rels.get(rid or "")
        if rel is None or rel[1] in self._seen:
            return
        self._seen.add(rel[1])
        self.images.append(rel[1])

    def style_of(self, ppr) -> str | None:
        if ppr is not None and (ps := ppr.find(W + "pStyle")) is not None:
            sid = ps.get(W_VAL) or ""
            return self.styles.get(sid, sid)
        return self.default_style


def _slim_styles(data: bytes) -> bytes:
    """Drop latent styles and table styles before parsing: they are most of styles.xml (python-docx's
    template: 340 of 350 KB, 10 ms to parse) and nothing here reads them. Byte search, so a file
    written another way is simply parsed whole."""
    start = data.find(b"<w:latentStyles")
    if start != -1:
        head_end = data.find(b">", start)
        end = data.find(b"</w:latentStyles>", start)
        if head_end != -1 and data[head_end - 1 : head_end] != b"/" and end != -1:
            data = data[:start] + data[end + len(b"</w:latentStyles>") :]
    out: list[bytes] = []
    pos = 0
    while (start := data.find(b'<w:style w:type="table"', pos)) != -1:
        head_end = data.find(b">", start)
        if head_end == -1:
            break
        if data[head_end - 1 : head_end] == b"/":  # an empty <w:style .../>: keep it
            out.append(data[pos : head_end + 1])
            pos = head_end + 1
            continue
        end = data.find(b"</w:style>", head_end)
        if end == -1:
            break
        out.append(data[pos:start])
        pos = end + len(b"</w:style>")
    out.append(data[pos:])
    return b"".join(out)


_BUILTIN_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header", "title": "Title"}
_BUILTIN_UI_NAMES.update({f"heading {i}": f"Heading {i}" for i in range(1, 10)})


def _ui_style_name(name: str) -> str:
    # styles.xml stores some built-in names in lower case; Word (and python-docx) show them capitalised.
    return _BUILTIN_UI_NAMES.get(name, name)


def _val(el) -> str | None:
    return None if el is None else el.get(W_VAL)


def _on(el) -> bool:
    """OOXML on/off property: present with no value, or 1/true/on."""
    if el is None:
        return False
    val = el.get(W_VAL)
    if val is None:
        val = el.get(W14 + "val")
    return (val.lower() if val else None) in _ON_VALUES


def _int(el, default: int) -> int:
    try:
        return int(el.get(W_VAL)) if el is not None else default
    except (TypeError, ValueError):
        return default


# --------------------------------------------------------------------------- blocks


def _blocks(container, ctx: _Context) -> list[Block]:
    out: list[Block] = []
    for child in container:
        tag = child.tag
        if tag == W_P:
            out.extend(_paragraph(child, ctx))
        elif tag == W_TBL:
            out.append(_table(child, ctx))
        elif tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None and not _on(child.find(f"{W_SDTPR}/{W}showingPlcHdr")):
                out.extend(_blocks(content, ctx))
        elif tag in _BLOCK_PASS:
            out.extend(_blocks(child, ctx))
        elif tag == MC_ALT:
            chosen = _choose(child)
            if chosen is not None:
                out.extend(_blocks(chosen, ctx))
        elif tag == W + "altChunk":
            ctx.notes.append(f"文档中有嵌入的外部内容（altChunk {child.get(R + 'id')}）未读取，请人工核对。")
    return out


def _choose(alt):
    """mc:AlternateContent: the first Choice (DrawingML, w14 …), else the Fallback — never both."""
    choice = alt.find(MC_CHOICE)
    return choice if choice is not None else alt.find(MC_FALLBACK)


class _Fields:
    """Complex-field nesting; text inside a FORMCHECKBOX field is replaced by its glyph."""

    __slots__ = ("stack", "hidden")

    def __init__(self) -> None:
        self.stack: list[bool] = []
        self.hidden = 0

    def begin(self, is_checkbox: bool) -> None:
        self.stack.append(is_checkbox)
        self.hidden += is_checkbox

    def end(self) -> None:
        if self.stack:
            self.hidden -= self.stack.pop()


def _paragraph(p, ctx: _Context) -> list[Block]:
    parts: list[str] = []
    extra: list[Block] = []
    _inline(p, parts, extra, ctx, _Fields())
    ppr = p.find(W_PPR)
    text = "".join(parts)
    if ctx.numbering is not None:
        text = ctx.numbering.label(ppr) + text
    return [Paragraph(text=text, style=ctx.style_of(ppr)), *extra]


def _inline(el, parts: list[str], extra: list[Block], ctx: _Context, fields: _Fields) -> None:
    for child in el:
        tag = child.tag
        if tag == W_R:
            _run(child, parts, extra, ctx, fields)
        elif tag in _INLINE_PASS:
            _inline(child, parts, extra, ctx, fields)
        elif tag == W_SDT:
            _inline_sdt(child, parts, extra, ctx, fields)
        elif tag == MC_ALT:
            chosen = _choose(child)
            if chosen is not None:
                _inline(chosen, parts, extra, ctx, fields)
        elif tag == M + "oMathPara" or tag == M + "oMath":
            if not fields.hidden:
                parts.append("".join(child.itertext(M + "t")))
        # w:del, w:moveFrom (tracked deletions), w:pPr, bookmarks, proofing marks: nothing to read


def _inline_sdt(sdt, parts: list[str], extra: list[Block], ctx: _Context, fields: _Fields) -> None:
    pr = sdt.find(W_SDTPR)
    if pr is not None:
        box = pr.find(W14 + "checkbox")
        if box is not None:
            if not fields.hidden:
                parts.append(TICKED if _on(box.find(W14 + "checked")) else UNTICKED)
            return
        if _on(pr.find(W + "showingPlcHdr")):
            return  # the control still shows its prompt: nothing was filled in
    content = sdt.find(W_SDTCONTENT)
    if content is not None:
        _inline(content, parts, extra, ctx, fields)


def _run(r, parts: list[str], extra: list[Block], ctx: _Context, fields: _Fields) -> None:
    font = None
    visible = True
    rpr = r.find(W_RPR)
    if rpr is not None:
        vanish = rpr.find(W + "vanish")
        visible = vanish is None or not _on(vanish)
        rfonts = rpr.find(W + "rFonts")
        if rfonts is not None:
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                name = (rfonts.get(W + attr) or "").lower()
                if name in SYMBOL_MAP:
                    font = name
                    break
    _run_content(r, parts, extra, ctx, fields, font, visible)


def _run_content(container, parts, extra, ctx, fields, font: str | None, visible: bool) -> None:
    for c in container:
        tag = c.tag
        emit = visible and not fields.hidden
        if tag == W_T:
            if emit and c.text:
                parts.append(_map_symbols(c.text, font) if font else c.text)
        elif tag == W + "tab" or tag == W + "ptab":
            if emit:
                parts.append("\t")
        elif tag == W + "br":
            if emit and c.get(W_TYPE) in (None, "textWrapping"):
                parts.append("\n")  # page and column breaks end no line of text
        elif tag == W + "cr":
            if emit:
                parts.append("\n")
        elif tag == W + "noBreakHyphen":
            if emit:
                parts.append("-")
        elif tag == W + "sym":
            if emit:
                parts.append(_sym(c))
        elif tag == W + "fldChar":
            _field_char(c, parts, fields)
        elif tag == W + "drawing" or tag == W + "pict" or tag == W + "object":
            _graphic(c, extra, ctx)
        elif tag == MC_ALT:
            chosen = _choose(c)
            if chosen is not None:
                _run_content(chosen, parts, extra, ctx, fields, font, visible)
        elif tag == W + "ruby":
            base = c.find(W + "rubyBase")  # the annotated text, not its pronunciation guide
            if base is not None:
                _inline(base, parts, extra, ctx, fields)


def _field_char(c, parts: list[str], fields: _Fields) -> None:
    kind = c.get(W + "fldCharType")
    if kind == "begin":
        ff = c.find(W + "ffData")
        box = ff.find(W + "checkBox") if ff is not None else None
        if box is not None and not fields.hidden:
            parts.append(TICKED if _legacy_checked(box) else UNTICKED)
        fields.begin(box is not None)
    elif kind == "end":
        fields.end()


def _legacy_checked(box) -> bool:
    checked = box.find(W + "checked")
    if checked is not None:
        return _on(checked)
    default = box.find(W + "default")
    return default is not None and _on(default)


def _sym(c) -> str:
    try:
        code = int(c.get(W + "char") or "", 16)
    except ValueError:
        return ""
    low = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
    glyph = SYMBOL_MAP.get((c.get(W + "font") or "").lower(), {}).get(low)
    if glyph is not None:
        return glyph
    return chr(0xF000 + low if low < 0x100 else code)  # unmapped: keep the private-use code as read


def _map_symbols(text: str, font: str) -> str:
    table = SYMBOL_MAP[font]
    out = []
    for ch in text:
        code = ord(ch)
        low = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
        out.append(table.get(low, ch))
    return "".join(out)


def _graphic(el, extra: list[Block], ctx: _Context) -> None:
    """A drawing / VML shape: note its pictures, read its text boxes as paragraphs in place."""
    for blip in el.iter(A + "blip"):
        ctx.add_image(blip.get(R + "embed"))
    for data in el.iter(V + "imagedata"):
        ctx.add_image(data.get(R + "id"))
    for box in el.iter(W_TXBX):
        if not _inside_textbox(box, el):
            extra.extend(_blocks(box, ctx))


def _inside_textbox(box, stop) -> bool:
    parent = box.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == W_TXBX:
            return True  # read with the outer box
        parent = parent.getparent()
    return False


# --------------------------------------------------------------------------- tables


def _wrapped(container, wanted: str):
    """Children tagged `wanted`, also when wrapped in a content control or custom XML (rows and cells can be)."""
    for child in container:
        tag = child.tag
        if tag == wanted:
            yield child
        elif tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _wrapped(content, wanted)
        elif tag == W + "customXml":
            yield from _wrapped(child, wanted)


def _rows(container):
    return _wrapped(container, W_TR)


def _cells(container):
    return _wrapped(container, W_TC)


def _table(tbl, ctx: _Context) -> Table:
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}  # grid column -> cell covering it in the previous row
    for tr in _rows(tbl):
        col = 0
        trpr = tr.find(W_TRPR)
        if trpr is not None:
            if trpr.find(W + "del") is not None:
                continue  # row deleted with tracked changes
            col = max(0, _int(trpr.find(W + "gridBefore"), 0))
        r = len(rows)
        row: list[Cell] = []
        here: dict[int, Cell] = {}
        last: Cell | None = None
        for tc in _cells(tr):
            span, vmerge, hmerge = 1, None, None
            tcpr = tc.find(W_TCPR)
            if tcpr is not None:
                span = max(1, _int(tcpr.find(W + "gridSpan"), 1))
                if (vm := tcpr.find(W + "vMerge")) is not None:
                    vmerge = vm.get(W_VAL) or "continue"
                if (hm := tcpr.find(W + "hMerge")) is not None:
                    hmerge = hm.get(W_VAL) or "continue"
            owner: Cell | None = None
            if hmerge == "continue" and last is not None:
                owner = last  # legacy horizontal merge: widens the cell to its left
                owner.col_span += span
            elif vmerge == "continue":
                candidate = above.get(col)
                if candidate is not None and candidate.row + candidate.row_span == r:
                    owner = candidate
                    owner.row_span += 1
            if owner is None:
                blocks = _blocks(tc, ctx)
                owner = Cell(
                    text="\n".join(b.text for b in blocks if isinstance(b, Paragraph)),
                    row=r,
                    col=col,
                    col_span=span,
                    tables=[b for b in blocks if isinstance(b, Table)],
                )
                row.append(owner)
            for c in range(col, col + span):
                here[c] = owner
            last = owner if owner.row == r else None
            col += span
        rows.append(row)
        above = here
    return Table(rows=rows)


# --------------------------------------------------------------------------- list numbering


class _Numbering:
    """Renders automatic list labels ("一、", "（1）", "1.") the way Word shows them."""

    def __init__(self, root, style_numpr: dict, based_on: dict[str, str]) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str, bool, str]]] = {}
        for absn in root.iterchildren(W + "abstractNum"):
            levels = {}
            for lvl in absn.iterchildren(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl") or 0)
                levels[ilvl] = (
                    _int(lvl.find(W + "start"), 1),
                    _val(lvl.find(W + "numFmt")) or "decimal",
                    _val(lvl.find(W + "lvlText")) or "",
                    _on(lvl.find(W + "isLgl")),
                    _val(lvl.find(W + "suff")) or "tab",
                )
            self._levels[absn.get(W + "abstractNumId") or ""] = levels
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        for num in root.iterchildren(W + "num"):
            overrides = {}
            for ov in num.iterchildren(W + "lvlOverride"):
                start = ov.find(W + "startOverride")
                if start is not None:
                    overrides[int(ov.get(W + "ilvl") or 0)] = _int(start, 1)
            self._nums[num.get(W + "numId") or ""] = (_val(num.find(W + "abstractNumId")) or "", overrides)
        self._style_numpr = style_numpr
        self._based_on = based_on
        self._counters: dict[str, list[int | None]] = {}

    def _numpr(self, ppr) -> tuple[str | None, int]:
        num_id = ilvl = None
        sid = None
        if ppr is not None:
            numpr = ppr.find(W + "numPr")
            if numpr is not None:
                num_id, ilvl = _val(numpr.find(W + "numId")), _val(numpr.find(W + "ilvl"))
            sid = _val(ppr.find(W + "pStyle"))
        seen = set()
        while num_id is None and sid and sid not in seen:  # numbering inherited from the style chain
            seen.add(sid)
            if sid in self._style_numpr:
                num_id, style_ilvl = self._style_numpr[sid]
                ilvl = ilvl if ilvl is not None else style_ilvl
            sid = self._based_on.get(sid)
        try:
            level = int(ilvl or 0)
        except ValueError:
            level = 0
        return num_id, min(max(level, 0), 8)

    def label(self, ppr) -> str:
        num_id, ilvl = self._numpr(ppr)
        if not num_id or num_id == "0" or num_id not in self._nums:
            return ""
        abs_id, overrides = self._nums[num_id]
        levels = self._levels.get(abs_id, {})
        if ilvl not in levels:
            return ""
        # Lists sharing an abstract definition continue each other unless one restarts its numbers.
        key = f"n{num_id}" if overrides else f"a{abs_id}"
        counts = self._counters.setdefault(key, [None] * 9)
        start = overrides.get(ilvl, levels[ilvl][0])
        counts[ilvl] = start if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = None
        _, fmt, text, legal, suffix = levels[ilvl]
        if fmt == "bullet":
            return ""
        for k in range(ilvl, -1, -1):  # %10 never occurs; high levels first keeps %1 from eating %1x
            placeholder = f"%{k + 1}"
            if placeholder not in text:
                continue
            level = levels.get(k, (1, "decimal", "", False, "tab"))
            n = counts[k] if counts[k] is not None else overrides.get(k, level[0])
            kfmt = "decimal" if legal else level[1]  # isLgl: every number in this label in digits
            text = text.replace(placeholder, _format_number(n, kfmt))
        if not text:
            return ""
        return text + {"tab": "\t", "space": " "}.get(suffix, "")


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CN_UNITS = ("", "十", "百", "千")
_CN_LEGAL_UNITS = ("", "拾", "佰", "仟")
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _format_number(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "ideographDigital",
        "taiwaneseDigital",
    ):
        return _chinese(n, _CN_DIGITS, _CN_UNITS)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, _CN_LEGAL_UNITS, short_ten=False)
    if fmt == "ideographTraditional" and n > 0:
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac" and n > 0:
        return _DIZHI[(n - 1) % 12]
    if fmt.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 0 < n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 0 < n <= 20:
        return chr(0x2488 + n - 1)
    if fmt.startswith("decimalFullWidth"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 4000:
        roman = ""
        for value, sym in _ROMAN:
            while n >= value:
                roman, n = roman + sym, n - value
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "none":
        return ""
    return str(n)


def _chinese(n: int, digits: str, units: tuple[str, ...], short_ten: bool = True) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (up to 9999; larger in plain digits)."""
    if n <= 0 or n > 9999:
        return str(n)
    out: list[str] = []
    text = str(n)
    zero = False
    for i, ch in enumerate(text):
        d = int(ch)
        unit = units[len(text) - i - 1]
        if d == 0:
            zero = True
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(digits[d] + unit)
    result = "".join(out)
    if short_ten and 10 <= n < 20:
        result = result[1:]  # 十二, not 一十二
    return result
