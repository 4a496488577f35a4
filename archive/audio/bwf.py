"""Broadcast WAV (EBU Tech 3285) bext and RIFF INFO fields, read with wavinfo."""
from pathlib import Path

INFO_FIELDS = ("title", "artist", "comment", "copyright", "created_date", "software", "genre", "keywords",
               "source", "engineer", "technician", "subject", "product", "commissioned")


def read_broadcast_metadata(path: Path) -> dict:
    """{"bext": {...}, "info": {...}} with the fields present; {} when there are none or the chunks are unreadable."""
    try:
        from wavinfo import WavInfoReader

        reader = WavInfoReader(str(path))
    except Exception:  # metadata is a courtesy; the audio itself was already checked
        return {}
    out: dict = {}
    if reader.bext is not None:
        b = reader.bext
        bext = {"description": b.description, "originator": b.originator, "originator_reference": b.originator_ref,
                "origination_date": b.originator_date, "origination_time": b.originator_time,
                "time_reference": b.time_reference, "coding_history": (b.coding_history or "").strip()}
        out["bext"] = {k: v for k, v in bext.items() if v not in ("", None)}
    if reader.info is not None:
        info = {name: getattr(reader.info, name, None) for name in INFO_FIELDS}
        info = {k: v for k, v in info.items() if v}
        if info:
            out["info"] = info
    return out
