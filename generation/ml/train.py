"""Training a style model on a corpus: split by piece, measure held-out bits per note for a
unigram baseline, an order-1 Markov model, the PPM model and the transformer, and choose the
better of the last two by what their examples sound like (and bits per note between equals)."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .corpus import split_by_piece
from .markov import MarkovConfig, MarkovModel
from .progress import BASELINES, CHOOSING, LEARNING
from .tokens import DURATION_ALPHABET, Note, Piece, Vocabulary, encode_piece
from .transformer_config import TransformerConfig

if TYPE_CHECKING:
    from .transformer import MelodyTransformer

MIN_NOTES = 20
CHOICE_MARGIN = 0.01  # of mean pitch and interval overlap: below this, two models' examples sound alike


@dataclass
class TrainingResult:
    metrics: dict
    vocab: Vocabulary
    markov: MarkovModel
    transformer: MelodyTransformer | None
    chosen: str
    test: list[Piece] = field(default_factory=list)
    train: list[Piece] = field(default_factory=list)
    held_out_predictor: object = None  # the chosen model as fit without the held-out pieces (for fidelity)


def phrases(pieces: list[Piece]) -> list[Piece]:
    """Pieces cut at their phrase ends: the unit of a split when there are too few pieces."""
    out = []
    for piece in pieces:
        current: list[Note] = []
        for note in piece.notes:
            current.append(note)
            if note.phrase_end:
                out.append(Piece(current, name=piece.name, source=piece.source, meta=piece.meta))
                current = []
        if current:
            out.append(Piece(current, name=piece.name, source=piece.source, meta=piece.meta))
    return out


def chunks(pieces: list[Piece], count: int) -> list[Piece]:
    """All the notes cut into ``count`` runs of consecutive notes (the last resort for a split)."""
    notes = [n for p in pieces for n in p.notes]
    size = -(-len(notes) // count)
    meta = pieces[0].meta if pieces else {}
    return [Piece(notes[i:i + size], meta=meta) for i in range(0, len(notes), size)]


def _encoded(pieces: list[Piece], vocab: Vocabulary) -> list[tuple[list[int], list[int], int]]:
    return [(*encode_piece(p, vocab), p.meta.get("tonic_step", 0)) for p in pieces]


def mean_bits(model: MarkovModel, pieces) -> tuple[float, float]:
    pitch, duration = [], []
    for p, d, tonic in pieces:
        bp, bd = model.piece_bits(p, d, tonic)
        pitch += bp
        duration += bd
    return float(np.mean(pitch)), float(np.mean(duration))


def unigram_bits(train, test, size: int) -> float:
    counts = np.ones(size)
    for p, _, _ in train:
        np.add.at(counts, p, 1)
    probs = counts / counts.sum()
    return float(np.mean([-np.log2(probs[s]) for p, _, _ in test for s in p]))


CANDIDATE_VIEWS = (("pitch", "interval"), ("pitch", "interval", "degree"), ("pitch",))
CANDIDATE_ORDERS = ((5, 5, "C"), (3, 6, "X"), (4, 8, "X"), (5, 5, "X"))  # long-term order, short-term order, escape


def choose_markov_config(train: list[Piece], vocab: Vocabulary, degrees: int, *, seed: int = 0) -> MarkovConfig:
    """The PPM set-up that predicts a validation share of the training pieces best (never the
    test set): first the views, then the context lengths and escape method. Small or varied
    corpora want short long-term contexts; repetitive songs a long short-term one."""
    fit, valid = split_by_piece(train, held_out=0.15, seed=seed + 2)
    if not valid or not fit:
        return MarkovConfig()
    enc_fit, enc_valid = _encoded(fit, vocab), _encoded(valid, vocab)

    def score(config: MarkovConfig) -> float:
        return mean_bits(MarkovModel(vocab, degrees, config).fit(enc_fit), enc_valid)[0]

    views = min(CANDIDATE_VIEWS, key=lambda v: score(MarkovConfig(views=v)))
    orders = min(CANDIDATE_ORDERS, key=lambda o: score(MarkovConfig(views=views, max_order=o[0], stm_order=o[1], escape=o[2])))
    return MarkovConfig(views=views, max_order=orders[0], stm_order=orders[1], escape=orders[2])


def train_style_model(pieces: list[Piece], *, degrees: int, checkpoint: Path, transformer: TransformerConfig | None,
                      markov: MarkovConfig | None = None, seed: int = 0,
                      report: Callable[[float, str], None] = lambda p, m: None,
                      judge: Callable[[object, Vocabulary, list[Piece]], float] | None = None) -> TrainingResult:
    """``judge(predictor, vocab, held_out)``: how close a model's examples come to the held-out
    pieces (fidelity.judge); where PPM and the transformer differ by CHOICE_MARGIN or more on it,
    it chooses between them, else bits per note do."""
    notes = sum(len(p.notes) for p in pieces)
    if notes < MIN_NOTES:
        raise ValueError(f"{notes} notes is too few to learn from (at least {MIN_NOTES})")
    split = "by piece"
    units = pieces
    if len(pieces) < 5:
        units, split = phrases(pieces), "by phrase (fewer than 5 pieces)"
    if len(units) < 5:
        units, split = chunks(pieces, 5), "by fifths of the pieces (fewer than 5 phrases)"
    train, test = split_by_piece(units, held_out=0.2, seed=seed)
    vocab = Vocabulary.for_pieces(pieces)
    enc_train, enc_test = _encoded(train, vocab), _encoded(test, vocab)
    started = time.monotonic()
    report(BASELINES, f"{notes} notes in {len(pieces)} pieces; measuring the baselines")
    order1 = MarkovModel(vocab, degrees, MarkovConfig(views=("pitch",), max_order=1, short_term=False)).fit(enc_train)
    config = markov or choose_markov_config(train, vocab, degrees, seed=seed)
    ppm = MarkovModel(vocab, degrees, config).fit(enc_train)
    bits = {"unigram": unigram_bits(enc_train, enc_test, vocab.size)}
    bits["markov_order1"], _ = mean_bits(order1, enc_test)
    bits["markov"], duration_bits = mean_bits(ppm, enc_test)
    report(LEARNING, f"Markov model: {bits['markov']:.3f} bits per note held out")
    net = None
    if transformer is not None and notes < transformer.min_notes:
        transformer = None  # too small a corpus: it would only learn the pieces by heart, slowly
    if transformer is not None:
        # torch only where a transformer is trained: a web process imports this module and never trains
        from .transformer import TransformerPredictor, piece_bits, train_transformer

        def scaled(p, m):
            report(LEARNING + (CHOOSING - LEARNING) * p, m)

        fit, valid = split_by_piece(train, held_out=0.1, seed=seed + 1)  # early stopping, never the test set
        net = train_transformer([encode_piece(p, vocab) for p in fit], pitch_vocab=vocab.size,
                                duration_vocab=DURATION_ALPHABET, config=transformer, checkpoint=checkpoint,
                                report=scaled, valid=[encode_piece(p, vocab) for p in valid])
        bits["transformer"] = float(np.mean([b for p, d, _ in enc_test for b in piece_bits(net, p, d)[0]]))
    chosen, heard, by_ear = "markov", {}, False
    if net is not None:
        chosen = "transformer" if bits["transformer"] < bits["markov"] else "markov"
        if judge is not None:  # what an educator hears decides; bits per note only between equals
            heard = {"markov": judge(ppm.for_generation(), vocab, test), "transformer": judge(TransformerPredictor(net), vocab, test)}
            by_ear = abs(heard["transformer"] - heard["markov"]) >= CHOICE_MARGIN
            chosen = max(heard, key=heard.get) if by_ear else chosen
    final = MarkovModel(vocab, degrees, config).fit(_encoded(pieces, vocab))  # chosen on held-out data, then fit on all
    metrics = {
        "notes": notes, "pieces": len(pieces), "split": split, "train_units": len(train), "held_out_units": len(test),
        "held_out_notes": sum(len(p) for p, _, _ in enc_test),
        "bits_per_note": {k: round(v, 4) for k, v in bits.items()},
        "duration_bits_per_note": round(duration_bits, 4),
        "markov_views": list(config.views), "markov_orders": [config.max_order, config.stm_order],
        "markov_escape": config.escape, "chosen": chosen,
        "chosen_by": "examples' fidelity" if by_ear else "bits per note",
        "examples_fidelity": {k: round(v, 4) for k, v in heard.items()}, "train_seconds": round(time.monotonic() - started, 2),
        "transformer_parameters": net.parameter_count() if net is not None else None,
        "transformer_resumed_from_step": getattr(net, "resumed_from_step", 0) if net is not None else None,
        "transformer_stopped_at_step": getattr(net, "stopped_at_step", None) if net is not None else None,
        "measure": "pitch symbol (step of the tradition's pitch set, or rest), held out",
    }
    report(CHOOSING, f"chose the {chosen} model")
    unseen = TransformerPredictor(net) if chosen == "transformer" else ppm.for_generation()
    return TrainingResult(metrics, vocab, final, net, chosen, test, train, unseen)
