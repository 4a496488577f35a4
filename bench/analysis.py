"""`make bench` rows for the analysis: speed (real-time factor on a 10-minute recording, one
process), peak memory on a long recording, and accuracy on synthetic and real data."""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from archive.analysis.pipeline import analyse_file
start = time.perf_counter()
r = analyse_file({path!r})
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "audio_seconds": r.duration,
                   "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def _measure(path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD.format(root=str(ROOT), path=str(path))],
                         capture_output=True, text=True, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def _ten_minutes(folder: Path) -> Path:
    from tests.audio.melody import RATE, melody

    path = folder / "ten-minutes.wav"
    with sf.SoundFile(str(path), "w", samplerate=RATE, channels=1, subtype="PCM_16") as f:
        for seed in range(10):
            audio, _ = melody(100 + seed, seconds=60.0)
            f.write(audio)
    return path


def _tiled(source: Path, folder: Path, minutes: int) -> Path:
    path = folder / f"{minutes}-minutes.wav"
    data, rate = sf.read(str(source), dtype="float32")
    with sf.SoundFile(str(path), "w", samplerate=rate, channels=1, subtype="PCM_16") as f:
        written = 0
        while written < minutes * 60 * rate:
            f.write(data[: minutes * 60 * rate - written])
            written += min(len(data), minutes * 60 * rate - written)
    return path


def speed_and_memory(folder: Path) -> dict:
    ten = _ten_minutes(folder)
    speed = _measure(ten)
    long_minutes = int(os.environ.get("BENCH_LONG_MINUTES", "120"))
    long = _measure(_tiled(ten, folder, long_minutes)) if long_minutes else None
    return {
        "ten_minutes": {"audio_seconds": round(speed["audio_seconds"], 1), "seconds": round(speed["seconds"], 1),
                        "real_time_factor": round(speed["audio_seconds"] / speed["seconds"], 1), "target": 30},
        "long": None if long is None else {"minutes": long_minutes, "seconds": round(long["seconds"], 1),
                                           "real_time_factor": round(long["audio_seconds"] / long["seconds"], 1),
                                           "peak_rss_mb": round(long["peak_rss_mb"], 1),
                                           "float32_audio_mb": round(long["audio_seconds"] * 44100 * 4 / 2**20, 1)},
    }


def accuracy(folder: Path, n: int) -> dict:
    from archive.analysis.evaluation import cents_between, degree_errors, note_f_measure, raw_pitch_accuracy
    from archive.analysis.pipeline import analyse_file
    from tests.analysis.test_accuracy import used_degrees
    from tests.audio.melody import write_melody

    tonic_err, rpa, notes_f, degree_err = [], [], [], []
    for seed in range(n):
        truth = write_melody(folder / "s.wav", 1000 + seed, seconds=20.0, drone=seed % 5 == 4)
        r = analyse_file(folder / "s.wav")
        tonic_err.append(abs(cents_between(r.tonic.hz, truth.tonic_hz)) if r.tonic else 600.0)
        rpa.append(raw_pitch_accuracy(truth.f0_times, truth.f0_hz, r.pitch.times, r.pitch.hz))
        notes_f.append(note_f_measure(truth.notes, [(x.onset, x.onset + x.duration, x.hz) for x in r.notes]))
        degree_err.extend(degree_errors(used_degrees(truth), [d.cents for d in r.degrees]))
    degree_err = np.array(degree_err)
    synthetic = {
        "recordings": n,
        "tonic_within_25_cents": round(float(np.mean(np.array(tonic_err) <= 25)), 3),
        "tonic_median_error_cents": round(float(np.median(tonic_err)), 1),
        "raw_pitch_accuracy": round(float(np.mean(rpa)), 3),
        "note_f_measure": round(float(np.mean(notes_f)), 3),
        "scale_degrees_found": round(float(np.mean(degree_err < 50)), 3),
        "scale_degree_error_cents_median": round(float(np.median(degree_err[degree_err < 50])), 1),
        "scale_degrees_within_10_cents": round(float(np.mean(degree_err <= 10)), 3),
    }
    return {"synthetic": synthetic, "real": real_data()}


def real_data() -> dict:
    from archive.analysis.evaluation import cents_between, note_f_measure, raw_pitch_accuracy
    from archive.analysis.pipeline import analyse_file
    from archive.analysis.tonic import estimate_tonic
    from archive.analysis.tracks import track_from_series

    out = {}
    voc = SHARED / "audio" / "vocadito"
    if voc.exists():
        r = analyse_file(voc / "Audio" / "vocadito_1.wav")
        f0 = np.loadtxt(voc / "Annotations" / "F0" / "vocadito_1_f0.csv", delimiter=",")
        est = [(x.onset, x.onset + x.duration, x.hz) for x in r.notes]
        f = {}
        for a in ("A1", "A2"):
            ref = np.loadtxt(voc / "Annotations" / "Notes" / f"vocadito_1_notes{a}.csv", delimiter=",")
            f[a] = round(note_f_measure([(o, o + d, h) for o, h, d in ref], est), 3)
        refs = [np.loadtxt(voc / "Annotations" / "Notes" / f"vocadito_1_notes{a}.csv", delimiter=",") for a in ("A1", "A2")]
        human = note_f_measure(*[[(o, o + d, h) for o, h, d in ref] for ref in refs])
        out["vocadito"] = {"raw_pitch_accuracy": round(raw_pitch_accuracy(f0[:, 0], f0[:, 1], r.pitch.times, r.pitch.hz), 3),
                           "note_f_measure": f, "annotators_agree": round(human, 3)}
    makam = SHARED / "makam" / "otmm_pitch_tracks"
    if makam.exists():
        ann = {a["mbid"].rsplit("/", 1)[-1]: a["tonic"] for a in json.loads((makam / "annotations.json").read_text())}
        errors = []
        for p in sorted((makam / "data").glob("*/*.pitch")):
            tonic = estimate_tonic(track_from_series(np.loadtxt(p), 128 / 44100))
            errors.append(abs(cents_between(tonic.hz, ann[p.stem])))
        out["otmm_makam_tonic"] = {"tracks": len(errors), "within_25_cents": round(float(np.mean(np.array(errors) <= 25)), 3)}
    vignesh = SHARED / "audio" / "carnatic_vignesh" / "vignesh.wav"
    if vignesh.exists():
        drone = analyse_file(vignesh, drone=True).tonic
        plain = analyse_file(vignesh).tonic
        out["carnatic_vignesh_tonic_loose"] = {
            "annotated_full_recording_hz": 138.59, "drone_method_hz": drone.hz if drone else None,
            "pitch_class_method_hz": plain.hz if plain else None,
            "note": "the annotation is for the full recording; this is a 3 s excerpt"}
    return out


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        return {"speed": speed_and_memory(folder), "accuracy": accuracy(folder, int(os.environ.get("BENCH_SYNTHETIC", "30")))}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
