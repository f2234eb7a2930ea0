"""Paper PDFs: a 40-page paper rendered through the portal's pipeline (the Celery task: load the
revision, number the blocks, draw the charts as SVG, fill the template, WeasyPrint, store the
file) against WeasyPrint rendering the same HTML straight from a file, in the same run; then
the cached download (`/papers/<pk>/pdf/` over HTTP), which must not render anything.

Targets: pipeline ≤ 4 s and ≤ 1.2x the plain WeasyPrint time; cached download ≤ 50 ms.
"""

from __future__ import annotations

import http.client
import os
import tempfile
import threading
import time
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler

_TMP = tempfile.mkdtemp(prefix="bench-pdf-")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", _TMP)

from support import median, percentile, setup_django  # noqa: E402

setup_django()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer  # noqa: E402
from weasyprint import HTML  # noqa: E402

from portal.papers.demo import create_paper  # noqa: E402
from portal.papers.demo_figures import registry_figures  # noqa: E402
from portal.papers.demo_text import long_paper  # noqa: E402
from portal.papers.models import PaperPage, PaperPdf  # noqa: E402
from portal.papers.pdf import render_html, write_pdf  # noqa: E402
from portal.papers.tasks import build_paper_pdf  # noqa: E402

PAGES = 40
SLUG = "bench-forty-page-paper"
RUNS = 3


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def forty_page_paper() -> PaperPage:
    """A paper of at least PAGES printed pages: the white paper's chapters, repeated."""
    PaperPage.objects.filter(slug__startswith=SLUG).delete()
    figures = registry_figures()
    rounds = 1
    while True:
        paper = create_paper(
            long_paper(figures, rounds), slug=f"{SLUG}-{rounds}", title="基准测试白皮书（40页）"
        )
        pages = write_pdf(render_html(paper, paper.live_revision)).pages
        if pages >= PAGES:
            return paper
        paper.delete()
        rounds += 1


def pipeline_seconds(paper: PaperPage) -> float:
    PaperPdf.objects.filter(page=paper).delete()
    started = time.perf_counter()
    outcome = build_paper_pdf(paper.pk, paper.live_revision_id)
    elapsed = time.perf_counter() - started
    if outcome != "ready":
        raise SystemExit(f"the build task answered {outcome!r}")
    return elapsed


def plain_seconds(html_file: Path) -> float:
    started = time.perf_counter()
    HTML(filename=str(html_file)).write_pdf()
    return time.perf_counter() - started


def download_latencies(paper: PaperPage, count: int = 50) -> tuple[list[float], int]:
    server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    times, size = [], 0
    try:
        for number in range(count + 1):
            started = time.perf_counter()
            connection.request("GET", paper.pdf_url(), headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise SystemExit(f"download answered {response.status}: {body[:200]!r}")
            if number:  # the first request warms the connection up
                times.append((time.perf_counter() - started) * 1000)
            size = len(body)
    finally:
        server.shutdown()
    return times, size


def main() -> None:
    paper = forty_page_paper()
    html_file = Path(_TMP) / "paper.html"
    html_file.write_text(render_html(paper, paper.live_revision), encoding="utf-8")
    pipeline, plain = [], []
    for _ in range(RUNS):  # interleaved, so that both see the same machine state
        pipeline.append(pipeline_seconds(paper))
        plain.append(plain_seconds(html_file))
    pdf = PaperPdf.objects.get(page=paper)
    best_pipeline, best_plain = min(pipeline), min(plain)
    print(f"paper: {pdf.pages} pages, {len(paper.body)} blocks, PDF {pdf.file.size / 1024:.0f} KiB")
    print(
        f"  pipeline (Celery task, revision → stored PDF): best {best_pipeline:.2f} s "
        f"of {RUNS}  (target ≤ 4 s)"
    )
    print(f"  WeasyPrint from the same HTML file:           best {best_plain:.2f} s of {RUNS}")
    print(f"  ratio pipeline / WeasyPrint: {best_pipeline / best_plain:.2f}x (target ≤ 1.20x)")
    times, size = download_latencies(paper)
    print(
        f"  cached download ({size / 1024:.0f} KiB over HTTP, {len(times)} requests): "
        f"p50 {median(times):.1f} ms  p95 {percentile(times, 0.95):.1f} ms (target ≤ 50 ms)"
    )
    PaperPage.objects.filter(slug__startswith=SLUG).delete()


if __name__ == "__main__":
    main()
