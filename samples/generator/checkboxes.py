"""The ways units mark a choice in Word: typed ticks, checkbox content controls, legacy form fields."""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.text.paragraph import Paragraph

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"

# typed styles: label + whether ticked -> the text a person types
TYPED = {
    "paren_full": lambda label, on: f"{label}（√）" if on else f"{label}（  ）",
    "paren_check": lambda label, on: f"{label} (✓)" if on else f"{label} ( )",
    "box": lambda label, on: ("☑" if on else "□") + label,
    "square": lambda label, on: ("■" if on else "□") + label,
    "bare": lambda label, on: ("√" if on else "") + label,
}
CONTROLS = ("sdt", "formfield")


class ChoiceWriter:
    """Writes choices into paragraphs in one style; numbers the controls so ids stay unique and stable."""

    def __init__(self, style: str, override_first_unticked: bool = False) -> None:
        if style not in TYPED and style not in CONTROLS:
            raise ValueError(f"unknown tick style {style!r}")
        self.style = style
        self._count = 0
        self._ticked = 0
        self._override_pending = override_first_unticked

    def add(self, paragraph: Paragraph, label: str, on: bool) -> None:
        if self.style in TYPED:
            paragraph.add_run(TYPED[self.style](label, on))
            return
        self._count += 1
        paragraph.add_run(label + " ")
        if self.style == "sdt":
            paragraph._p.append(self._sdt(on))
        else:
            override = self._override_pending and not on
            if override:
                self._override_pending = False
            for run in self._formfield(on, override):
                paragraph._p.append(run)

    def _sdt(self, on: bool):
        """A Word 2010 checkbox content control showing ☒ or ☐."""
        glyph = "☒" if on else "☐"
        return parse_xml(
            f'<w:sdt xmlns:w="{_W}" xmlns:w14="{_W14}">'
            f'<w:sdtPr><w:id w:val="{-1000 - self._count}"/>'
            f'<w14:checkbox><w14:checked w14:val="{1 if on else 0}"/>'
            '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
            '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
            '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" '
            f'w:hAnsi="MS Gothic" w:hint="eastAsia"/></w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>'
        )

    def _formfield(self, on: bool, override: bool):
        """A legacy FORMCHECKBOX field. Ticked boxes alternate between default=1 and default=0 + <w:checked/>;
        `override` writes default=1 with <w:checked w:val="0"/> (the current state wins: unticked)."""
        self._ticked += on
        if override:
            state = '<w:default w:val="1"/><w:checked w:val="0"/>'
        elif on and self._ticked % 2:
            state = '<w:default w:val="1"/>'
        elif on:
            state = '<w:default w:val="0"/><w:checked/>'
        else:
            state = '<w:default w:val="0"/>'
        begin = (
            f'<w:r xmlns:w="{_W}"><w:fldChar w:fldCharType="begin"><w:ffData>'
            f'<w:name w:val="Check{self._count}"/><w:enabled/><w:calcOnExit w:val="0"/>'
            f"<w:checkBox><w:sizeAuto/>{state}</w:checkBox></w:ffData></w:fldChar></w:r>"
        )
        instr = f'<w:r xmlns:w="{_W}"><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        end = f'<w:r xmlns:w="{_W}"><w:fldChar w:fldCharType="end"/></w:r>'
        return [parse_xml(begin), parse_xml(instr), parse_xml(end)]
