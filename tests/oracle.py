"""An independent, plain-Python statement of the access rules (ARCHITECTURE.md, CONTRACT.md),
used to check the real selectors and every endpoint against it."""
from datetime import date

from archive.models import AccessRequest, LabelRule, Membership, Recording

RANK = {"public": 0, "registered": 1, "community": 2, "custom": 3, "stewards": 4}


def _staff(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser)


def _role(user, community_id):
    if user is None or not user.is_authenticated:
        return None
    m = Membership.objects.filter(user=user, community_id=community_id).first()
    return m.role if m else None


def _level_admits(user, level, custom, community_id) -> bool:
    authed = user is not None and user.is_authenticated
    if level == "public":
        return True
    if level == "registered":
        return authed
    if level == "community":
        return _role(user, community_id) is not None
    if level == "custom":
        return authed and custom is not None and custom.members.filter(pk=user.pk).exists()
    return False  # stewards: handled before


def _granted(user, rec, today) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return any(g.until is None or g.until >= today for g in
               AccessRequest.objects.filter(recording=rec, requester=user, status="granted"))


def may_see(user, rec: Recording, today: date) -> bool:
    if _staff(user):
        return True
    role = _role(user, rec.community_id)
    if role == "steward":
        return True
    if rec.status == "draft":
        return user is not None and user.is_authenticated and rec.created_by_id == user.pk
    if rec.status != "published":
        return False
    if not (_level_admits(user, rec.record_protocol, rec.record_custom_protocol, rec.community_id)
            or _granted(user, rec, today)):
        return False
    codes = set(rec.label_links.values_list("label_id", flat=True))
    rules = {r.label_id: r for r in LabelRule.objects.filter(community_id=rec.community_id)}
    if "tk_secret_sacred" in codes:
        rule = rules.get("tk_secret_sacred")
        if role is None or (rule is not None and rule.protocol_level == "stewards"):
            return False
    if codes & {"tk_men_restricted", "tk_women_restricted"} and role is None:
        return False
    if "tk_seasonal" in codes and role is None:
        rule = rules.get("tk_seasonal")
        if rule is not None and not rule.in_season(today):
            return False
    return True


def may_hear(user, rec: Recording, today: date) -> bool:
    if not may_see(user, rec, today):
        return False
    if _staff(user):
        return True
    role = _role(user, rec.community_id)
    if role == Membership.Role.STEWARD:
        return True
    if rec.status == "draft":
        return True  # only its uploader got this far
    return _level_admits(user, rec.media_protocol, rec.media_custom_protocol, rec.community_id) or _granted(user, rec, today)


# --- derived data, training, details: stated again from the policy's docstring and the label table's words ---

NO_TRAINING_LABELS = {"tk_secret_sacred", "tk_men_restricted", "tk_women_restricted"}
MEMBERS_ONLY_LABELS = {"tk_community_use_only"}


def _codes(rec) -> set:
    return set(rec.label_links.values_list("label_id", flat=True))


def may_derive(user, rec: Recording, today: date) -> bool:
    """Analysis values, tonic and tempo, notes, pitch sets: for who may hear the recording."""
    return may_hear(user, rec, today)


def may_see_model_of(user, rec: Recording, today: date) -> bool:
    """A model that learned from the recording: for who may hear it, and for a Community Use Only
    one only inside the community (staff: everything)."""
    if not may_hear(user, rec, today):
        return False
    if _staff(user):
        return True
    return not (_codes(rec) & MEMBERS_ONLY_LABELS) or _role(user, rec.community_id) is not None


def may_train_on(user, rec: Recording, today: date) -> bool:
    """Published, consented, audible to the trainer, no label forbidding training, and Community
    Use Only ones only for the community's members (staff included)."""
    if not may_hear(user, rec, today) or rec.status != "published" or rec.training_consent != "allowed":
        return False
    codes = _codes(rec)
    if codes & NO_TRAINING_LABELS:
        return False
    return not (codes & MEMBERS_ONLY_LABELS) or _role(user, rec.community_id) is not None


def may_correct_notes(user, rec: Recording, today: date) -> bool:
    """Saving a corrected transcription: members of the recording's community (any role), staff,
    and the people its stewards allowed, who may hear it."""
    allowed = user is not None and user.is_authenticated and rec.community.note_correctors.filter(pk=user.pk).exists()
    return may_hear(user, rec, today) and (_staff(user) or _role(user, rec.community_id) is not None or allowed)


def sees_details(user, rec: Recording) -> bool:
    """Who made an event, its detail, history's values and authors: staff and the community's stewards."""
    return _staff(user) or _role(user, rec.community_id) == Membership.Role.STEWARD


def harvested_as_deleted(rec: Recording, was_public: bool) -> bool:
    """OAI-PMH's deleted records: withdrawn, once public, never Secret/Sacred."""
    return rec.status == "withdrawn" and was_public and "tk_secret_sacred" not in _codes(rec)


def may_see_ingest_batch(user, batch) -> bool:
    """A bulk ingest in flight (its manifest, its files): the person who sent it, and no one else, staff neither."""
    return bool(getattr(user, "is_authenticated", False)) and batch.user_id == user.pk


def may_see_candidate(user, candidate) -> bool:
    """A harvest source and what it proposes: the community's stewards and staff; members, outsiders
    and the public never (a candidate is not yet the community's recording)."""
    return _staff(user) or _role(user, candidate.source.community_id) == Membership.Role.STEWARD


def may_see_hub_project(user, project) -> bool:
    """A community's link to its Local Contexts Hub project: its stewards and staff."""
    return _staff(user) or _role(user, project.community_id) == Membership.Role.STEWARD
