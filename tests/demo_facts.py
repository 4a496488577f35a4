"""What the demo archive shows an anonymous visitor today, read from fixtures/demo.json, so tests
do not depend on the date (the demo's Seasonal rule opens and closes with the calendar)."""
import json
from datetime import date
from pathlib import Path

from django.utils import timezone

from archive.demo import corpus_tunes
from archive.models import LabelRule

DEMO = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "demo.json").read_text(encoding="utf-8"))


def seasonal_open(today: date | None = None) -> bool:
    today = today or timezone.localdate()
    rule = next(r for c in DEMO["communities"] for r in c.get("label_rules", []) if r["label"] == "tk_seasonal")
    return LabelRule(season_start=rule["season_start"], season_end=rule["season_end"]).in_season(today)


def public_titles(today: date | None = None) -> list[str]:
    out = []
    for r in DEMO["recordings"]:
        labels = set(r.get("labels", []))
        if r.get("status") != "published" or r.get("record_protocol") != "public" or "tk_secret_sacred" in labels:
            continue
        if "tk_seasonal" in labels and not seasonal_open(today):
            continue
        out.append(r["title"])
    for score_set in DEMO.get("score_sets", []):  # the score-only records, one per tune
        if score_set["status"] == "published" and score_set["record_protocol"] == "public":
            out += [title for _number, title, _abc in corpus_tunes(score_set["corpus"], score_set["count"])]
    return out
