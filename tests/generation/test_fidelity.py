"""The style-fidelity measure (generation/ml/fidelity.py) on distributions whose answer is known:
identical sets overlap fully, a quarter-tone tradition rendered in 12-TET does not, leaps and steps
do not share intervals, phrases are cut where rests and phrase ends are, and the verdict follows
the ceiling and the floor."""
import numpy as np
import pytest

from generation.ml.fidelity import (
    EXAMPLE_NOTES,
    common_intervals,
    compare,
    example_length,
    histograms,
    kl_bits,
    melody_of,
    overlap,
    rounded_to_12tet,
    verdict,
)
from generation.ml.tokens import Note, Piece, PitchSet


def line(cents, duration=1.0):
    return [(c, duration, False) for c in cents]


def test_identical_sets_overlap_fully_and_diverge_not_at_all():
    melodies = [line([0, 200, 400, 500, 700, 500, 400, 200, 0])]
    result = compare(melodies, melodies)
    assert all(result[f]["overlap"] == pytest.approx(1.0) for f in result)
    assert all(result[f]["kl_bits"] == pytest.approx(0.0, abs=1e-9) for f in result)


def test_a_quarter_tone_scale_is_not_its_12tet_rendering_but_a_12tet_scale_is():
    rast = [line([0, 200, 350, 500, 700, 900, 1050, 1200, 1050, 900, 700, 500, 350, 200, 0])]  # neutral 3rd and 7th
    major = [line([0, 200, 400, 500, 700, 900, 1100, 1200, 1100, 900, 700, 500, 400, 200, 0])]
    assert compare([rounded_to_12tet(m) for m in major], major)["pitch"]["overlap"] == pytest.approx(1.0)
    rendered = compare([rounded_to_12tet(m) for m in rast], rast)
    assert rendered["pitch"]["overlap"] < 0.85 and rendered["interval"]["overlap"] < 0.85
    # the tonic's own place on the A440 grid is kept: a tonic 30 cents sharp of it moves every pitch
    assert rounded_to_12tet(line([0, 200]), tonic_cents_from_a440=30)[1][0] == pytest.approx(170)


def test_leaps_and_steps_share_no_intervals():
    fifths = [line([0, 700, 0, 700, 0, 700])]
    steps = [line([0, 200, 0, 200, 0, 200])]
    assert compare(fifths, steps)["interval"]["overlap"] < 0.01
    assert compare(fifths, steps)["interval"]["kl_bits"] > 5


def test_phrases_are_cut_at_rests_and_phrase_ends():
    melody = [(0, 1, False), (200, 1, False), (400, 1, True), (200, 1, False), (None, 1, False), (0, 1, False)]
    phrases = histograms([melody])["phrase_length"]
    assert phrases[2] == pytest.approx(1 / 3) and phrases[0] == pytest.approx(2 / 3)  # 3 notes; 1 and 1


def test_kl_is_finite_where_one_side_never_goes_and_overlap_is_symmetric():
    p, q = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert 0 < kl_bits(p, q) < 20 and overlap(p, q) == overlap(q, p) == 0.0


def test_common_intervals_are_those_of_at_least_five_percent():
    corpus = [line([0, 500, 0, 500, 700, 0, 200, 400, 500, 700])]
    assert 500.0 in common_intervals(corpus) and -500.0 in common_intervals(corpus)


def test_a_piece_is_heard_in_cents_above_its_own_tonic():
    pitch_set = PitchSet((0.0, 150.0, 350.0, 500.0, 700.0, 850.0, 1050.0))
    piece = Piece([Note(7, 1.0), Note(9, 1.0, deviation=-10.0), Note(None, 1.0)], meta={"tonic_step": 7})
    assert melody_of(piece, pitch_set) == [(0.0, 1.0, False), (340.0, 1.0, False), (None, 1.0, False)]


def test_the_verdict_reads_the_overlaps_against_the_ceiling_and_the_floor():
    def at(value):
        return {"pitch": {"overlap": value}, "interval": {"overlap": value}}
    assert verdict(at(0.92), at(0.94), at(0.70)) == "close"
    assert verdict(at(0.86), at(0.94), at(0.70)) == "near"
    assert verdict(at(0.71), at(0.94), at(0.70)) == "far"
    assert verdict(at(0.86), at(0.94), at(1.0)) == "near"  # a 12-TET tradition: its floor is no yardstick
    assert verdict(at(0.75), at(0.94), at(1.0)) == "far"


def test_examples_are_measured_as_long_as_the_pieces_they_are_compared_with():
    """Short examples over-weigh openings and cadences: the measure makes them as long as the
    median held-out piece, within bounds."""
    assert example_length([line([0] * 120), line([0] * 90), line([0] * 300)]) == 120
    assert example_length([line([0] * 5)]) == EXAMPLE_NOTES[0]
    assert example_length([line([0] * 5000)]) == EXAMPLE_NOTES[1]
