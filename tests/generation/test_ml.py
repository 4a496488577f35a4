"""The style-model core on real corpora (music21's Essen children's songs, SymbTr makam
scores): the representation, PPM, the transformer's checkpoint resume, constrained sampling
and every file format's microtonal round trip."""
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generation.ml import render
from generation.ml.corpus import music21_pieces, split_by_piece, symbtr_pieces
from generation.ml.markov import MarkovConfig, MarkovModel
from generation.ml.ppm import PPM
from generation.ml.sampling import Constraints, Unsatisfiable, sample
from generation.ml.tokens import DURATION_ALPHABET, Note, PitchSet, Vocabulary, encode_piece
from generation.ml.train import train_style_model, unigram_bits
from generation.ml.transformer import TransformerConfig, train_transformer
from tests.shared_data import shared_data

SYMBTR = ("makam", "symbtr", "SymbTr_txt_all_2200.tar.gz")
HICAZ = PitchSet((0.0, 113.2, 384.9, 498.1, 701.9, 792.5, 1018.9))


@pytest.fixture(scope="module")
def kinder():
    pieces = music21_pieces("essenFolksong/kinder0.abc")
    for piece in pieces:
        piece.notes = [n for n in piece.notes if n.step is not None]
    return pieces


def encoded(pieces, vocab):
    return [(*encode_piece(p, vocab), p.meta["tonic_step"]) for p in pieces]


@given(st.floats(-3600, 3600, allow_nan=False))
def test_a_pitch_is_its_step_plus_deviation(cents):
    step, deviation = HICAZ.locate(cents)
    assert HICAZ.cents_of(step, deviation) == pytest.approx(cents, abs=1e-6)
    nearest = min(abs(cents - HICAZ.cents_of(s)) for s in range(step - 2, step + 3))
    assert abs(deviation) == pytest.approx(nearest, abs=1e-6)


def test_ppm_learns_contexts_and_stays_a_distribution():
    ppm = PPM(3, max_order=2)
    ppm.add_sequence([0, 1, 2] * 30)
    after = ppm.predict([0, 1])
    assert after.sum() == pytest.approx(1.0)
    assert after[2] > 0.9 and after.argmax() == 2
    assert ppm.predict([2, 2]).sum() == pytest.approx(1.0)  # an unseen context falls back


def test_kinder_ppm_beats_the_baselines_on_held_out_songs(kinder):
    assert len(kinder) == 213 and sum(len(p.notes) for p in kinder) == 8393  # Pearce's "kinder" set
    train, test = split_by_piece(kinder, held_out=0.2, seed=0)
    vocab = Vocabulary.for_pieces(kinder)
    tr, te = encoded(train, vocab), encoded(test, vocab)
    model = MarkovModel(vocab, 12).fit(tr)
    order1 = MarkovModel(vocab, 12, MarkovConfig(views=("pitch",), max_order=1, short_term=False)).fit(tr)
    bits = np.mean([b for p, d, t in te for b in model.piece_bits(p, d, t)[0]])
    bits1 = np.mean([b for p, d, t in te for b in order1.piece_bits(p, d, t)[0]])
    assert bits <= unigram_bits(tr, te, vocab.size) - 1.0
    assert bits < bits1
    assert bits < 2.3  # the published IDyOM figure for this corpus is 2.106 (10-fold; see make bench)


def test_symbtr_makam_is_modelled_in_commas_not_semitones():
    pieces = symbtr_pieces(shared_data(*SYMBTR), makams=["hicaz"], limit=40)
    steps = {n.step % 53 for p in pieces for n in p.notes if n.step is not None}
    assert len(steps) > 12  # Holdrian commas: more pitch classes than 12-TET could hold
    result = train_style_model(pieces, degrees=53, checkpoint=Path("/nonexistent"), transformer=None)
    bits = result.metrics["bits_per_note"]
    assert bits["markov"] <= bits["unigram"] - 1.0 and bits["markov"] < bits["markov_order1"]


