"""A metered tradition's examples are written in the metre its corpus shows, not 4/4 by default:
read from scores (music21's time signatures in Essen folk songs, SymbTr's usul rows), estimated
for pieces heard from recordings, and filled to whole bars when an example is asked for in bars."""
import xml.etree.ElementTree as ET
from fractions import Fraction

import numpy as np
import pytest

from generation.ml import render
from generation.ml.corpus import music21_pieces, symbtr_pieces, transcribed_piece
from generation.ml.markov import MarkovModel
from generation.ml.metre import bar_quarters, corpus_metre, estimate, signature_valid, timed
from generation.ml.sampling import Constraints, sample
from generation.ml.tokens import Note, PitchSet, Vocabulary, encode_piece
from tests.shared_data import shared_data

SYMBTR = ("makam", "symbtr", "SymbTr_txt_all_2200.tar.gz")


def _family(signature):
    return None if signature is None else "triple" if int(signature.split("/")[0]) % 3 == 0 else "duple"


def test_symbtr_pieces_carry_their_usuls_metre():
    pieces = symbtr_pieces(shared_data(*SYMBTR), makams=["hicaz"], limit=60)
    aksak = [p for p in pieces if p.name.split("--")[2] == "aksak"]
    assert aksak and all(p.meta["metre"] == "9/8" and p.meta["usul"].startswith("Aksak") for p in aksak)
    assert all(signature_valid(p.meta["metre"]) for p in pieces)
    assert corpus_metre(aksak) == {"signature": "9/8", "share": 1.0, "source": "scores"}


def test_scores_carry_their_time_signature_and_the_corpus_takes_the_commonest():
    pieces = music21_pieces("essenFolksong/kinder0.abc", limit=40)
    signatures = {p.meta.get("metre") for p in pieces}
    assert {"2/4", "3/4"} <= signatures  # the children's songs are mostly in 2/4, some in 3/4
    found = corpus_metre(pieces)
    beats = {}
    for p in pieces:
        beats[p.meta["metre"]] = beats.get(p.meta["metre"], 0) + sum(n.duration for n in p.notes)
    assert found["signature"] == max(beats, key=beats.get) and found["source"] == "scores"


def test_the_metre_of_a_heard_piece_is_estimated_from_where_its_long_notes_fall():
    """Real melodies (Luxembourg folk songs) as a transcription would give them, notes in beats
    with no bar lines: the estimate tells duple from triple far better than always saying duple."""
    pieces = [p for p in music21_pieces("essenFolksong/lux.abc", limit=150) if p.meta.get("metre")]
    truth = [_family(p.meta["metre"]) for p in pieces]
    guessed = [_family(estimate(timed(p.notes))) for p in pieces]
    right = np.mean([a == b for a, b in zip(truth, guessed, strict=True)])
    floor = max(truth.count("duple"), truth.count("triple")) / len(truth)
    assert right >= floor + 0.1, (right, floor)
    assert estimate(timed([Note(0, 1.0)] * 4)) is None  # too short to tell


@pytest.mark.parametrize("pattern, metre", [((2.0, 1.0), "3/4"), ((1.5, 0.75, 0.75), "6/8"), ((1.0, 0.5, 0.5), "2/4")])
def test_a_transcribed_piece_with_a_pulse_gets_an_estimated_metre_and_a_free_one_none(pattern, metre):
    """Notes as the analysis gives them (onsets and lengths in seconds, a little gap after each,
    at 120 BPM): a half and a quarter is 3/4, a dotted quarter and two eighths 6/8."""
    heard_notes, t = [], 0.0
    for bar in range(16):
        for beats in pattern:
            heard_notes.append({"onset": t, "duration": beats * 0.5 * 0.9, "cents": 200.0 * (bar % 3)})
            t += beats * 0.5
    steps = PitchSet.equal(12)
    heard = transcribed_piece(heard_notes, steps, beat_seconds=0.5)
    assert heard.meta["metre"] == metre and heard.meta["metre_estimated"]
    assert corpus_metre([heard])["source"] == "recordings"
    assert "metre" not in transcribed_piece(heard_notes, steps).meta  # free rhythm has no metre


@pytest.fixture(scope="module")
def kinder_model():
    pieces = music21_pieces("essenFolksong/kinder0.abc", limit=30)
    vocab = Vocabulary.for_pieces(pieces)
    return vocab, MarkovModel(vocab, 12).fit([(*encode_piece(p, vocab), p.meta["tonic_step"]) for p in pieces])


@pytest.mark.parametrize("metre, bars", [("3/4", 4), ("6/8", 3), ("9/8", 2), ("2/4", 5)])
def test_an_example_asked_in_bars_fills_them_and_is_engraved_in_the_metre(kinder_model, metre, bars):
    vocab, markov = kinder_model
    beats = bars * bar_quarters(metre)
    notes = sample(markov.for_generation(), vocab, 12, Constraints(length_notes=round(beats / 0.75), length_beats=beats,
                                                                   start_degree=None, end_degree=None, seed=3))
    assert sum(n.duration for n in notes) == pytest.approx(beats)
    events = render.place(notes, PitchSet.equal(12), tonic_hz=261.6, tempo_bpm=90, pulse=True)
    xml = render.musicxml(events, title="t", credit="c", tempo_bpm=90, metre=metre)
    root = ET.fromstring(xml.partition(b"<score-partwise")[1] + xml.partition(b"<score-partwise")[2])
    time = root.find(".//time")
    assert f"{time.findtext('beats')}/{time.findtext('beat-type')}" == metre
    divisions = int(root.findtext(".//divisions"))
    measures = root.findall(".//measure")
    assert len(measures) == bars  # whole bars, none left half full
    for measure in measures:
        held = sum(Fraction(int(n.findtext("duration")), divisions) for n in measure.iter("note")
                   if n.find("chord") is None and n.findtext("duration"))
        assert held == Fraction(bar_quarters(metre)).limit_denominator(12)


def test_the_practice_player_counts_in_one_bar_of_the_metre():
    from generation.ml.metre import count_in

    assert count_in("3/4") == (3, 1.0) and count_in("6/8") == (2, 1.5) and count_in("9/8") == (3, 1.5)
    assert count_in("7/8") == (7, 0.5) and count_in("28/4") == (12, 1.0) and count_in(None) == (4, 1.0)
