"""`make bench` rows for the style models, on real symbolic corpora: held-out bits per note
(unigram, order-1 Markov, PPM, transformer) with a split by piece, training and generation
time, Yang & Lerch-style distances between generated and real melodies next to the same
distance between two halves of the real corpus, and the kinder0 anchor (Pearce 2005:
IDyOM 2.106 bits/note, 10-fold cross-validation) measured the same way."""
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SYMBTR = ROOT.parent / "shared" / "data" / "makam" / "symbtr" / "SymbTr_txt_all_2200.tar.gz"
sys.path.insert(0, str(ROOT))

from bench.oral import oral_row  # noqa: E402
from generation.ml.corpus import music21_pieces, split_by_piece, symbtr_pieces  # noqa: E402
from generation.ml.fidelity import model_fidelity  # noqa: E402
from generation.ml.markov import MarkovModel  # noqa: E402
from generation.ml.metre import estimate, timed  # noqa: E402
from generation.ml.metrics import compare, piece_divergence  # noqa: E402
from generation.ml.sampling import Constraints, difficulty_levels, sample, tradition_ends  # noqa: E402
from generation.ml.tokens import Note, Piece, PitchSet, Vocabulary, encode_piece  # noqa: E402
from generation.ml.train import train_style_model  # noqa: E402
from generation.ml.transformer import TransformerConfig, TransformerPredictor  # noqa: E402

PEARCE_KINDER = 2.106
TEMPERATURE = 0.8  # the API's default
EXAMPLE_NOTES = 64


def _pitched(pieces):
    for p in pieces:
        p.notes = [n for n in p.notes if n.step is not None]
        if p.notes:
            p.notes[-1].phrase_end = True
    return [p for p in pieces if len(p.notes) > 2]


def _relative(pieces):
    """Steps from each piece's tonic (its key's pitch class, or a makam piece's final), so that a
    model of the corpus is a model of one key: generated melodies then have a tonic to be judged by."""
    for p in pieces:
        tonic = p.meta.get("tonic_step", 0)
        for n in p.notes:
            if n.step is not None:
                n.step -= tonic
        p.meta["tonic_step"] = 0
    return pieces


def kinder_cross_validation(folds: int = 10) -> dict:
    pieces = _pitched(music21_pieces("essenFolksong/kinder0.abc"))
    vocab = Vocabulary.for_pieces(pieces)
    encoded = [(*encode_piece(p, vocab), p.meta["tonic_step"]) for p in pieces]
    order = np.random.default_rng(0).permutation(len(pieces))
    bits = []
    started = time.perf_counter()
    for fold in range(folds):
        test = set(order[fold::folds].tolist())
        model = MarkovModel(vocab, 12).fit([e for i, e in enumerate(encoded) if i not in test])
        for i in sorted(test):
            bits += model.piece_bits(*encoded[i])[0]
    return {"pieces": len(pieces), "notes": len(bits), "folds": folds, "bits_per_note": round(float(np.mean(bits)), 4),
            "idyom_pearce_2005": PEARCE_KINDER, "seconds": round(time.perf_counter() - started, 2),
            "measure": "chromatic pitch (MIDI number), rests skipped, 10-fold by song"}


def _render_one(piece: Piece, degrees: int) -> float:
    """Seconds to write one example's files: MusicXML, the verovio SVG, MIDI and the synthesised WAV."""
    from generation.ml import render
    from generation.ml.tokens import PitchSet

    started = time.perf_counter()
    tonic = 8.1758 if degrees == 12 else 220.0  # 12: steps are MIDI numbers above C-1
    events = render.place(piece.notes, PitchSet.equal(degrees), tonic_hz=tonic, tempo_bpm=90, pulse=True)
    xml = render.musicxml(events, title="bench", credit="bench", tempo_bpm=90)
    render.svg(xml)
    render.midi(events, tempo_bpm=90)
    render.wav(render.synthesise(events), title="bench", credit="bench")
    return time.perf_counter() - started


