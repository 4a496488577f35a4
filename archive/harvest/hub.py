"""A Local Contexts Hub project as its API answers (the Hub's wiki, "API Documentation"; v1 and v2
shapes: ``tk_labels``, ``bc_labels`` and ``notice``, each label with its ``label_type``, the
community's ``name`` and ``label_text``, ``img_url``/``svg_url`` and ``translations``). Labels are
matched to the archive's label codes by their type, so the label policy applies to them as to
labels chosen by hand."""
from dataclasses import dataclass, field

# the Hub's label_type (tklabels/models.py, bclabels/models.py) to the archive's codes (archive/labels.py)
TK_TYPES = {
    "attribution": "tk_attribution", "clan": "tk_clan", "family": "tk_family", "outreach": "tk_outreach",
    "tk_multiple_community": "tk_multiple_communities", "multiple_community": "tk_multiple_communities",
    "non_verified": "tk_non_verified", "verified": "tk_verified", "non_commercial": "tk_non_commercial",
    "commercial": "tk_open_to_commercialization", "culturally_sensitive": "tk_culturally_sensitive",
    "community_voice": "tk_community_voice", "community_use_only": "tk_community_use_only",
    "seasonal": "tk_seasonal", "women_general": "tk_women_general", "men_general": "tk_men_general",
    "men_restricted": "tk_men_restricted", "women_restricted": "tk_women_restricted",
    "secret_sacred": "tk_secret_sacred", "open_to_collaboration": "tk_open_to_collaboration", "creative": "tk_creative",
}
BC_TYPES = {
    "provenance": "bc_provenance", "multiple_community": "bc_multiple_communities", "clan": "bc_clan",
    "consent_verified": "bc_consent_verified", "consent_non_verified": "bc_consent_non_verified",
    "research": "bc_research_use", "collaboration": "bc_open_to_collaboration", "outreach": "bc_outreach",
    "commercialization": "bc_commercialization", "non_commercial": "bc_non_commercial",
}


class NotAProject(ValueError):
    """The Hub's answer is not a project the archive can read."""


@dataclass
class HubLabel:
    hub_id: str
    kind: str  # TK or BC
    label_type: str
    code: str | None  # the archive's label, None for a type it does not know
    name: str
    text: str
    language_tag: str
    image_url: str
    translations: dict = field(default_factory=dict)  # {"es": {"name": …, "text": …}}


@dataclass
class HubNotice:
    notice_type: str
    name: str
    text: str
    image_url: str
    translations: dict = field(default_factory=dict)


@dataclass
class HubProjectView:
    unique_id: str
    title: str
    version: str  # v1 or v2, from the shape
    labels: list[HubLabel]
    notices: list[HubNotice]


def _translations(items, name_key: str, text_key: str) -> dict:
    found = {}
    for item in items or []:
        if isinstance(item, dict) and item.get("language_tag"):
            found[item["language_tag"]] = {"name": item.get(name_key) or "", "text": item.get(text_key) or ""}
    return found


def _label(item: dict, kind: str) -> HubLabel:
    label_type = str(item.get("label_type") or "")
    codes = TK_TYPES if kind == "TK" else BC_TYPES
    return HubLabel(hub_id=str(item.get("unique_id") or ""), kind=kind, label_type=label_type,
                    code=codes.get(label_type), name=str(item.get("name") or ""),
                    text=str(item.get("label_text") or item.get("default_text") or ""),
                    language_tag=str(item.get("language_tag") or ""),
                    image_url=str(item.get("img_url") or item.get("svg_url") or ""),
                    translations=_translations(item.get("translations") or item.get("tklabel_translation")
                                               or item.get("bclabel_translation"), "translated_name", "translated_text"))


def read_project(data) -> HubProjectView:
    if not isinstance(data, dict) or not data.get("unique_id"):
        raise NotAProject("the Hub's answer is not a project (no unique_id)")
    for key in ("tk_labels", "bc_labels", "notice"):
        if key in data and data[key] is not None and not isinstance(data[key], list):
            raise NotAProject(f"the project's {key} is not a list")
    labels = [_label(item, "TK") for item in data.get("tk_labels") or [] if isinstance(item, dict)]
    labels += [_label(item, "BC") for item in data.get("bc_labels") or [] if isinstance(item, dict)]
    notices = [HubNotice(notice_type=str(n.get("notice_type") or ""), name=str(n.get("name") or ""),
                         text=str(n.get("default_text") or ""), image_url=str(n.get("img_url") or n.get("svg_url") or ""),
                         translations=_translations(n.get("translations"), "translated_name", "translated_text"))
               for n in data.get("notice") or [] if isinstance(n, dict)]
    version = "v2" if "external_ids" in data or "contributors" in data else "v1"
    return HubProjectView(unique_id=str(data["unique_id"]), title=str(data.get("title") or ""), version=version,
                          labels=labels, notices=notices)
