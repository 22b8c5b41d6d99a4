"""The embedded TrueType font of the route sheets: DejaVu Sans, full Vietnamese coverage.

The font files ship with the package (``static/fonts``, free DejaVu licence),
so a sheet never depends on the fonts of the machine that prints it and every
diacritic (ắ, ề, ổ, ự ...) is embedded in the PDF.
"""

from __future__ import annotations

from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

#: Names under which the fonts are registered with reportlab.
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


def register_fonts() -> tuple[str, str]:
    """Register the regular and bold fonts (once) and return their names.

    ``<b>`` in reportlab paragraphs maps to the bold file.
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FILES.items():
        if name in registered:
            continue
        ref = resources.files("planner.output").joinpath("static", "fonts", filename)
        with resources.as_file(ref) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