def practice_set_seconds(predictor, vocab, degrees: int, levels: dict, *, tonic_step: int, count: int = 10) -> dict:
    """A practice set as the worker makes it: ``count`` examples graded from easy to hard (up to 32
    notes), each sampled and written to all its files, then the bundle: every score in one PDF and
    the zip (generation/services/practice_sets.py does the same through storage)."""
    from generation.ml import render
    from generation.ml.bundle import zip_bundle
    from generation.ml.grading import graded, sample_graded
    from generation.ml.scores_pdf import scores_pdf

    started = time.perf_counter()
    base = Constraints(length_notes=32, start_degree=None, end_degree=0, seed=7, temperature=TEMPERATURE)
    steps = graded(base, count=count, levels=levels, degrees=degrees, tonic_step=tonic_step)
    files, scores = [], []
    tonic = 8.1758 if degrees == 12 else 220.0
    for index, constraints in enumerate(steps):
        notes, _used = sample_graded(predictor, vocab, degrees, constraints, base, tonic_step=tonic_step)
        events = render.place(notes, PitchSet.equal(degrees), tonic_hz=tonic, tempo_bpm=90, pulse=True)
        made = render.example_files(events, title=f"bench {index + 1}", credit="bench", tempo_bpm=90)
        files += [(f"{index + 1:02d}-example.{kind}", data) for kind, data in made.items() if kind != "svg"]
        scores.append((f"{index + 1}.", render.print_pages(made["musicxml"])))
    examples_seconds = time.perf_counter() - started
    files.append(("scores.pdf", scores_pdf(scores, title="bench", footer="bench")))
    size = len(zip_bundle(files))
    seconds = time.perf_counter() - started
    return {"examples": count, "seconds": round(seconds, 2), "examples_seconds": round(examples_seconds, 2),
            "bundle_seconds": round(seconds - examples_seconds, 2), "bundle_mb": round(size / 2**20, 1)}


def _variation_seconds(predictor, vocab, degrees: int, piece: Piece) -> float:
    """A variation on a real phrase (a held-out piece's first 16 notes), opening and cadence kept,
    sampled and written to all its files, as generation/services/variations.py makes one."""
    from generation.ml import render
    from generation.ml.variation import variation

    phrase = [n for n in piece.notes if n.step is not None][:16]
    started = time.perf_counter()
    notes = variation("vary", phrase, predictor, vocab, degrees, length_notes=12, seed=3, temperature=TEMPERATURE,
                      end_degree=0)
    events = render.place(notes, PitchSet.equal(degrees), tonic_hz=8.1758 if degrees == 12 else 220.0, tempo_bpm=90,
                          pulse=True)
    render.example_files(events, title="bench", credit="bench", tempo_bpm=90)
    return time.perf_counter() - started


def corpus_row(name: str, pieces: list[Piece], degrees: int, measure: str, transformer: TransformerConfig) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        result = train_style_model(pieces, degrees=degrees, checkpoint=Path(tmp) / "t.pt", transformer=transformer)
        train_seconds = time.perf_counter() - started
    train, test = split_by_piece(pieces, held_out=0.2, seed=0)
    predictor = result.markov.for_generation() if result.chosen == "markov" else TransformerPredictor(result.transformer)
    vocab = result.vocab
    generated, seconds = [], []
    for i, piece in enumerate(test):  # one generated melody per held-out one: its length, its tonic
        started = time.perf_counter()
        tonic = piece.meta.get("tonic_step", 0)
        notes = sample(predictor, vocab, degrees, Constraints(length_notes=len(piece.notes), start_degree=None, end_degree=0,
                                                             seed=i, temperature=TEMPERATURE), tonic_step=tonic)
        seconds.append(time.perf_counter() - started)
        generated.append(Piece([Note(n.step, n.duration, phrase_end=n.phrase_end) for n in notes], meta={"tonic_step": tonic}))
    # one practice example as an educator asks for it: 64 notes, sampled and written to all its files
    started = time.perf_counter()
    example = sample(predictor, vocab, degrees, Constraints(length_notes=EXAMPLE_NOTES, start_degree=None, end_degree=0,
                                                            seed=99, temperature=TEMPERATURE))
    sample_seconds = time.perf_counter() - started
    example_seconds = sample_seconds + _render_one(Piece(example, meta={"tonic_step": 0}), degrees)
    practice_set = practice_set_seconds(predictor, vocab, degrees, difficulty_levels(pieces),
                                        tonic_step=pieces[0].meta.get("tonic_step", 0))
    variation_seconds = _variation_seconds(predictor, vocab, degrees, test[0])
    # the real baseline: as many real training pieces, against the same held-out pieces
    pick = np.random.default_rng(1).choice(len(train), size=min(len(test), len(train)), replace=False)
    real_vs_real = compare([train[i] for i in pick], test, degrees)
    gen_vs_real = compare(generated, test, degrees)
    ratio = {k: round(gen_vs_real[k]["js_divergence"] / max(real_vs_real[k]["js_divergence"], 1e-9), 2) for k in gen_vs_real}
    # piece by piece (Yang & Lerch compare sets piece-wise): how far each generated melody is from
    # the training corpus, against how far each held-out real melody is
    typical_generated, typical_real = piece_divergence(generated, train, degrees), piece_divergence(test, train, degrees)
    piece_ratio = {k: round(typical_generated[k] / max(typical_real[k], 1e-9), 2) for k in typical_real}
    bits = result.metrics["bits_per_note"]
    # what an educator hears: the model (never shown the held-out pieces) against them, in cents,
    # beside real-vs-real (ceiling) and the held-out pieces in 12-TET (floor), as the model page shows it
    fidelity = model_fidelity(predictor=result.held_out_predictor, vocab=vocab, pitch_set=PitchSet.equal(degrees),
                              pulse=True, train=result.train, test=result.test, tonic_hz=440.0,
                              levels=difficulty_levels(pieces), ends=tradition_ends(pieces))
    return {"corpus": name, "fidelity": fidelity, "measure": measure, "pieces": len(pieces), "notes": result.metrics["notes"], **bits,
            "chosen": result.chosen, "beats_unigram_by": round(bits["unigram"] - bits[result.chosen], 3),
            "train_seconds": round(train_seconds, 1), "generate_seconds_per_example": round(float(np.mean(seconds)), 3),
            "example_with_files_seconds": round(example_seconds, 3), "example_notes": EXAMPLE_NOTES,
            "practice_set": practice_set, "variation_with_files_seconds": round(variation_seconds, 3),
            "transformer_parameters": result.metrics["transformer_parameters"],
            "generated_vs_real": gen_vs_real, "real_vs_real": real_vs_real, "js_ratio_generated_to_real": ratio, "temperature": TEMPERATURE,
            "piece_js_generated": typical_generated, "piece_js_real": typical_real, "piece_js_ratio": piece_ratio,
            "targets": {"beats_unigram_by_1_bit": bits["unigram"] - bits[result.chosen] >= 1.0,
                        "beats_order1": bits[result.chosen] < bits["markov_order1"],
                        "piece_distances_within_1_5x": all(v <= 1.5 for v in piece_ratio.values()),
                        "example_under_2_s": example_seconds < 2.0,
                        "practice_set_of_10_under_20_s": practice_set["seconds"] < 20.0,
                        "variation_under_2_s": variation_seconds < 2.0,
                        "fidelity_at_defaults_0_88": min(fidelity["default"]["pitch"]["overlap"],
                                                         fidelity["default"]["interval"]["overlap"]) >= 0.88}}


