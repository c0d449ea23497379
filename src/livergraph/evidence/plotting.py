"""Deterministic matplotlib output shared by the forest plot and the gap map: a fixed SVG hash
salt, no creation dates, text as paths, English or Chinese labels with a CJK font when one is
installed (and English labels, said so, when none is)."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager

#: CJK fonts tried in order (Debian's fonts-noto-cjk installs the first ones)
CJK_FONTS = ("Noto Sans CJK TC", "Noto Sans CJK SC", "Noto Serif CJK TC", "Noto Serif CJK SC",
             "Source Han Sans TC", "WenQuanYi Zen Hei")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first installed CJK font family, or None."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    return None


def effective_lang(lang: str) -> str:
    """``zh`` when a CJK font can draw it, else ``en`` (Chinese without a font draws boxes)."""
    return "zh" if lang.startswith("zh") and cjk_font() is not None else "en"


def style(lang: str) -> dict[str, Any]:
    """rcParams for a deterministic figure in ``lang``."""
    families = ["DejaVu Sans"]
    font = cjk_font()
    if font is not None:
        families.append(font)            # matplotlib falls back glyph by glyph
    return {"svg.hashsalt": "livergraph", "svg.fonttype": "path", "font.family": families,
            "font.size": 9, "path.simplify": False, "figure.dpi": 100}


def save(fig: Any, fmt: str) -> bytes:
    """The figure as SVG or PNG bytes, without dates or other run-dependent metadata."""
    import matplotlib.pyplot as plt
    buf = io.BytesIO()
    # the SVG writer reads these when saving, not when drawing
    with plt.rc_context({"svg.hashsalt": "livergraph", "svg.fonttype": "path"}):
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        elif fmt == "png":
            fig.savefig(buf, format="png", dpi=150, metadata={"Software": None})
        else:
            raise ValueError(f"unknown image format {fmt!r}: svg or png")
    return buf.getvalue()


def write_figure(fig: Any, path: Path) -> None:
    """Write ``fig`` as SVG or PNG by the file's suffix."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("svg", "png"):
        from livergraph.errors import UnreadableInput
        raise UnreadableInput("the plot file must end in .svg or .png", file=str(path))
    from livergraph.io.atomic import write_bytes
    write_bytes(Path(path), save(fig, suffix))


def svg_text(fig: Any) -> str:
    """The figure as an SVG document without its XML prolog (to inline in HTML)."""
    text = save(fig, "svg").decode("utf-8")
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
