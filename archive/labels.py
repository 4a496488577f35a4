"""The Local Contexts Traditional Knowledge (TK) and Biocultural (BC) Labels.

Names follow Local Contexts; descriptions summarise each label's meaning in the
archive's words. Loaded into the Label table by a data migration.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

LABELS: list[tuple[str, str, str, str]] = [
    # (code, kind, name, description)
    ("tk_attribution", "TK", "TK Attribution",
     "The community asks that anyone using this material correctly attributes it to the named community or person."),
    ("tk_clan", "TK", "TK Clan",
     "This material is subject to conditions for use set by a clan; contact the clan before using it."),
    ("tk_family", "TK", "TK Family",
     "This material is subject to conditions for use set by a family; contact the family before using it."),
    ("tk_multiple_communities", "TK", "TK Multiple Communities",
     "Responsibility for this material is shared by several communities; uses need the agreement of each."),
    ("tk_community_voice", "TK", "TK Community Voice",
     "The community wants its own voice and account to be heard alongside this material."),
    ("tk_creative", "TK", "TK Creative",
     "This material has a creative relationship with the community: derivatives need its permission."),
    ("tk_verified", "TK", "TK Verified",
     "The community is satisfied that this material is represented appropriately and respectfully."),
    ("tk_non_verified", "TK", "TK Non-Verified",
     "The community has concerns about how this material is represented; use it with care."),
    ("tk_seasonal", "TK", "TK Seasonal",
     "This material may be heard and used only at particular times of the year."),
    ("tk_women_general", "TK", "TK Women General",
     "This material is traditionally used by women; the community asks that this is respected."),
    ("tk_men_general", "TK", "TK Men General",
     "This material is traditionally used by men; the community asks that this is respected."),
    ("tk_men_restricted", "TK", "TK Men Restricted",
     "This material is restricted to men of the community."),
    ("tk_women_restricted", "TK", "TK Women Restricted",
     "This material is restricted to women of the community."),
    ("tk_culturally_sensitive", "TK", "TK Culturally Sensitive",
     "This material has cultural sensitivities; the community asks for care and context in its use."),
    ("tk_secret_sacred", "TK", "TK Secret / Sacred",
     "This material is secret or sacred and is not to be circulated beyond the community's own protocols."),
    ("tk_open_to_commercialization", "TK", "TK Open to Commercialization",
     "The community is open to commercial use of this material under a fair agreement with it."),
    ("tk_non_commercial", "TK", "TK Non-Commercial",
     "This material, and anything derived from it, may not be used commercially."),
    ("tk_community_use_only", "TK", "TK Community Use Only",
     "This material is to be used only by members of the community."),
    ("tk_outreach", "TK", "TK Outreach",
     "The community allows this material to be used for education and outreach."),
    ("tk_open_to_collaboration", "TK", "TK Open to Collaboration",
     "The community welcomes collaboration and research on this material."),
    ("bc_provenance", "BC", "BC Provenance",
     "The community is the source of this material and should be named wherever it is used."),
    ("bc_multiple_communities", "BC", "BC Multiple Communities",
     "Several communities share rights and responsibilities for this material."),
    ("bc_clan", "BC", "BC Clan", "A clan has rights and responsibilities for this material."),
    ("bc_consent_verified", "BC", "BC Consent Verified",
     "Free, prior and informed consent was given by the community for this material."),
    ("bc_consent_non_verified", "BC", "BC Consent Non-Verified",
     "Consent of the community for this material has not been verified."),
    ("bc_research_use", "BC", "BC Research Use",
     "The community permits research use of this material under its conditions."),
    ("bc_open_to_collaboration", "BC", "BC Open to Collaboration",
     "The community welcomes collaboration on research with this material."),
    ("bc_outreach", "BC", "BC Outreach",
     "The community allows this material to be used for education and outreach."),
    ("bc_commercialization", "BC", "BC Open to Commercialization",
     "The community is open to commercial use of this material under a fair agreement with it."),
    ("bc_non_commercial", "BC", "BC Non-Commercial",
     "This material, and anything derived from it, may not be used commercially."),
]

# The labels in Spanish: titles as Local Contexts gives them in Spanish ("CT" for Conocimiento
# Tradicional, e.g. "CT Atribución"), descriptions in the archive's words. A community's own wording
# (LabelRule.translations) comes first wherever it gave one; other languages go here the same way.
TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {"es": {
    "tk_attribution": ("CT Atribución",
        "La comunidad pide que quien use este material lo atribuya correctamente a la comunidad o persona nombrada."),
    "tk_clan": ("CT Clan", "Este material está sujeto a condiciones de uso fijadas por un clan; consulte al clan antes de usarlo."),
    "tk_family": ("CT Familia",
        "Este material está sujeto a condiciones de uso fijadas por una familia; consulte a la familia antes de usarlo."),
    "tk_multiple_communities": ("CT Comunidades Múltiples",
        "Varias comunidades comparten la responsabilidad sobre este material; cada uso necesita el acuerdo de cada una."),
    "tk_community_voice": ("CT Voz Comunitaria", "La comunidad quiere que su propia voz y su versión se escuchen junto a este material."),
    "tk_creative": ("CT Creativa", "Este material tiene una relación creativa con la comunidad: las obras derivadas necesitan su permiso."),
    "tk_verified": ("CT Verificada", "La comunidad considera que este material está representado de forma adecuada y respetuosa."),
    "tk_non_verified": ("CT No Verificada", "La comunidad tiene reservas sobre cómo se representa este material; úselo con cuidado."),
    "tk_seasonal": ("CT Estacional", "Este material solo puede escucharse y usarse en determinadas épocas del año."),
    "tk_women_general": ("CT Mujeres General", "Este material lo usan tradicionalmente las mujeres; la comunidad pide que se respete."),
    "tk_men_general": ("CT Hombres General", "Este material lo usan tradicionalmente los hombres; la comunidad pide que se respete."),
    "tk_men_restricted": ("CT Hombres Restringido", "Este material está reservado a los hombres de la comunidad."),
    "tk_women_restricted": ("CT Mujeres Restringido", "Este material está reservado a las mujeres de la comunidad."),
    "tk_culturally_sensitive": ("CT Culturalmente Sensible",
        "Este material tiene sensibilidades culturales; la comunidad pide cuidado y contexto en su uso."),
    "tk_secret_sacred": ("CT Secreto / Sagrado",
        "Este material es secreto o sagrado y no debe circular más allá de los protocolos de la propia comunidad."),
    "tk_open_to_commercialization": ("CT Abierta a la Comercialización",
        "La comunidad acepta el uso comercial de este material mediante un acuerdo justo con ella."),
    "tk_non_commercial": ("CT No Comercial", "Este material, y todo lo que derive de él, no puede usarse con fines comerciales."),
    "tk_community_use_only": ("CT Uso Exclusivo Comunitario", "Este material solo deben usarlo los miembros de la comunidad."),
    "tk_outreach": ("CT Difusión", "La comunidad permite usar este material en educación y difusión."),
    "tk_open_to_collaboration": ("CT Abierta a la Colaboración",
        "La comunidad acoge la colaboración y la investigación sobre este material."),
    "bc_provenance": ("BC Procedencia", "La comunidad es el origen de este material y debe nombrarse dondequiera que se use."),
    "bc_multiple_communities": ("BC Comunidades Múltiples",
        "Varias comunidades comparten derechos y responsabilidades sobre este material."),
    "bc_clan": ("BC Clan", "Un clan tiene derechos y responsabilidades sobre este material."),
    "bc_consent_verified": ("BC Consentimiento Verificado",
        "La comunidad dio su consentimiento libre, previo e informado para este material."),
    "bc_consent_non_verified": ("BC Consentimiento No Verificado",
        "El consentimiento de la comunidad para este material no se ha verificado."),
    "bc_research_use": ("BC Uso en Investigación", "La comunidad permite el uso de este material en investigación bajo sus condiciones."),
    "bc_open_to_collaboration": ("BC Abierta a la Colaboración",
        "La comunidad acoge la colaboración en investigaciones con este material."),
    "bc_outreach": ("BC Difusión", "La comunidad permite usar este material en educación y difusión."),
    "bc_commercialization": ("BC Abierta a la Comercialización",
        "La comunidad acepta el uso comercial de este material mediante un acuerdo justo con ella."),
    "bc_non_commercial": ("BC No Comercial", "Este material, y todo lo que derive de él, no puede usarse con fines comerciales."),
}}

# --- what the archive does with each label: one table, shown on /labels/ and enforced from here ---

@dataclass(frozen=True)
class LabelPolicy:
    """What the archive does with a label, in four respects. ``None`` in a respect: nothing beyond
    showing the label (the page says so)."""

    visibility: str | None = None  # who may see the record (archive/access.py)
    training: str | None = None  # FORBIDDEN or MEMBERS (archive/policy.py, generation's triggers)
    inherited: bool = False  # every model and study example made from it carries the label
    display: str = _("Shown as a badge wherever the recording appears.")


FORBIDDEN = "forbidden"  # no model may learn from it, whatever the consent says
MEMBERS = "members"  # only the community's members may train on it; what they train stays inside


POLICY: dict[str, LabelPolicy] = {
    "tk_secret_sacred": LabelPolicy(
        visibility=_("Never seen beyond the community, whatever the protocol or a grant says; the community may "
                     "keep it to its stewards (its rule for the label)."),
        training=FORBIDDEN, inherited=True),
    "tk_men_restricted": LabelPolicy(
        visibility=_("Never seen beyond the community; inside it, the record protocol decides: the community "
                     "names the men who may see it in a protocol of its own."),
        training=FORBIDDEN, inherited=True),
    "tk_women_restricted": LabelPolicy(
        visibility=_("Never seen beyond the community; inside it, the record protocol decides: the community "
                     "names the women who may see it in a protocol of its own."),
        training=FORBIDDEN, inherited=True),
    "tk_seasonal": LabelPolicy(
        visibility=_("Outside the community, seen only between the dates the community set (its rule for the "
                     "label).")),
    "tk_community_use_only": LabelPolicy(training=MEMBERS, inherited=True),
    "tk_non_commercial": LabelPolicy(inherited=True),
    "bc_non_commercial": LabelPolicy(inherited=True),
    "tk_attribution": LabelPolicy(
        inherited=True,
        display=_("The community's attribution text is shown wherever the recording or anything made from it "
                  "appears: pages, IIIF, exports, models and study examples.")),
}

NO_TRAINING = frozenset(code for code, rule in POLICY.items() if rule.training == FORBIDDEN)
MEMBERS_TRAINING = frozenset(code for code, rule in POLICY.items() if rule.training == MEMBERS)
INHERITED = frozenset(code for code, rule in POLICY.items() if rule.inherited)
COMMUNITY_ONLY = frozenset(("tk_secret_sacred", "tk_men_restricted", "tk_women_restricted"))
ENFORCED = frozenset(code for code, rule in POLICY.items()
                     if rule.visibility or rule.training or rule.inherited or code == "tk_attribution")


TRAINING_TEXT = {
    FORBIDDEN: _("No model may learn from it, whatever the community's training consent says."),
    MEMBERS: _("Only the community's members may train on it, and the models they train are seen only inside the "
               "community."),
    None: _("Follows the community's training consent for the recording."),
}
INHERITED_TEXT = {True: _("Every model and study example made from it carries this label."),
                  False: _("Not carried by models and study examples.")}
VISIBILITY_TEXT = _("The record and media protocols decide; this label changes nothing about who sees it.")


def policy_of(code: str) -> LabelPolicy:
    return POLICY.get(code, LabelPolicy())


def policy_rows() -> list[dict]:
    """The label table as people read it (the /labels/ page): per label, what the archive does."""
    rows = []
    for code, _kind, _name, _description in LABELS:
        rule = policy_of(code)
        rows.append({"code": code, "enforced": code in ENFORCED, "visibility": rule.visibility or VISIBILITY_TEXT,
                     "training": TRAINING_TEXT[rule.training], "inherited": INHERITED_TEXT[rule.inherited],
                     "display": rule.display})
    return rows


def labels_sync(label_model) -> int:
    """Make the Label table hold the catalogue above (used by migrations and tests). Translations
    (once the table has them) fill in languages the table lacks and never replace wording given
    there."""
    translated = any(field.name == "translations" for field in label_model._meta.get_fields())
    for code, kind, name, description in LABELS:
        label, _ = label_model.objects.update_or_create(
            code=code, defaults={"kind": kind, "name": name, "description": description, "icon": kind}
        )
        if translated:
            shipped = {language: {"name": labels[code][0], "description": labels[code][1]}
                       for language, labels in TRANSLATIONS.items() if code in labels}
            merged = {**shipped, **(label.translations or {})}
            if merged != label.translations:
                label.translations = merged
                label.save(update_fields=["translations"])
    return len(LABELS)
