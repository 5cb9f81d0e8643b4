"""Render the data dictionary (README section) from schemas/tables.yaml, so the two never drift.

python -m schemas.dictionary          # prints the Markdown
"""

from __future__ import annotations

from schemas.form_schema import load_tables


def render() -> str:
    parts: list[str] = []
    for name, spec in load_tables().items():
        parts.append(f"#### `{name}`\n\n{spec.description}\n\n| column | meaning |\n|---|---|")
        parts += [f"| `{col}` | {text} |" for col, text in spec.columns.items()]
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
