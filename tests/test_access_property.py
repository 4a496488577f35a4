"""Property test: random catalogues of communities, memberships, custom protocols,
labels, label rules, grants, consent and statuses. For every user, no list, count, detail,
sub-resource or media check shows anything the access rules (tests/oracle.py) forbid,
and nothing they allow is missing; the same for every derived decision of archive/policy.py:
derived data, training sets, models, event details and OAI-PMH's records and deleted records."""
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from archive.models import Annotation, PreservationEvent, Recording
from archive.policy import (
    events_for,
    forget_viewer,
    harvestable_recordings,
    recordings_audible,
    recordings_derivable,
    recordings_trainable,
    recordings_visible,
)
from archive.search.index import search_rows_rebuild
from generation.models import ModelSource, StyleModel
from generation.selectors import style_models_visible
from tests import factories as f
from tests.oracle import (
    harvested_as_deleted,
    may_derive,
    may_hear,
    may_see,
    may_see_model_of,
    may_train_on,
    sees_details,
)

LEVELS = ["public", "registered", "community", "custom", "stewards"]
RANK = {name: i for i, name in enumerate(LEVELS)}

recording_spec = st.fixed_dictionaries({
    "community": st.integers(0, 1),
    "status": st.sampled_from(["draft", "published", "published", "withdrawn"]),
    "record": st.sampled_from(LEVELS),
    "media_bump": st.integers(0, 4),
    "labels": st.sets(st.sampled_from(["tk_secret_sacred", "tk_seasonal", "tk_attribution", "tk_men_restricted",
                                       "tk_community_use_only"]), max_size=2),
    "consent": st.booleans(),
    "was_public": st.booleans(),
    "creator": st.integers(0, 3),
    "grant": st.sampled_from([None, "open", "future", "expired"]),
    "grantee": st.integers(0, 3),
})
catalogue_spec = st.fixed_dictionaries({
    # for each of 4 users and 2 communities: 0 none, 1 member, 2 steward
    "roles": st.lists(st.lists(st.integers(0, 2), min_size=2, max_size=2), min_size=4, max_size=4),
    "protocol_members": st.lists(st.sets(st.integers(0, 3)), min_size=2, max_size=2),
    "secret_stewards_only": st.lists(st.booleans(), min_size=2, max_size=2),
    "season_open": st.lists(st.sampled_from([None, True, False]), min_size=2, max_size=2),
    "recordings": st.lists(recording_spec, min_size=1, max_size=7),
})


def build(spec, users):
    from archive.models import Membership

    today = timezone.localdate()
    communities = [f.make_community(), f.make_community()]
    for u, roles in enumerate(spec["roles"]):
        for c, role in enumerate(roles):
            if role:
                Membership.objects.create(community=communities[c], user=users[u],
                                          role="steward" if role == 2 else "member")
    protocols = [f.make_protocol(c, members=[users[i] for i in members])
                 for c, members in zip(communities, spec["protocol_members"], strict=True)]
    for c, community in enumerate(communities):
        if spec["secret_stewards_only"][c]:
            f.bind_label(community, "tk_secret_sacred", protocol_level="stewards")
        open_now = spec["season_open"][c]
        if open_now is not None:
            delta = (-5, 5) if open_now else (30, 60)
            f.bind_label(community, "tk_seasonal",
                         season_start=(today + timedelta(days=delta[0])).strftime("%m-%d"),
                         season_end=(today + timedelta(days=delta[1])).strftime("%m-%d"))
    tradition = f.make_tradition(*communities)
    recs = []
    for r in spec["recordings"]:
        c = r["community"]
        media = LEVELS[min(4, RANK[r["record"]] + r["media_bump"])]
        if r["record"] == "custom" and media == "custom":
            pass
        elif media == "custom" and r["record"] != "custom":
            media = "stewards"
        was_public = r["was_public"] and r["status"] == "withdrawn"
        rec = f.make_recording(communities[c], tradition, status="published" if was_public else r["status"],
                               record_protocol="public" if was_public else r["record"],
                               media_protocol=media, custom=protocols[c], labels=sorted(r["labels"]),
                               created_by=users[r["creator"]],
                               training_consent="allowed" if r["consent"] else "not_allowed")
        search_rows_rebuild([rec.pk])  # its search row, before the raw update below: the triggers' copy follows it
        if was_public:  # published to everyone once, then restricted and withdrawn
            Recording.objects.filter(pk=rec.pk).update(status="withdrawn", record_protocol=r["record"])
            rec.refresh_from_db()
        rec.was_public = was_public or (r["status"] == "published" and r["record"] == "public")
        if r["grant"]:
            until = {"open": None, "future": today + timedelta(days=2), "expired": today - timedelta(days=1)}[r["grant"]]
            f.grant(rec, users[r["grantee"]], until=until)
        Annotation.objects.create(recording=rec, start=0, end=1, body="x")
        PreservationEvent.objects.create(recording=rec, type="publication", agent=users[0], agent_name="someone",
                                         detail="published")
        recs.append(rec)
    for user in users:
        forget_viewer(user)
    return recs, today


