"""`make bench` rows for transcription: the note F-measure (mir_eval: onset within 50 ms, pitch
within 50 cents, offsets ignored) of each note method side by side, in one run, on every real
recording with note annotations in ../shared/data (against each annotator, with the annotators
against each other as the ceiling) and on the synthetic set.

Every method reads the same pitch contour (the analysis' Melodia track, tonic and pitch set), so
the figures compare segmentation alone:
- analyser 1.0: the segmentation before this measure;
- each of 1.1's five steps added alone (archive/analysis/notes.py says why each);
- analyser 1.1, the default: all five;
- essentia's PitchContourSegmentation on the same contour, the library's own note segmenter
  (a floor: it rounds pitches to MIDI numbers, so notes between semitones miss).
"""
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from archive.analysis.evaluation import note_f_measure  # noqa: E402
from archive.analysis.notes import Segmentation, segment_notes  # noqa: E402
from archive.analysis.pipeline import analyse_file  # noqa: E402
from archive.analysis.pitch import HOP_SECONDS  # noqa: E402

BEFORE = Segmentation.before_1_1()
METHODS = {
    "analyser 1.0": BEFORE,
    "1.0 + boundary at the contour's crossing": BEFORE.but(refine_boundaries=True),
    "1.0 + start at the voice's full level": BEFORE.but(start_at_full_level=True),
    "1.0 + notes within the performance's range": BEFORE.but(within_range=True),
    "1.0 + re-articulation from a 20 ms level": BEFORE.but(short_dips=True),
    "1.0 + octave slips folded": BEFORE.but(fold_octaves=True),
    "analyser 1.1 (default)": Segmentation(),
}
ESSENTIA = "essentia PitchContourSegmentation"
VOCADITO = ("audio", "vocadito")


def _essentia_notes(result, path: Path) -> list[tuple]:
    """essentia's segmenter on the same contour (10 ms hop at the file's own rate)."""
    import essentia.standard as es
    import soundfile as sf

    audio, rate = sf.read(str(path), dtype="float32", always_2d=True)
    audio = audio.mean(axis=1)
    segment = es.PitchContourSegmentation(hopSize=int(round(HOP_SECONDS * rate)), sampleRate=rate)
    onsets, durations, midi = segment(result.pitch.hz.astype(np.float32), audio)
    return [(float(o), float(o + d), float(440.0 * 2 ** ((m - 69) / 12)))
            for o, d, m in zip(onsets, durations, midi, strict=True) if d > 0]


def methods_on(path: Path) -> dict[str, list[tuple]]:
    """{method: [(onset, offset, hz)]} for one recording, every method on one analysis."""
    result = analyse_file(path)
    out = {}
    for name, steps in METHODS.items():
        notes = segment_notes(result.pitch, result.tonic.hz, result.degrees, steps=steps) if result.tonic else []
        out[name] = [(n.onset, n.onset + n.duration, n.hz) for n in notes]
    out[ESSENTIA] = _essentia_notes(result, path)
    return out


def _annotation(path: Path) -> list[tuple]:
    rows = np.loadtxt(path, delimiter=",", ndmin=2)
    return [(onset, onset + duration, hz) for onset, hz, duration in rows]


def real() -> dict:
    """Every recording under ../shared/data/audio with note annotations (vocadito's layout:
    Annotations/Notes/<track>_notes<annotator>.csv)."""
    rows = {}
    base = SHARED.joinpath(*VOCADITO)
    if not base.exists():
        raise SystemExit(f"{base} is missing: the transcription bench reads ../shared/data")
    for audio in sorted((base / "Audio").glob("*.wav")):
        annotators = {p.stem.rsplit("_notes", 1)[1]: _annotation(p)
                      for p in sorted((base / "Annotations" / "Notes").glob(f"{audio.stem}_notes*.csv"))}
        found = methods_on(audio)
        names = sorted(annotators)
        rows[audio.stem] = {
            "annotated_notes": {a: len(v) for a, v in annotators.items()},
            "annotators_agree": round(note_f_measure(annotators[names[0]], annotators[names[1]]), 3)
            if len(names) > 1 else None,
            "methods": {m: {"notes": len(est), **{a: round(note_f_measure(ref, est), 3) for a, ref in annotators.items()}}
                        for m, est in found.items()},
        }
    return rows


def synthetic(n: int) -> dict:
    """The analysis bench's synthetic melodies (tests/audio/melody.py): mean F per method."""
    from tests.audio.melody import write_melody

    scores: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.wav"
        for seed in range(n):
            truth = write_melody(path, 1000 + seed, seconds=20.0, drone=seed % 5 == 4)
            for name, est in methods_on(path).items():
                scores.setdefault(name, []).append(note_f_measure(truth.notes, est))
    return {"recordings": n, "methods": {m: round(float(np.mean(v)), 3) for m, v in scores.items()}}


def run(n_synthetic: int = 20) -> dict:
    return {"real": real(), "synthetic": synthetic(n_synthetic)}


def print_rows(result: dict) -> None:
    print("\ntranscription: note F-measure (onset 50 ms, pitch 50 cents), each method on the same contour")
    syn = result["synthetic"]
    for track, row in result["real"].items():
        annotators = sorted(row["annotated_notes"])
        print(f"  {track}: annotators agree at {row['annotators_agree']} (notes: "
              + ", ".join(f"{a} {row['annotated_notes'][a]}" for a in annotators) + ")")
        print(f"  {'method':<48} {'notes':>5} " + " ".join(f"{'vs ' + a:>8}" for a in annotators)
              + f" {'synthetic (' + str(syn['recordings']) + ')':>16}")
        for method, cells in row["methods"].items():
            print(f"  {method:<48} {cells['notes']:>5} " + " ".join(f"{cells[a]:>8}" for a in annotators)
                  + f" {syn['methods'][method]:>16}")


if __name__ == "__main__":
    found = run()
    print_rows(found)
    print(json.dumps(found, indent=2))
