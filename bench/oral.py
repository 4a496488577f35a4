"""`make bench` row for the route that matters most: a tradition known only from recordings.
SymbTr makam pieces are sung (tests/audio/sung.py: glides, scoops, vibrato, drift, breaths,
reverb, a tonic of each singer's own, each excerpt ending held on its final), analysed by the
archive's own pipeline, and a style model is trained on the analyses alone, as the worker does.
Its examples are then measured against the notated truth of held-out pieces, beside the ceiling
(the truth of the training pieces against the same held-out truth) and the floor (that truth
rounded to 12-TET)."""
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
SYMBTR = ROOT.parent / "shared" / "data" / "makam" / "symbtr" / "SymbTr_txt_all_2200.tar.gz"
sys.path.insert(0, str(ROOT))

from archive.analysis.pipeline import analyse_file  # noqa: E402
from generation.ml.corpus import symbtr_pieces, transcribed_piece  # noqa: E402
from generation.ml.fidelity import model_fidelity  # noqa: E402
from generation.ml.pitch_sets import corpus_shifts, shifted, tradition_pitch_set  # noqa: E402
from generation.ml.sampling import difficulty_levels, tradition_ends  # noqa: E402
from generation.ml.train import train_style_model  # noqa: E402
from tests.audio.sung import RATE, performed, sing  # noqa: E402

COMMA = 1200.0 / 53


def sung_corpus(makam: str, count: int, seconds: float, folder: Path) -> list[dict]:
    """Each piece's opening sung and analysed: its truth (cents above the final; in beats and seconds), the
    analysis's notes, degrees, tonic and tempo, and the true tonic."""
    rng = np.random.default_rng(7)
    out = []
    for index, piece in enumerate(symbtr_pieces(SYMBTR, makams=[makam], limit=count)):
        final = piece.meta["tonic_step"]
        seconds_per_quarter = 60.0 / rng.uniform(70, 100)
        notated = [(None if n.step is None else (n.step - final) * COMMA, n.duration * seconds_per_quarter)
                   for n in piece.notes]
        sung_notes = performed(notated, 0.0, seconds=seconds)
        tonic_hz = float(rng.uniform(150, 260))
        audio, truth = sing(sung_notes, tonic_hz=tonic_hz, seed=index)
        path = folder / f"{index}.wav"
        sf.write(str(path), audio, RATE, subtype="PCM_16")
        result = analyse_file(path)
        out.append({"name": piece.name, "truth_beats": [(c, length / seconds_per_quarter, False) for c, length in sung_notes],
                    "truth_seconds": [(c, length, False) for c, length in sung_notes], "true_tonic_hz": tonic_hz, "seconds": truth.seconds,
                    "tonic_hz": result.tonic.hz if result.tonic else None, "tempo_bpm": result.rhythm.tempo_bpm,
                    "notes": [n.as_dict() for n in result.notes],
                    "pitch_set": [{"cents": d.cents, "weight": d.weight} for d in result.degrees]})
    return out


def true_degrees(corpus: list[dict], share: float = 0.02) -> list[float]:
    """The pitch classes the truth dwells on (at least ``share`` of its sung time), in cents."""
    time_on: dict[float, float] = {}
    for item in corpus:
        for cents, quarters, _end in item["truth_beats"]:
            if cents is not None:
                key = round(cents % 1200.0, 1)
                time_on[key] = time_on.get(key, 0.0) + quarters
    total = sum(time_on.values())
    return sorted(c for c, t in time_on.items() if t / total >= share)


def oral_row(makam: str = "hicaz", count: int = 30, seconds: float = 45.0, transformer=None) -> dict:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = sung_corpus(makam, count, seconds, Path(tmp))
    analysis_seconds = time.perf_counter() - started
    row = measure(corpus, transformer=transformer)
    return {"corpus": f"SymbTr {makam} sung ({len(corpus)} excerpts of ~{seconds:.0f} s, analysed audio only)", **row,
            "synthesis_and_analysis_seconds": round(analysis_seconds, 1), "seconds": round(time.perf_counter() - started, 1)}


def measure(corpus: list[dict], *, transformer=None) -> dict:
    """Train on the analyses alone, as the worker does, and measure the examples against the truth."""
    shifts = corpus_shifts(corpus)
    corpus = [{**turned, "notes": notes} for c, shift in zip(corpus, shifts, strict=True)
              for turned, notes in [shifted(c, c["notes"], shift)]]
    pitch_set = tradition_pitch_set(corpus)
    tempos = [c["tempo_bpm"] for c in corpus if c["tempo_bpm"]]
    pulse = len(tempos) * 2 > len(corpus)
    pieces = [transcribed_piece(c["notes"], pitch_set, name=c["name"],
                                beat_seconds=60.0 / (c["tempo_bpm"] or statistics.median(tempos)) if pulse else None)
              for c in corpus]
    with tempfile.TemporaryDirectory() as tmp:
        result = train_style_model(pieces, degrees=pitch_set.size, checkpoint=Path(tmp) / "t.pt", transformer=transformer)
    truth = {c["name"]: c["truth_beats" if pulse else "truth_seconds"] for c in corpus}  # in the model's units
    true_tonic = {c["name"]: c["true_tonic_hz"] for c in corpus}
    tonic_errors = [abs(1200 * np.log2(c["tonic_hz"] / c["true_tonic_hz"])) for c in corpus if c["tonic_hz"]]
    fidelity = model_fidelity(predictor=result.held_out_predictor, vocab=result.vocab, pitch_set=pitch_set, pulse=pulse,
                              train=result.train, test=result.test,
                              tonic_hz=statistics.median(c["tonic_hz"] for c in corpus if c["tonic_hz"]),
                              levels=difficulty_levels(pieces), ends=tradition_ends(pieces),
                              reference=[truth[p.name] for p in result.test], training=[truth[p.name] for p in result.train],
                              reference_tonics_hz=[true_tonic[p.name] for p in result.test])
    sung = sum(1 for c in corpus for cents, _q, _e in c["truth_beats"] if cents is not None)
    return {"fidelity": fidelity, "learned_pitch_set": [round(c, 1) for c in pitch_set.cents],
            "true_degrees": true_degrees(corpus), "pulse": pulse, "tonics_turned": sum(1 for s in shifts if s), "chosen": result.chosen,
            "bits_per_note": result.metrics["bits_per_note"], "notes": result.metrics["notes"], "sung_notes": sung,
            "tonic_within_20_cents": round(sum(e <= 20 for e in tonic_errors) / len(corpus), 3),
            "median_tonic_error_cents": round(float(np.median(tonic_errors)), 1) if tonic_errors else None,
            "audio_seconds": round(sum(c["seconds"] for c in corpus), 1),
            "targets": {"fidelity_at_defaults_0_88": min(fidelity["default"]["pitch"]["overlap"],
                                                         fidelity["default"]["interval"]["overlap"]) >= 0.88}}


if __name__ == "__main__":
    import json

    row = oral_row(*(sys.argv[1:2] or ["hicaz"]))
    print(json.dumps(row, indent=1))
