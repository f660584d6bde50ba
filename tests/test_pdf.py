"""PDF input: a text-layer PDF is read with its running header and footer removed; a PDF
without a text layer (a scan) is rejected with that reason. The PDFs are written by hand here."""

from __future__ import annotations

from rashomon.ingest.files import read_paths
from rashomon.model import Article, Rejected


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str] | None]) -> bytes:
    """A minimal PDF: each page shows its lines in Helvetica (None: a page with only a
    filled rectangle, as a scan without OCR has no text)."""
    objects: list[bytes] = []
    page_ids = []
    font_id = 3
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # pages, filled below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for lines in pages:
        if lines is None:
            stream = b"0.5 g 72 72 468 648 re f"
        else:
            body = " T* ".join(f"({_escape(line)}) Tj" for line in lines)
            stream = f"BT /F1 11 Tf 14 TL 72 760 Td {body} ET".encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
                       f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode())
        page_ids.append(len(objects))
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects[1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


PAGE_ONE = [
    "Valley Courier - Weekly Edition",
    "Reservoir levels fall to a ten-year low",
    "The Brandt reservoir fell to 31 per cent of capacity on Monday, the lowest level in",
    "ten years, the regional water board said in its weekly report.",
    "Board chair Lina Okafor said hosepipe restrictions would start on the first of next",
    "month unless the region had at least 40 millimetres of rain before then.",
    "Page 1 of 2",
]
PAGE_TWO = [
    "Valley Courier - Weekly Edition",
    "Farmers in the lower valley have already cut irrigation by a fifth, the board said,",
    "and two small reservoirs upstream are below a quarter of their capacity.",
    "Page 2 of 2",
]


def test_a_text_pdf_is_read_with_pages_joined_and_running_lines_removed(tmp_path):
    path = tmp_path / "reservoir.pdf"
    path.write_bytes(make_pdf([PAGE_ONE, PAGE_TWO]))
    (article,) = list(read_paths([path]))
    assert isinstance(article, Article), article
    assert article.title == "Reservoir levels fall to a ten-year low"
    assert "lowest level in ten years, the regional water board said" in article.text  # lines joined
    assert "cut irrigation by a fifth" in article.text  # page two follows page one
    assert "Weekly Edition" not in article.text and "Page 1 of 2" not in article.text
    running = [r.text for r in article.removed if r.kind == "other"]
    assert "Valley Courier - Weekly Edition" in running and "Page 2 of 2" in running


def test_a_scanned_pdf_without_text_is_rejected_with_the_reason(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([None, None]))
    (item,) = list(read_paths([path]))
    assert isinstance(item, Rejected) and "no text layer" in item.reason


def test_a_broken_pdf_is_rejected_not_crashed(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not a pdf body at all\n")
    (item,) = list(read_paths([path]))
    assert isinstance(item, Rejected) and "PDF" in item.reason
