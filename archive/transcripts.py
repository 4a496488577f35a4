"""Time-aligned text from the tools ethnomusicologists use: WebVTT and SRT (webvtt-py), ELAN
.eaf and Praat TextGrid (pympi-ling) in, the format found from the content, not the name;
WebVTT and ELAN out. ELAN tiers and TextGrid tiers become annotation layers."""
import io
import re
import tempfile
from pathlib import Path

import webvtt

SRT_CUE = re.compile(r"^\d+\s*\n\d{2}:\d{2}:\d{2}[,.]\d{3}\s*-->", re.MULTILINE)


class TranscriptError(ValueError):
    """The file is not a transcript this archive can read; the message says why."""


def _ms(timestamp) -> float:
    value = timestamp.in_milliseconds
    return (value() if callable(value) else value) / 1000.0


Cue = tuple[float, float, str]


def read_layers(data: bytes) -> tuple[str, dict[str, list[Cue]]]:
    """(format, {tier name: cues}): ELAN and TextGrid keep their tiers; WebVTT and SRT are one
    layer named "" (the caller names it)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and b"ANNOTATION_DOCUMENT" in head:
        return "eaf", _read_eaf(data)
    if b"ooTextFile" in head[:200] or (len(head) > 1 and head[0] == 0xFE and b"o\x00o\x00T" in head[:200]):
        return "textgrid", _read_textgrid(data)
    kind, cues = read_cues(data)
    return kind, {"": cues}


def _through_file(data: bytes, suffix: str, reader):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"transcript{suffix}"
        path.write_bytes(data)
        return reader(str(path))


def _read_eaf(data: bytes) -> dict[str, list[Cue]]:
    from pympi.Elan import Eaf

    try:
        eaf = _through_file(data, ".eaf", Eaf)
    except Exception as exc:  # pympi raises what ElementTree and its own checks raise
        raise TranscriptError(f"the ELAN file could not be read: {str(exc)[:200]}") from None
    layers = {}
    for tier in eaf.get_tier_names():
        rows = eaf.get_annotation_data_for_tier(tier)
        if not rows and eaf.tiers[tier][1]:  # a reference tier: its annotations take their parent's times
            rows = [(start, end, value) for start, end, value, *_ in eaf.get_ref_annotation_data_for_tier(tier)]
        cues = sorted((start / 1000.0, end / 1000.0, str(value).strip()) for start, end, value, *_ in rows
                      if str(value).strip())
        if cues:
            layers[tier] = cues
    if not layers:
        raise TranscriptError("the ELAN file holds no annotations")
    return layers


def _read_textgrid(data: bytes) -> dict[str, list[Cue]]:
    from pympi.Praat import TextGrid

    codec = "utf-16" if data[:2] in (b"\xfe\xff", b"\xff\xfe") else "utf-8"
    try:
        grid = _through_file(data, ".TextGrid", lambda path: TextGrid(path, codec=codec))
    except Exception as exc:
        raise TranscriptError(f"the TextGrid could not be read: {str(exc)[:200]}") from None
    layers = {}
    for tier in grid.get_tiers():
        if tier.tier_type == "IntervalTier":
            cues = [(float(a), float(b), str(text).strip()) for a, b, text in tier.get_intervals()]
        else:  # a point tier: each point is a moment
            cues = [(float(t), float(t), str(text).strip()) for t, text in tier.get_intervals()]
        cues = [c for c in cues if c[2]]
        if cues:
            layers[tier.name] = cues
    if not layers:
        raise TranscriptError("the TextGrid holds no labelled intervals or points")
    return layers


def write_eaf(layers: dict[str, list[Cue]], *, media_url: str = "") -> bytes:
    """ELAN annotation document with one tier per layer (times in milliseconds)."""
    from pympi.Elan import Eaf

    eaf = Eaf(author="Songkeeper")
    eaf.remove_tier("default")
    if media_url:
        eaf.add_linked_file(media_url, mimetype="audio/x-wav")
    for name, cues in layers.items():
        tier = name or "annotations"
        eaf.add_tier(tier)
        for start, end, text in cues:
            eaf.add_annotation(tier, int(round(start * 1000)), max(int(round(end * 1000)), int(round(start * 1000)) + 1), text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.eaf"
        eaf.to_file(str(path))
        return path.read_bytes()


def read_cues(data: bytes) -> tuple[str, list[Cue]]:
    """("vtt" or "srt", [(start, end, text)]) from the file's content."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TranscriptError("the transcript must be UTF-8 text") from None
    if text.lstrip().startswith("WEBVTT"):
        kind = "vtt"
    elif SRT_CUE.search(text.replace("\r\n", "\n")):
        kind = "srt"
    else:
        raise TranscriptError("not a transcript: send WebVTT, SRT, ELAN (.eaf) or Praat TextGrid")
    try:
        captions = webvtt.from_buffer(io.StringIO(text.replace("\r\n", "\n")), format=kind).captions
    except Exception as exc:  # webvtt raises its own MalformedFileError and friends
        raise TranscriptError(f"the {kind.upper()} file could not be read: {exc}") from None
    cues = [(_ms(c.start_time), _ms(c.end_time), c.text.strip()) for c in captions if c.text.strip()]
    if not cues:
        raise TranscriptError("the file holds no cues")
    return kind, cues


def write_vtt(cues: list[tuple[float, float, str]]) -> str:
    out = webvtt.WebVTT()
    for start, end, text in cues:
        out.captions.append(webvtt.Caption(_stamp(start), _stamp(end), text))
    return out.content


def _stamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
