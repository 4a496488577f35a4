"""A "cite this" block for a recording: APA-like text in the reader's language and BibTeX."""
import re

from django.utils.translation import gettext as _


def _people(recording) -> list[str]:
    performers = [c.person.name for c in recording.credits.all() if c.role == "performer"]
    return performers or [recording.community.name]


def apa(recording, *, url: str) -> str:
    year = recording.date[:4] if recording.date and recording.date[:4].isdigit() else _("n.d.")
    if recording.date.endswith("s"):
        year = recording.date
    names = _people(recording)
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    kind = _("Audio recording")
    return f"{who} ({year}). {recording.title} [{kind}]. {recording.community.name}. Songkeeper. {url}"


def bibtex(recording, *, url: str) -> str:
    key = "songkeeper-" + str(recording.pk).split("-")[0]
    year = recording.date[:4] if recording.date and recording.date[:4].isdigit() else ""

    def esc(text: str) -> str:
        return re.sub(r"([{}%&$#_])", r"\\\1", text)

    fields = [("title", esc(recording.title)), ("author", " and ".join(esc(n) for n in _people(recording))),
              ("year", year), ("publisher", esc(recording.community.name)), ("howpublished", f"\\url{{{url}}}"),
              ("note", "Audio recording, Songkeeper archive")]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
    return f"@misc{{{key},\n{body}\n}}"
