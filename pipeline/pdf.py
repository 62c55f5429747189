"""PDF materials: count the pages and render page 1 with PDFium.

PDFium is driven without its form environment, so a PDF's JavaScript and open actions
never run; what the pipeline and the reviewer see is the rendered page image, which
carries no active content. PDFium is not thread-safe: one render at a time.
"""
from __future__ import annotations

import threading

from PIL import Image

RENDER_DPI = 200  # a printed form's small print stays legible to OCR
MAX_SIDE = 3000  # a page declared 5 m wide is rendered no larger than this
_LOCK = threading.Lock()


class PdfUnreadable(ValueError):
    """PDFium cannot open the document, or it has no page to render."""


def page_count(data: bytes) -> int:
    with _LOCK:
        document = _open(data)
        try:
            return len(document)
        finally:
            document.close()


def render_first_page(data: bytes, *, max_side: int = MAX_SIDE) -> Image.Image:
    """Page 1 as an RGB image of at most `max_side` pixels a side, or PdfUnreadable."""
    with _LOCK:
        document = _open(data)
        try:
            if len(document) == 0:
                raise PdfUnreadable("the PDF has no pages")
            return _render(document[0], max_side)
        finally:
            document.close()


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PdfUnreadable(f"the PDF cannot be read: {exc}") from exc


def _render(page, max_side: int) -> Image.Image:
    import pypdfium2 as pdfium

    width, height = page.get_size()  # points, 1/72 inch
    if width <= 0 or height <= 0:
        raise PdfUnreadable("page 1 of the PDF has no area")
    scale = min(RENDER_DPI / 72, (max_side - 1) / max(width, height))  # PDFium rounds up
    try:
        return page.render(scale=scale).to_pil().convert("RGB")
    except pdfium.PdfiumError as exc:
        raise PdfUnreadable(f"page 1 of the PDF cannot be rendered: {exc}") from exc
    finally:
        page.close()
