"""Accuracy measures against ground truth (mir_eval where it has them), shared by tests and `make bench`."""
import numpy as np


def cents_between(a_hz: float, b_hz: float, *, fold: bool = True) -> float:
    c = 1200 * np.log2(a_hz / b_hz)
    return float((c + 600) % 1200 - 600) if fold else float(c)


def raw_pitch_accuracy(ref_times, ref_hz, est_times, est_hz) -> float:
    import mir_eval

    ref_v, ref_c, est_v, est_c = mir_eval.melody.to_cent_voicing(
        np.asarray(ref_times), np.asarray(ref_hz, dtype=float), np.asarray(est_times), np.asarray(est_hz, dtype=float))
    return float(mir_eval.melody.raw_pitch_accuracy(ref_v, ref_c, est_v, est_c, cent_tolerance=50))


def note_f_measure(ref_notes, est_notes) -> float:
    """Onset within 50 ms and pitch within 50 cents, offsets ignored (mir_eval.transcription)."""
    import mir_eval

    if not ref_notes or not est_notes:
        return 0.0
    ref_i = np.array([[a, b] for a, b, _ in ref_notes])
    ref_p = np.array([hz for _, _, hz in ref_notes])
    est_i = np.array([[a, b] for a, b, _ in est_notes])
    est_p = np.array([hz for _, _, hz in est_notes])
    _p, _r, f, _o = mir_eval.transcription.precision_recall_f1_overlap(
        ref_i, ref_p, est_i, est_p, onset_tolerance=0.05, pitch_tolerance=50.0, offset_ratio=None)
    return float(f)


def degree_errors(true_cents: list[float], est_cents: list[float]) -> list[float]:
    """For each true scale degree, the distance in cents to the nearest estimated one (octave-folded)."""
    if not est_cents:
        return [600.0 for _ in true_cents]
    return [min(abs((t - e + 600) % 1200 - 600) for e in est_cents) for t in true_cents]
