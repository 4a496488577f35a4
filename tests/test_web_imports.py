"""A web process carries no ML: with every URL's view imported, neither torch nor essentia is
loaded (the worker loads them for the jobs that need them), nor scipy (77 MB; the analysis makes
pitch sets and notes, pages only read them), nor iiif-prezi3 and pydantic (36 MB; loaded by the
first IIIF request), so each gunicorn worker starts fast and small."""
import json
import subprocess
import sys

from tests.processes import ROOT

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from config.wsgi import application
from django.urls import get_resolver
def walk(patterns):
    for p in patterns:
        if hasattr(p, "url_patterns"):
            walk(p.url_patterns)
        else:
            p.callback
walk(get_resolver().url_patterns)
print(json.dumps(sorted(m for m in ("torch", "essentia", "music21", "verovio", "scipy", "iiif_prezi3", "pydantic",
                                     "reportlab", "svglib")
                        if m in sys.modules)))
"""


def test_a_web_process_imports_no_ml_or_heavy_optional_library():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
