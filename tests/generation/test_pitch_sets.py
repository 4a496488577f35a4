"""The tradition's pitch set and default ends, learned from the corpus (generation/ml/pitch_sets.py,
sampling.tradition_ends): variants of a degree become one degree, a recording whose tonic was
read on another degree is turned to agree with the rest, and examples end on the tonic only
where the tradition's pieces do."""
import pytest

from generation.ml.pitch_sets import corpus_shifts, shifted, tradition_pitch_set
from generation.ml.sampling import tradition_ends
from generation.ml.tokens import Note, Piece

HICAZ = [(0.0, 0.3), (113.0, 0.12), (385.0, 0.12), (498.0, 0.2), (702.0, 0.14), (792.0, 0.06), (996.0, 0.06)]


def source(peaks, turn=0.0):
    return {"pitch_set": [{"cents": (c - turn) % 1200.0, "weight": w} for c, w in peaks]}


def test_variants_of_a_degree_become_the_commoner_and_distinct_degrees_stay():
    sung_low = source([(c if c != 113.0 else 136.0, w) for c, w in HICAZ])  # one singer's higher second
    learned = tradition_pitch_set([source(HICAZ), source(HICAZ), sung_low]).cents
    assert len(learned) == len(HICAZ)
    assert all(abs(a - b) <= 3 for a, b in zip(learned, [c for c, _ in HICAZ], strict=True)), learned


def test_a_rare_degree_of_the_corpus_is_kept():
    rare = source(HICAZ + [(1088.0, 0.02)])
    assert any(abs(c - 1088) < 3 for c in tradition_pitch_set([source(HICAZ), rare]).cents)


def test_a_recording_whose_tonic_was_read_on_the_fifth_is_turned_to_agree():
    sources = [source(HICAZ), source(HICAZ), source(HICAZ), source(HICAZ, turn=702.0)]
    shifts = corpus_shifts(sources)
    assert shifts[:3] == [0.0, 0.0, 0.0] and shifts[3] == pytest.approx(498.0, abs=2)
    notes = [{"onset": 0.0, "duration": 1.0, "cents": c - 702.0} for c in (702.0, 498.0, 385.0, 113.0, 0.0)]
    turned, moved = shifted(sources[3], notes, shifts[3])
    assert sorted(round(p["cents"]) for p in turned["pitch_set"]) == [round(c) for c, _ in HICAZ]
    assert [round(n["cents"]) % 1200 for n in moved] == [702, 498, 385, 113, 0]
    assert len(tradition_pitch_set([*sources[:3], turned]).cents) == len(HICAZ)


def test_too_few_recordings_are_never_turned():
    assert corpus_shifts([source(HICAZ), source(HICAZ, turn=702.0)]) == [0.0, 0.0]


def piece(steps, tonic=0):
    return Piece([Note(s, 1.0) for s in steps], meta={"tonic_step": tonic, "degrees": 7})


def test_examples_end_on_the_tonic_only_where_the_tradition_does():
    ends = tradition_ends([piece([4, 3, 1, 0]), piece([2, 1, 7]), piece([4, 2, 3])])
    assert ends == {"start_degree": None, "end_degree": 0, "ends_on_tonic": pytest.approx(0.667, abs=1e-3)}
    assert tradition_ends([piece([4, 3, 1]), piece([2, 1, 5]), piece([4, 2, 0])])["end_degree"] is None
