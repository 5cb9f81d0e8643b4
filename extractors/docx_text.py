"""Word body → blocks: paragraphs and runs in reading order, styles, list numbers, text boxes, pictures.

What is read, in document order: paragraphs, tables (docx_tables), content controls, hyperlinks, smart
tags, field results, tracked insertions, text boxes (their paragraphs follow the paragraph that anchors
them), math text, ruby base text, automatic list numbers (docx_numbering), checkboxes and symbol ticks
(docx_ticks). The pictures the body shows are handed to ``Pictures`` (docx_package) for seal checks.

Not read: tracked deletions (``w:del``, ``w:moveFrom``) and hidden text (``w:vanish``) — nobody reading
the printed form sees them; a content control still showing its placeholder prompt (``w:showingPlcHdr``,
e.g. "单击或点击此处输入文字。") — the field is empty; an ``altChunk`` (embedded foreign content) — noted
for staff instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .docx_numbering import Numbering
from .docx_package import NOTE_STYLES, Pictures, WordPackage
from .docx_tables import read_table
from .docx_ticks import Fields, control_checkbox, field_char, map_symbols, sym, symbol_font
from .docx_xml import (
    MC_ALT,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_SDT,
    W_SDTCONTENT,
    W_SDTPR,
    W_T,
    W_TBL,
    W_TXBX,
    W_TYPE,
    W_VAL,
    A,
    M,
    R,
    V,
    W,
    choose,
    on,
    val,
)
from .model import Block, Paragraph

# Inline containers whose children are read as if they were the paragraph's own.
_INLINE_PASS = frozenset(
    W + n for n in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple", "dir", "bdo")
)
# Block containers (body, cell, text box) whose children are blocks too.
_BLOCK_PASS = frozenset((W + "customXml", W + "ins", W + "moveTo"))


@dataclass
class TextContext:
    """What reading the body needs besides the body: style names, list numbering, where pictures go."""

    rels: Mapping  # the main document part's relationships (python-docx), rId -> relationship
    pictures: Pictures
    notes: list[str]  # remarks for staff (shared with the package's)
    styles: dict[str, str] = field(default_factory=dict)  # styleId -> name
    default_style: str | None = None
    numbering: Numbering | None = None

    def style_of(self, ppr) -> str | None:
        if ppr is not None and (ps := ppr.find(W + "pStyle")) is not None:
            sid = ps.get(W_VAL) or ""
            return self.styles.get(sid, sid)
        return self.default_style


def context_for(pkg: WordPackage, pictures: Pictures) -> TextContext:
    """Style names and list numbering from the main document's styles and numbering parts."""
    ctx = TextContext(rels=pkg.main.rels, pictures=pictures, notes=pkg.notes)
    style_numpr: dict[str, tuple[str | None, str | None]] = {}
    based_on: dict[str, str] = {}
    styles = pkg.optional_xml(pkg.main_related("styles"), NOTE_STYLES, slim=slim_styles)
    if styles is not None:
        for st in styles.iterchildren(W + "style"):
            sid = st.get(W + "styleId") or ""
            name = val(st.find(W + "name"))
            ctx.styles[sid] = _ui_style_name(name or sid)
            if st.get(W_TYPE) == "paragraph" and st.get(W + "default") in ("1", "true", "on"):
                ctx.default_style = ctx.styles[sid]
            numpr = st.find(f"{W_PPR}/{W}numPr")
            if numpr is not None:
                style_numpr[sid] = (val(numpr.find(W + "numId")), val(numpr.find(W + "ilvl")))
            if (base := st.find(W + "basedOn")) is not None and base.get(W_VAL):
                based_on[sid] = base.get(W_VAL) or ""
    numbering = pkg.optional_xml(pkg.main_related("numbering"), NOTE_STYLES)
    if numbering is not None:
        ctx.numbering = Numbering(numbering, style_numpr, based_on)
    return ctx


def slim_styles(data: bytes) -> bytes:
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


# --------------------------------------------------------------------------- blocks


