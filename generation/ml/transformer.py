"""A small decoder-only transformer over (pitch, duration) events, trained on CPU in minutes.
Training keeps a checkpoint (model, optimiser, step, random state) written atomically, and a
run that finds one resumes from it: a worker killed mid-training loses at most a few steps."""
from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .transformer_config import TransformerConfig  # noqa: F401 (the config lives apart, without torch)

Sequence2 = tuple[list[int], list[int]]


class MelodyTransformer(nn.Module):
    def __init__(self, pitch_vocab: int, duration_vocab: int, config: TransformerConfig):
        super().__init__()
        d = config.d_model
        self.config = config
        self.pitch_vocab, self.duration_vocab = pitch_vocab, duration_vocab
        self.pitch_in = nn.Embedding(pitch_vocab + 1, d)  # + the start symbol
        self.duration_in = nn.Embedding(duration_vocab + 1, d)
        self.position = nn.Embedding(config.context, d)
        layer = nn.TransformerEncoderLayer(d, config.heads, config.ff, config.dropout, batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.pitch_out = nn.Linear(d, pitch_vocab)
        self.duration_out = nn.Linear(d, duration_vocab)

    def forward(self, pitches: torch.Tensor, durations: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Inputs are the previous events (start symbol first); outputs predict the next ones."""
        length = pitches.shape[1]
        x = self.pitch_in(pitches) + self.duration_in(durations) + self.position(torch.arange(length))
        mask = nn.Transformer.generate_square_subsequent_mask(length)
        h = self.norm(self.body(x, mask=mask, is_causal=True))
        return self.pitch_out(h), self.duration_out(h)

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())


def _inputs(pitches: list[int], durations: list[int], pitch_vocab: int, duration_vocab: int):
    """Shift right behind the start symbol: the input at t is the event t-1."""
    return [pitch_vocab, *pitches[:-1]], [duration_vocab, *durations[:-1]]


def _batch(pieces: list[Sequence2], config: TransformerConfig, pv: int, dv: int, rng: np.random.Generator):
    n = config.context
    p_in = torch.full((config.batch, n), pv, dtype=torch.long)
    d_in = torch.full((config.batch, n), dv, dtype=torch.long)
    p_out = torch.full((config.batch, n), -100, dtype=torch.long)
    d_out = torch.full((config.batch, n), -100, dtype=torch.long)
    lengths = np.array([len(p) for p, _ in pieces], dtype=float)
    chosen = rng.choice(len(pieces), size=config.batch, p=lengths / lengths.sum())
    for row, index in enumerate(chosen):
        pitches, durations = pieces[index]
        pi, di = _inputs(pitches, durations, pv, dv)
        start = int(rng.integers(0, max(1, len(pitches) - n + 1)))
        end = min(len(pitches), start + n)
        width = end - start
        p_in[row, :width] = torch.tensor(pi[start:end])
        d_in[row, :width] = torch.tensor(di[start:end])
        p_out[row, :width] = torch.tensor(pitches[start:end])
        d_out[row, :width] = torch.tensor(durations[start:end])
    return p_in, d_in, p_out, d_out


def _save(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def train_transformer(pieces: list[Sequence2], *, pitch_vocab: int, duration_vocab: int, config: TransformerConfig,
                      checkpoint: Path, report: Callable[[float, str], None] = lambda p, m: None,
                      valid: list[Sequence2] | None = None, stop_after: int | None = None) -> MelodyTransformer:
    """Train (or resume) to ``config.steps``; ``stop_after`` ends early (to test resuming).
    With ``valid`` pieces, each checkpoint measures them and the best weights are the result
    (small corpora over-fit long before the last step)."""
    torch.manual_seed(config.seed)
    model = MelodyTransformer(pitch_vocab, duration_vocab, config)
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=0.01)
    rng = np.random.default_rng(config.seed)
    step = 0
    best: tuple[float, dict] | None = None
    best_step = 0
    model.resumed_from_step = 0
    if checkpoint.exists():
        saved = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(saved["model"])
        optimiser.load_state_dict(saved["optimiser"])
        step = model.resumed_from_step = saved["step"]
        rng.bit_generator.state = saved["rng"]
        torch.set_rng_state(saved["torch_rng"])
        best = saved.get("best")
        best_step = saved.get("best_step", step)

    def lr_at(s: int) -> float:
        if s < config.warmup:
            return config.lr * (s + 1) / config.warmup
        progress = (s - config.warmup) / max(1, config.steps - config.warmup)
        return config.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))

    model.train()
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    done_here = 0
    while step < config.steps:
        for group in optimiser.param_groups:
            group["lr"] = lr_at(step)
        p_in, d_in, p_out, d_out = _batch(pieces, config, pitch_vocab, duration_vocab, rng)
        p_logits, d_logits = model(p_in, d_in)
        loss = loss_fn(p_logits.reshape(-1, pitch_vocab), p_out.reshape(-1)) + \
            loss_fn(d_logits.reshape(-1, duration_vocab), d_out.reshape(-1))
        optimiser.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        step += 1
        done_here += 1
        if step % config.checkpoint_every == 0 or step == config.steps:
            message = f"transformer step {step} of {config.steps}, loss {loss.item():.3f}"
            if valid:
                model.eval()
                bits = float(np.mean([b for p, d in valid for b in piece_bits(model, p, d)[0]]))
                model.train()
                if best is None or bits < best[0]:
                    best = (bits, {k: v.detach().clone() for k, v in model.state_dict().items()})
                    best_step = step
                message += f", validation {bits:.3f} bits per note"
            _save(checkpoint, {"model": model.state_dict(), "optimiser": optimiser.state_dict(), "step": step,
                               "rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state(), "best": best,
                               "best_step": best_step, "config": asdict(config), "vocab": [pitch_vocab, duration_vocab]})
            report(step / config.steps, message)
            if valid and config.patience and step - best_step >= config.patience * config.checkpoint_every:
                break  # early stopping: it has stopped getting better on melodies it does not learn from
        if stop_after is not None and done_here >= stop_after:
            break
    model.stopped_at_step = step
    if best is not None:
        model.load_state_dict(best[1])
    model.eval()
    return model


def load_transformer(checkpoint: Path) -> MelodyTransformer:
    saved = torch.load(checkpoint, weights_only=False)
    pitch_vocab, duration_vocab = saved["vocab"]
    model = MelodyTransformer(pitch_vocab, duration_vocab, TransformerConfig(**saved["config"]))
    model.load_state_dict(saved["best"][1] if saved.get("best") else saved["model"])
    model.eval()
    return model


@torch.no_grad()
def piece_bits(model: MelodyTransformer, pitches: list[int], durations: list[int]) -> tuple[list[float], list[float]]:
    """-log2 P of each event of a held-out piece; long pieces in overlapping windows, each
    event scored with at least half a window of context."""
    n = model.config.context
    pi, di = _inputs(pitches, durations, model.pitch_vocab, model.duration_vocab)
    pitch_bits: list[float] = [0.0] * len(pitches)
    duration_bits: list[float] = [0.0] * len(pitches)
    start, scored = 0, 0
    while scored < len(pitches):
        end = min(len(pitches), start + n)
        p_logits, d_logits = model(torch.tensor([pi[start:end]]), torch.tensor([di[start:end]]))
        p_log = torch.log_softmax(p_logits[0], -1) / math.log(2)
        d_log = torch.log_softmax(d_logits[0], -1) / math.log(2)
        for t in range(scored - start, end - start):
            pitch_bits[start + t] = -float(p_log[t, pitches[start + t]])
            duration_bits[start + t] = -float(d_log[t, durations[start + t]])
        scored = end
        start = max(0, end - n // 2)
    return pitch_bits, duration_bits


class TransformerPredictor:
    """The transformer behind the same start/advance/predict interface as the Markov model."""

    def __init__(self, model: MelodyTransformer):
        self.model = model

    def start(self, tonic_step: int = 0) -> dict:
        return {"pitches": [], "durations": []}

    def advance(self, state: dict, pitch: int, duration: int) -> None:
        state["pitches"].append(pitch)
        state["durations"].append(duration)

    @torch.no_grad()
    def _logits(self, state: dict):
        """Both distributions for the next event, from one forward pass kept until the piece moves on."""
        cached = state.get("cached")
        if cached is not None and cached[0] == len(state["pitches"]):
            return cached[1]
        n = self.model.config.context
        pitches = [self.model.pitch_vocab, *state["pitches"]][-n:]
        durations = [self.model.duration_vocab, *state["durations"]][-n:]
        p, d = self.model(torch.tensor([pitches]), torch.tensor([durations]))
        out = torch.softmax(p[0, -1], -1).numpy().astype(float), torch.softmax(d[0, -1], -1).numpy().astype(float)
        state["cached"] = (len(state["pitches"]), out)
        return out

    def predict_pitch(self, state: dict) -> np.ndarray:
        return self._logits(state)[0]

    def predict_duration(self, state: dict) -> np.ndarray:
        return self._logits(state)[1]
