"""Engraved scores gathered into one PDF for printing: verovio's SVG pages of each score, drawn by
svglib and ReportLab (pure Python: no system library), each score from the top of a page under its
heading."""
import io
import re

MARGIN = 40.0
# verovio writes a metronome mark's note as a SMuFL character in its Leipzig font, which svglib
# cannot load (it drew a box): on paper the mark reads "M.M. = 90", Mälzel's metronome, instead
SMUFL_TEXT = re.compile(r'<tspan font-family="Leipzig" font-size="(\d+)px">[\ue000-\uf8ff]+</tspan>')


def printable(svg: str) -> str:
    """The SVG with every SMuFL character set as text replaced by words a PDF font has."""
    return SMUFL_TEXT.sub(lambda m: f'<tspan font-size="{int(m.group(1)) * 9 // 16}px">M.M.</tspan>', svg)


def scores_pdf(scores: list[tuple[str, list[str]]], *, title: str, footer: str) -> bytes:
    """``scores``: (heading, SVG pages) pairs, in order. Each score starts a page; its SVG pages
    follow one another down the page (and onto the next), scaled to the page's width at most."""
    # ReportLab and svglib: loaded by the worker that makes a bundle, never by a web process
    from reportlab.graphics import renderPDF
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    from svglib.svglib import svg2rlg

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    pdf.setCreator("Songkeeper")
    width, height = A4
    sheets = 0

    def new_sheet():
        nonlocal sheets
        if sheets:
            pdf.setFont("Helvetica", 7)
            pdf.drawString(MARGIN, MARGIN / 2, f"{footer} · {sheets}")
            pdf.showPage()
        sheets += 1
        return height - MARGIN

    top = None
    for number, (heading, pages) in enumerate(scores, start=1):
        top = new_sheet()
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(MARGIN, top, heading)
        top -= MARGIN / 2
        for svg in pages:
            drawing = svg2rlg(io.StringIO(printable(svg)))
            if drawing is None:
                raise ValueError(f"score {number} is not an SVG the PDF can draw")
            scale = min(1.0, (width - 2 * MARGIN) / drawing.width)
            if top - drawing.height * scale < MARGIN:
                top = new_sheet()
            drawing.scale(scale, scale)
            renderPDF.draw(drawing, pdf, MARGIN, top - drawing.height * scale)
            top -= drawing.height * scale
    if top is not None:
        pdf.setFont("Helvetica", 7)
        pdf.drawString(MARGIN, MARGIN / 2, f"{footer} · {sheets}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()