METRE_CORPORA = ("essenFolksong/lux.abc", "essenFolksong/kinder0.abc", "essenFolksong/ballad10.abc")


def metre_row() -> dict:
    """The metre estimate for pieces heard from recordings, measured on songs whose notation gives
    the truth (their time signatures taken away): duple or triple, and the exact signature; beside
    the floor (always the commoner of duple and triple) and the ceiling (the notation, 1.0)."""
    def family(signature):
        return None if signature is None else "triple" if int(signature.split("/")[0]) % 3 == 0 else "duple"

    truth, guess = [], []
    for name in METRE_CORPORA:
        for piece in music21_pieces(name):
            if piece.meta.get("metre"):
                truth.append(piece.meta["metre"])
                guess.append(estimate(timed(piece.notes)))
    families = [family(t) for t in truth]
    return {"corpus": "Essen lux, kinder0, ballad10 (notated metre hidden)", "pieces": len(truth),
            "duple_or_triple": round(float(np.mean([family(g) == f for g, f in zip(guess, families, strict=True)])), 3),
            "exact_signature": round(float(np.mean([g == t for g, t in zip(guess, truth, strict=True)])), 3),
            "floor": round(max(families.count("duple"), families.count("triple")) / len(families), 3), "ceiling": 1.0}


def run() -> dict:
    _render_one(Piece([Note(60, 1.0), Note(62, 1.0), Note(64, 2.0, phrase_end=True)]), 12)  # imports, verovio's fonts: once
    steps = int(os.environ.get("BENCH_TRANSFORMER_STEPS", "400"))
    transformer = TransformerConfig(steps=steps, d_model=160, ff=640, layers=4, context=64, batch=32,
                                    checkpoint_every=max(1, steps // 10))
    rows = [
        corpus_row("essen kinder0 (German children's songs)", _relative(_pitched(music21_pieces("essenFolksong/kinder0.abc"))),
                   12, "semitones from the key's tonic", transformer),
        corpus_row("essen lot (Lorraine songs)", _relative(_pitched(music21_pieces("essenFolksong/lot.abc"))),
                   12, "semitones from the key's tonic", transformer),
    ]
    if SYMBTR.exists():  # each makam a tradition of its own, then the three learned as one
        for makams, name in ((["hicaz"], "SymbTr hicaz"), (["rast"], "SymbTr rast"), (["ussak"], "SymbTr uşşak"),
                             (["hicaz", "rast", "ussak"], "SymbTr hicaz/rast/uşşak together")):
            makam = _relative(symbtr_pieces(SYMBTR, makams=makams, limit=240))
            rows.append(corpus_row(f"{name} (Turkish makam)", makam, 53,
                                   "Holdrian commas (53 to the octave) from the final", transformer))
    oral = oral_row("hicaz", count=int(os.environ.get("BENCH_SUNG_PIECES", "60"))) if SYMBTR.exists() else None
    return {"corpora": rows, "oral": oral, "kinder_10_fold": kinder_cross_validation(), "metre": metre_row()}


def print_rows(result: dict) -> None:
    k = result["kinder_10_fold"]
    print(f"\nstyle models: kinder0 ({k['pieces']} songs, {k['notes']} notes), {k['folds']}-fold, PPM: "
          f"{k['bits_per_note']} bits/note (IDyOM, Pearce 2005: {k['idyom_pearce_2005']}; target: at or below)")
    print(f"{'corpus':<42} {'unigram':>8} {'order1':>7} {'PPM':>6} {'transf':>7} {'chosen':>11} "
          f"{'train s':>8} {'gen s':>6} {'64n+files s':>11}  JS gen/real: pooled | per piece (degree, interval, length)")
    for r in result["corpora"]:
        ratio = r["js_ratio_generated_to_real"]
        print(f"{r['corpus']:<42} {r['unigram']:>8.3f} {r['markov_order1']:>7.3f} {r['markov']:>6.3f} "
              f"{r.get('transformer', float('nan')):>7.3f} {r['chosen']:>11} {r['train_seconds']:>8} "
              f"{r['generate_seconds_per_example']:>6} {r['example_with_files_seconds']:>11}  "
              f"{ratio['scale_degree']}, {ratio['interval']}, {ratio['note_length']} | "
              f"{r['piece_js_ratio']['scale_degree']}, {r['piece_js_ratio']['interval']}, {r['piece_js_ratio']['note_length']}")
    print("\na practice set of 10 graded examples with its bundle (all files, scores.pdf, zip; target under 20 s)")
    for r in result["corpora"]:
        p = r["practice_set"]
        print(f"  {r['corpus']:<42} {p['seconds']:>6} s (examples {p['examples_seconds']} s, bundle {p['bundle_seconds']} s, "
              f"{p['bundle_mb']} MB); a variation on a real phrase with its files: "
              f"{r['variation_with_files_seconds']} s (target under 2 s)")
    m = result.get("metre")
    if m:
        print(f"\nmetre of pieces heard from recordings, estimated ({m['corpus']}, {m['pieces']} songs): duple or triple "
              f"right for {m['duple_or_triple']:.0%} (floor {m['floor']:.0%}, ceiling {m['ceiling']:.0%}); "
              f"exact signature {m['exact_signature']:.0%}")
    print("\nstyle fidelity, overlap of histograms in cents with held-out real pieces (pitch / interval; "
          "target at the defaults: both >= 0.88, above the floor)")
    print(f"{'corpus':<42} {'ceiling':>13} {'defaults':>13} {'unconstrained':>14} {'12-TET floor':>13} verdict")
    for r in result["corpora"] + ([result["oral"]] if result.get("oral") else []):
        f = r["fidelity"]
        cell = {k: f"{f[k]['pitch']['overlap']:.2f} / {f[k]['interval']['overlap']:.2f}"
                for k in ("ceiling", "default", "unconstrained", "floor")}
        print(f"{r['corpus']:<42} {cell['ceiling']:>13} {cell['default']:>13} {cell['unconstrained']:>14} "
              f"{cell['floor']:>13} {f['verdict']}")
    oral = result.get("oral")
    if oral:
        print(f"  audio only: learned pitch set {oral['learned_pitch_set']} (the truth dwells on {oral['true_degrees']}); "
              f"tonic within 20 cents for {oral['tonic_within_20_cents']:.0%}; {oral['tonics_turned']} tonic(s) turned; "
              f"{oral['notes']} notes transcribed of {oral['sung_notes']} sung; {oral['audio_seconds'] / 60:.0f} min of audio "
              f"sung and analysed in {oral['synthesis_and_analysis_seconds']} s; chose {oral['chosen']}")
    for r in result["corpora"] + ([oral] if oral else []):
        missed = [k for k, ok in r["targets"].items() if not ok]
        print(f"  {r['corpus']}: targets {'all met' if not missed else 'missed: ' + ', '.join(missed)}")


if __name__ == "__main__":
    import json

    out = run()
    print(json.dumps(out, indent=2)[:3000])
    print_rows(out)
