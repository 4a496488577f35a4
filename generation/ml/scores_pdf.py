"""Engraved scores gathered into one PDF for printing: verovio's SVG of each score, drawn by
svglib and ReportLab (pure Python: no system library), one score a page, each with its heading."""
import io

MARGIN = 40.0


def scores_pdf(scores: list[tuple[str, str]], *, title: str, footer: str) -> bytes:
    """``scores``: (heading, SVG) pairs, in order. A score wider than the page is scaled to fit."""
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
    for number, (heading, svg) in enumerate(scores, start=1):
        drawing = svg2rlg(io.StringIO(svg))
        if drawing is None:
            raise ValueError(f"score {number} is not an SVG the PDF can draw")
        scale = min(1.0, (width - 2 * MARGIN) / drawing.width, (height - 3 * MARGIN) / drawing.height)
        drawing.scale(scale, scale)
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(MARGIN, height - MARGIN, heading)
        renderPDF.draw(drawing, pdf, MARGIN, height - 1.5 * MARGIN - drawing.height * scale)
        pdf.setFont("Helvetica", 7)
        pdf.drawString(MARGIN, MARGIN / 2, f"{footer} · {number}/{len(scores)}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()
