"""Time-aligned text from the tools ethnomusicologists use, read and written with webvtt-py:
WebVTT and SRT in (the format found from the content, not the name), WebVTT out."""
import io
import re

import webvtt

SRT_CUE = re.compile(r"^\d+\s*\n\d{2}:\d{2}:\d{2}[,.]\d{3}\s*-->", re.MULTILINE)


class TranscriptError(ValueError):
    """The file is not a transcript this archive can read; the message says why."""


def _ms(timestamp) -> float:
    value = timestamp.in_milliseconds
    return (value() if callable(value) else value) / 1000.0


def read_cues(data: bytes) -> tuple[str, list[tuple[float, float, str]]]:
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
        raise TranscriptError("not a WebVTT or SRT file")
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
