"""Reading uploaded bytes safely: type by content, pixel limit before decoding.

`probe` decides what a file is from its bytes (never its name), refuses anything
that is not a whole JPEG, PNG or PDF, and checks the pixel count from the header
before any pixel is decoded; the worker decodes every pixel (`check_decodes`), where
a damaged image becomes a finding.
`working_image` applies the EXIF orientation and drops all metadata (a PDF gives its
rendered first page); the original bytes stay untouched as evidence.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
import simplejpeg
from PIL import Image, ImageOps

from pipeline.pdf import PdfUnreadable, page_count, render_first_page

# Kinds that may arrive as a (possibly multi-page) PDF: letters and certificates.
PDF_KINDS = frozenset({
    "authorization_letter", "domain_certificate", "domain_owner_proof",
    "site_construction_plan", "pre_approval", "commitment_letter", "verification_form", "other",
})


class UnsupportedFile(ValueError):
    """The bytes are not an acceptable file; `code` is the contract error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FileInfo:
    mime: str
    width: int | None
    height: int | None
    pages: int = 1


def sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def probe(data: bytes, *, max_pixels: int) -> FileInfo:
    if not data:
        raise UnsupportedFile("empty_file", "the file is empty")
    mime = sniff(data)
    if mime is None:
        raise UnsupportedFile("unsupported_type", "only JPEG, PNG and PDF files are accepted")
    if mime == "application/pdf":
        return _probe_pdf(data)
    return _probe_image(data, mime, max_pixels)


def _probe_image(data: bytes, mime: str, max_pixels: int) -> FileInfo:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise UnsupportedFile("too_many_pixels",
                                      f"{width}x{height} exceeds {max_pixels} pixels")
            if (image.format or "").upper() not in ("JPEG", "PNG"):
                raise UnsupportedFile("unsupported_type", "not a JPEG or PNG image")
            _check_complete(image, data)
    except UnsupportedFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnsupportedFile("too_many_pixels", str(exc)) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnsupportedFile("corrupt_image", f"the image cannot be decoded: {exc}") from exc
    if width < 16 or height < 16:
        raise UnsupportedFile("corrupt_image", f"{width}x{height} is too small to be a photo")
    return FileInfo(mime, width, height)


def _check_complete(image: Image.Image, data: bytes) -> None:
    """Refuse a truncated file without decoding every pixel (intake must stay fast: a
    full decode here cut the intake benchmark from 30 to 10 applications a second);
    `check_decodes` finds the rest in the worker."""
    if image.format == "PNG":
        image.verify()  # walks the chunks and checks their CRCs up to IEND
    elif b"\xff\xd9" not in data[-65536:]:  # a JPEG ends with its EOI marker
        raise UnsupportedFile("corrupt_image", "the JPEG is truncated (no end-of-image marker)")


def check_decodes(data: bytes) -> None:
    """Raise UnsupportedFile if a JPEG's data is damaged. Pillow decodes a truncated JPEG
    with an end marker appended without a word (libjpeg only warns), so it is read by
    libjpeg-turbo strictly, at 1/8 scale: every coefficient is read, little is computed.
    (Pillow itself refuses a PNG whose pixel data is cut short.)"""
    if sniff(data) != "image/jpeg":
        return
    try:
        simplejpeg.decode_jpeg(data, colorspace="GRAY", strict=True, min_factor=8,
                               min_height=1, min_width=1)
    except ValueError as exc:
        raise UnsupportedFile("corrupt_image", f"the JPEG is damaged: {exc}") from exc


def _probe_pdf(data: bytes) -> FileInfo:
    if b"%%EOF" not in data[-2048:]:
        raise UnsupportedFile("corrupt_pdf", "the PDF is truncated (no %%EOF trailer)")
    try:
        pages = page_count(data)
    except PdfUnreadable as exc:
        raise UnsupportedFile("corrupt_pdf", str(exc)) from exc
    if pages == 0:
        raise UnsupportedFile("corrupt_pdf", "the PDF has no pages")
    return FileInfo("application/pdf", None, None, pages)


def working_image(data: bytes) -> np.ndarray:
    """The upright image as BGR uint8, EXIF orientation applied, metadata gone."""
    image = _upright_rgb(data)
    return np.ascontiguousarray(np.asarray(image)[:, :, ::-1])


def working_jpeg(data: bytes, *, max_side: int | None = None, quality: int = 88,
                 cover: list | None = None) -> bytes:
    """A metadata-free JPEG of the upright image, for showing to a reviewer; `cover`:
    polygons (x, y points in the upright image's pixels) painted over, e.g. an ID number."""
    image = _upright_rgb(data)
    if cover:
        _paint_over(image, cover)
    if max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _paint_over(image: Image.Image, polygons: list) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for polygon in polygons:
        xs, ys = [float(p[0]) for p in polygon], [float(p[1]) for p in polygon]
        height = max(ys) - min(ys)  # OCR boxes can miss a digit at either end: pad wide
        across, up = max(8.0, height * 0.8), max(4.0, height * 0.25)
        draw.rectangle((min(xs) - across, min(ys) - up, max(xs) + across, max(ys) + up),
                       fill=(90, 90, 90))


def _upright_rgb(data: bytes) -> Image.Image:
    """8-bit RGB, turned as its EXIF says. A 16-bit grey PNG (a scanner's) is scaled to 8
    bits first: Pillow's own conversion clips it, and the page came out white. A PDF
    gives its first page as rendered by PDFium (PdfUnreadable if it cannot)."""
    if sniff(data) == "application/pdf":
        return render_first_page(data)
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    if image.mode in ("I", "I;16", "I;16B", "I;16L"):
        wide = np.asarray(image, dtype=np.uint32)
        image = Image.fromarray((np.minimum(wide, 65535) >> 8).astype(np.uint8), "L")
    return image.convert("RGB")