def test_transformer_resumes_from_its_checkpoint_exactly(kinder, tmp_path):
    vocab = Vocabulary.for_pieces(kinder)
    data = [encode_piece(p, vocab) for p in kinder[:40]]
    config = TransformerConfig(d_model=32, ff=64, layers=1, heads=2, context=32, batch=8, steps=6, checkpoint_every=1)
    straight = train_transformer(data, pitch_vocab=vocab.size, duration_vocab=DURATION_ALPHABET, config=config,
                                 checkpoint=tmp_path / "a.pt")
    train_transformer(data, pitch_vocab=vocab.size, duration_vocab=DURATION_ALPHABET, config=config,
                      checkpoint=tmp_path / "b.pt", stop_after=3)  # the worker dies after step 3
    resumed = train_transformer(data, pitch_vocab=vocab.size, duration_vocab=DURATION_ALPHABET, config=config,
                                checkpoint=tmp_path / "b.pt")
    for (name, a), (_, b) in zip(straight.state_dict().items(), resumed.state_dict().items(), strict=True):
        assert np.allclose(a.numpy(), b.numpy()), name


@pytest.fixture(scope="module")
def hicaz_model():
    """A Markov model of melodies on a hicaz-like pitch set (steps from the tonic)."""
    rng = np.random.default_rng(0)
    pieces = []
    from generation.ml.tokens import Piece

    for _ in range(30):
        step, notes = 0, []
        for i in range(24):
            step = int(np.clip(step + rng.choice([-2, -1, -1, 1, 1, 2, 3]), -3, 10))
            notes.append(Note(step, float(rng.choice([0.25, 0.5, 1.0])), phrase_end=i % 8 == 7))
        notes.append(Note(0, 2.0, phrase_end=True))
        pieces.append(Piece(notes, meta={"tonic_step": 0}))
    vocab = Vocabulary.for_pieces(pieces)
    return MarkovModel(vocab, HICAZ.size).fit(encoded(pieces, vocab)), vocab


@settings(max_examples=25, deadline=None)
@given(length=st.integers(2, 40), low=st.integers(-3, 3), span=st.integers(4, 12), leap=st.one_of(st.none(), st.integers(1, 4)),
       start=st.integers(0, 6), end=st.integers(0, 6), shortest=st.sampled_from([None, 0.25, 0.5]),
       seed=st.integers(0, 2**31 - 1), temperature=st.floats(0.3, 2.0))
def test_constraints_hold_exactly(hicaz_model, length, low, span, leap, start, end, shortest, seed, temperature):
    model, vocab = hicaz_model
    c = Constraints(length_notes=length, low_step=low, high_step=low + span, start_degree=start, end_degree=end,
                    max_leap=leap, min_duration=shortest, seed=seed, temperature=temperature)
    try:
        notes = sample(model, vocab, HICAZ.size, c)
    except Unsatisfiable:
        # only when no start step in the range can reach an end step in the range within the leaps allowed
        steps = range(max(low, vocab.low), min(low + span, vocab.high) + 1)
        starts = [s for s in steps if s % HICAZ.size == start]
        ends = [s for s in steps if s % HICAZ.size == end]
        reach = (length - 1) * leap if leap is not None else float("inf")
        assert not any(abs(a - b) <= reach for a in starts for b in ends)
        return
    assert len(notes) == length
    pitched = [n for n in notes if n.step is not None]
    assert notes[0].step is not None and notes[-1].step is not None
    assert all(low <= n.step <= low + span for n in pitched)
    assert notes[0].step % HICAZ.size == start and notes[-1].step % HICAZ.size == end
    if leap is not None:
        assert all(abs(b.step - a.step) <= leap for a, b in zip(pitched, pitched[1:], strict=False))
    if shortest is not None:
        assert all(n.duration >= shortest for n in notes)
    assert notes[-1].phrase_end
    assert sample(model, vocab, HICAZ.size, c) == notes  # same seed, same melody


