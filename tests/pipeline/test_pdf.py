"""PDF materials are inspected as their rendered first page; what cannot be read is a finding."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from pipeline.imageio import UnsupportedFile, probe, working_image, working_jpeg
from pipeline.inspect import Toolkit, analyze_material
from pipeline.pdf import PdfUnreadable, render_first_page
from samples import contract

# 86 bytes, like the fake form: a "page" whose open action is JavaScript, no
# page tree, no cross-reference table; it has a header, a page and a trailer to show.
FAKE_PDF = (b"%PDF-1.7\n1 0 obj<</Type /Page/AA<</O<</S/JavaScript/JS(app.alert(1))>>>>>>endobj"
            b"\n%%EOF")


def scanned_pdf(pages: int = 2) -> bytes:
    page = Image.open(io.BytesIO(contract.jpeg(7, (850, 1100)))).convert("RGB")
    out = io.BytesIO()
    page.save(out, "PDF", resolution=100, save_all=True, append_images=[page] * (pages - 1))
    return out.getvalue()


def test_a_pdf_is_probed_by_pdfium_with_its_page_count():
    info = probe(scanned_pdf(3), max_pixels=40_000_000)
    assert (info.mime, info.pages) == ("application/pdf", 3)


def test_the_fake_pdf_with_a_javascript_open_action_is_refused_at_probe():
    with pytest.raises(UnsupportedFile) as refused:
        probe(FAKE_PDF, max_pixels=40_000_000)
    assert refused.value.code == "corrupt_pdf"


def test_page_one_is_rendered_at_200_dpi_and_read_as_a_working_image():
    image = working_image(scanned_pdf())
    assert image.dtype == np.uint8 and image.shape[2] == 3
    assert abs(image.shape[1] - 1700) <= 2 and abs(image.shape[0] - 2200) <= 2  # 8.5x11 in
    shown = Image.open(io.BytesIO(working_jpeg(scanned_pdf(), max_side=1000)))
    assert shown.format == "JPEG" and max(shown.size) == 1000


def test_a_huge_page_is_rendered_no_larger_than_the_limit():
    page = Image.new("RGB", (400, 40), "white")
    out = io.BytesIO()
    page.save(out, "PDF", resolution=1)  # 400 x 40 inches
    assert 1195 <= max(render_first_page(out.getvalue(), max_side=1200).size) <= 1200


def test_an_unreadable_pdf_is_a_blocking_finding_on_its_material():
    with pytest.raises(PdfUnreadable):
        render_first_page(FAKE_PDF)
    analysis = analyze_material(FAKE_PDF, file="form.pdf", kind="verification_form",
                                tools=Toolkit())
    [finding] = analysis.findings
    assert (finding.code, str(finding.severity), finding.material) == (
        "MATERIAL_UNREADABLE", "block", "form.pdf")
    assert "PdfUnreadable" in finding.evidence["error"]


def truncated_jpeg_with_end_marker() -> bytes:
    data = contract.jpeg(2, (800, 600))
    return data[:len(data) // 2] + b"\xff\xd9"


def _png_cut_after_its_first_data_chunk() -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (300, 300, 3), np.uint8)).save(
        out, "PNG")
    data = out.getvalue()
    first_idat = data.index(b"IDAT") - 4
    length = int.from_bytes(data[first_idat:first_idat + 4], "big")
    return data[:first_idat + 12 + length] + data[-12:]  # first IDAT whole, then IEND


@pytest.mark.parametrize("make, name", [
    (truncated_jpeg_with_end_marker, "license.jpg"),
    (_png_cut_after_its_first_data_chunk, "license.png"),
], ids=["jpeg with an end marker appended", "png cut at a chunk boundary"])
def test_a_damaged_image_that_looks_whole_is_its_own_blocking_finding(make, name):
    """Intake only reads headers and trailers (a full decode there cut the intake
    benchmark from 30 to 10 applications a second); the worker decodes everything."""
    data = make()
    assert probe(data, max_pixels=40_000_000).mime.startswith("image/")  # intake takes it
    analysis = analyze_material(data, file=name, kind="business_license", tools=Toolkit())
    assert [(f.code, str(f.severity)) for f in analysis.findings] == [
        ("MATERIAL_UNREADABLE", "block")]
    assert "decode" in analysis.errors and analysis.phash is None