def read_blocks(container, ctx: TextContext) -> list[Block]:
    out: list[Block] = []
    for child in container:
        tag = child.tag
        if tag == W_P:
            out.extend(_paragraph(child, ctx))
        elif tag == W_TBL:
            out.append(read_table(child, lambda cell: read_blocks(cell, ctx)))
        elif tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None and not on(child.find(f"{W_SDTPR}/{W}showingPlcHdr")):
                out.extend(read_blocks(content, ctx))
        elif tag in _BLOCK_PASS:
            out.extend(read_blocks(child, ctx))
        elif tag == MC_ALT:
            chosen = choose(child)
            if chosen is not None:
                out.extend(read_blocks(chosen, ctx))
        elif tag == W + "altChunk":
            ctx.notes.append(f"文档中有嵌入的外部内容（altChunk {child.get(R + 'id')}）未读取，请人工核对。")
    return out


def _paragraph(p, ctx: TextContext) -> list[Block]:
    parts: list[str] = []
    extra: list[Block] = []
    _inline(p, parts, extra, ctx, Fields())
    ppr = p.find(W_PPR)
    text = "".join(parts)
    if ctx.numbering is not None:
        text = ctx.numbering.label(ppr) + text
    return [Paragraph(text=text, style=ctx.style_of(ppr)), *extra]


def _inline(el, parts: list[str], extra: list[Block], ctx: TextContext, fields: Fields) -> None:
    for child in el:
        tag = child.tag
        if tag == W_R:
            _run(child, parts, extra, ctx, fields)
        elif tag in _INLINE_PASS:
            _inline(child, parts, extra, ctx, fields)
        elif tag == W_SDT:
            _inline_sdt(child, parts, extra, ctx, fields)
        elif tag == MC_ALT:
            chosen = choose(child)
            if chosen is not None:
                _inline(chosen, parts, extra, ctx, fields)
        elif tag == M + "oMathPara" or tag == M + "oMath":
            if not fields.hidden:
                parts.append("".join(child.itertext(M + "t")))
        # w:del, w:moveFrom (tracked deletions), w:pPr, bookmarks, proofing marks: nothing to read


def _inline_sdt(sdt, parts: list[str], extra: list[Block], ctx: TextContext, fields: Fields) -> None:
    pr = sdt.find(W_SDTPR)
    if pr is not None:
        glyph = control_checkbox(pr)
        if glyph is not None:
            if not fields.hidden:
                parts.append(glyph)
            return
        if on(pr.find(W + "showingPlcHdr")):
            return  # the control still shows its prompt: nothing was filled in
    content = sdt.find(W_SDTCONTENT)
    if content is not None:
        _inline(content, parts, extra, ctx, fields)


def _run(r, parts: list[str], extra: list[Block], ctx: TextContext, fields: Fields) -> None:
    font = None
    visible = True
    rpr = r.find(W_RPR)
    if rpr is not None:
        vanish = rpr.find(W + "vanish")
        visible = vanish is None or not on(vanish)
        font = symbol_font(rpr)
    _run_content(r, parts, extra, ctx, fields, font, visible)


def _run_content(container, parts, extra, ctx: TextContext, fields: Fields, font: str | None, visible: bool) -> None:
    for c in container:
        tag = c.tag
        emit = visible and not fields.hidden
        if tag == W_T:
            if emit and c.text:
                parts.append(map_symbols(c.text, font) if font else c.text)
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
                parts.append(sym(c))
        elif tag == W + "fldChar":
            field_char(c, parts, fields)
        elif tag == W + "drawing" or tag == W + "pict" or tag == W + "object":
            _graphic(c, extra, ctx)
        elif tag == MC_ALT:
            chosen = choose(c)
            if chosen is not None:
                _run_content(chosen, parts, extra, ctx, fields, font, visible)
        elif tag == W + "ruby":
            base = c.find(W + "rubyBase")  # the annotated text, not its pronunciation guide
            if base is not None:
                _inline(base, parts, extra, ctx, fields)


def _graphic(el, extra: list[Block], ctx: TextContext) -> None:
    """A drawing / VML shape: hand its pictures on, read its text boxes as paragraphs in place."""
    for blip in el.iter(A + "blip"):
        ctx.pictures.add(ctx.rels, blip.get(R + "embed"), "body")
    for data in el.iter(V + "imagedata"):
        ctx.pictures.add(ctx.rels, data.get(R + "id"), "body")
    for box in el.iter(W_TXBX):
        if not _inside_textbox(box, el):
            extra.extend(read_blocks(box, ctx))


def _inside_textbox(box, stop) -> bool:
    parent = box.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == W_TXBX:
            return True  # read with the outer box
        parent = parent.getparent()
    return False