def test_every_file_keeps_the_microtones(hicaz_model):
    model, vocab = hicaz_model
    notes = sample(model, vocab, HICAZ.size, Constraints(length_notes=20, seed=7))
    notes[0].deviation = -13.0  # the first note bent: the MIDI trap
    events = render.place(notes, HICAZ, tonic_hz=293.66, tempo_bpm=90, pulse=True)
    exact = [e.midi for e in events if e.midi is not None]
    assert any(abs(m - round(m)) > 0.05 and abs(abs(m - round(m)) - 0.5) > 0.05 for m in exact)  # not quarter tones

    from music21 import converter

    xml = render.musicxml(events, title="t", credit="Learned from recordings of X", tempo_bpm=90)
    score = converter.parse(xml, format="musicxml")
    written = [n.pitch.ps for n in score.recurse().notes if n.tie is None or n.tie.type == "start"]
    assert np.allclose(written, exact, atol=0.001)
    assert render.AI_MARK.encode() in xml

    data = render.midi(events, tempo_bpm=90)
    assert np.allclose(render.midi_pitches(data), exact, atol=0.0003)  # within 0.03 cents
    import mido

    track = mido.MidiFile(file=io.BytesIO(data))
    messages = [m for t in track.tracks for m in t]
    first_on = next(i for i, m in enumerate(messages) if m.type == "note_on")
    assert any(m.type == "pitchwheel" and m.pitch != 0 for m in messages[:first_on])
    assert any(getattr(m, "text", "") == render.AI_MARK for m in messages)

    import soundfile as sf

    audio = render.synthesise(events)
    wav = sf.SoundFile(io.BytesIO(render.wav(audio, title="t", credit="c")))
    assert wav.comment == render.AI_MARK and wav.frames == len(audio)
    # the synthesiser plays the exact pitch: measure the first note's frequency
    first = events[0]
    n = int(first.seconds * 44100)
    spectrum = np.abs(np.fft.rfft(audio[:n] * np.hanning(n), 16 * n))
    hz = np.argmax(spectrum) * 44100 / (16 * n)
    assert 1200 * abs(np.log2(hz / first.hz)) < 5

    svg = render.svg(xml)
    assert svg.startswith("<svg") or "<svg" in svg[:200]
    assert f"<desc>{render.AI_MARK}</desc>" in svg
    assert svg.count('class="note"') == len(list(score.recurse().notes))  # tied parts are notes too


def test_the_timbre_is_measured_from_a_recording():
    from generation.ml.timbre import harmonic_amplitudes
    from tests.audio.melody import RATE, melody

    audio, truth = melody(3, seconds=12.0, vibrato_cents=10.0, snr_db=35.0)
    notes = [{"onset": a, "duration": b - a, "hz": hz} for a, b, hz in truth.notes]
    measured = harmonic_amplitudes(audio, RATE, notes, harmonics=5)
    assert np.allclose(measured, [1.0, 0.5, 0.3, 0.15, 0.08], atol=0.06), measured  # what the melody synth plays


def test_the_transformer_stops_when_held_out_melodies_stop_improving(tmp_path):
    """Early stopping: on a corpus it can learn by heart, validation gets worse long before the last
    step; training ends a few checkpoints after its best, and the best weights are the result."""
    from generation.ml.transformer import TransformerConfig, train_transformer

    rng = np.random.default_rng(3)
    pieces = [([int(x) for x in rng.integers(0, 12, 24)], [3] * 24) for _ in range(4)]
    valid = [([int(x) for x in rng.integers(0, 12, 24)], [3] * 24) for _ in range(2)]
    config = TransformerConfig(d_model=32, layers=1, heads=2, ff=64, context=32, batch=8, steps=2000,
                               checkpoint_every=20, warmup=10, patience=2)
    model = train_transformer(pieces, pitch_vocab=13, duration_vocab=28, config=config, checkpoint=tmp_path / "t.pt",
                              valid=valid)
    assert model.stopped_at_step < 2000
    assert TransformerConfig().min_notes == 0  # only the settings choose a floor (3000 notes by default)