@pytest.mark.django_db
@settings(max_examples=45, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(spec=catalogue_spec)
def test_no_endpoint_shows_what_the_rules_forbid(spec):
    with transaction.atomic():
        f.ensure_labels()
        users = [f.make_user() for _ in range(4)]
        recs, today = build(spec, users)
        models = {}
        for rec in recs:  # a model that learned from each recording alone
            models[rec.pk] = StyleModel.objects.create(tradition=rec.tradition, manifest={})
            ModelSource.objects.create(model=models[rec.pk], recording=rec, recording_uuid=rec.pk,
                                       community_id=rec.community_id)
        for user in [None, *users]:
            expected = {str(r.pk) for r in recs if may_see(user, r, today)}
            audible = {str(r.pk) for r in recs if may_hear(user, r, today)}
            assert {str(pk) for pk in recordings_visible(user=user).values_list("pk", flat=True)} == expected
            assert {str(pk) for pk in recordings_audible(user=user).values_list("pk", flat=True)} == audible
            api = APIClient()
            if user is not None:
                api.force_authenticate(user)
            listed = api.get("/api/recordings/", {"page_size": 200}).json()
            assert {r["id"] for r in listed["results"]} == expected
            assert listed["count"] == len(expected)
            found = api.get("/api/search/", {"limit": 200}).json()  # the engine: the rule on the search rows
            assert {h["recording"]["id"] for h in found["results"]} == expected and found["count"] == len(expected)
            for rec in recs:
                for sub in ("", "annotations/", "history/"):
                    code = api.get(f"/api/recordings/{rec.pk}/{sub}").status_code
                    assert code == (200 if str(rec.pk) in expected else 404)
            tradition = api.get(f"/api/traditions/{recs[0].tradition_id}/").json()
            assert tradition["n_recordings"] == len(expected)
            derivable = {str(r.pk) for r in recs if may_derive(user, r, today)}
            assert {str(pk) for pk in recordings_derivable(user=user).values_list("pk", flat=True)} == derivable
            trainable = {str(r.pk) for r in recs if may_train_on(user, r, today)}
            assert {str(pk) for pk in recordings_trainable(user=user).values_list("pk", flat=True)} == trainable
            seen_models = {str(pk) for pk in style_models_visible(user=user).values_list("pk", flat=True)}
            assert seen_models == {str(models[r.pk].pk) for r in recs if may_see_model_of(user, r, today)}
            for rec in recs:  # the policy's answer here; the endpoint itself in test_trust.py
                if str(rec.pk) in expected:
                    assert all(bool(e.agent_name) == sees_details(user, rec) for e in events_for(user=user, recording=rec))
        harvested = set(harvestable_recordings().values_list("pk", flat=True))
        assert harvested == {r.pk for r in recs if may_see(None, r, today) or harvested_as_deleted(r, r.was_public)}
        transaction.set_rollback(True)
    assert Recording.objects.count() == 0
