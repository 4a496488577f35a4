"""The transformer's settings, apart from the model so that reading or writing them (the web
process, a service choosing whether to train one) never loads torch."""
from dataclasses import dataclass


@dataclass
class TransformerConfig:
    d_model: int = 192
    layers: int = 4
    heads: int = 4
    ff: int = 768
    context: int = 128
    dropout: float = 0.1
    steps: int = 1200
    batch: int = 32
    lr: float = 2e-3
    warmup: int = 100
    checkpoint_every: int = 100
    seed: int = 0
    patience: int = 3    # checkpoints without a better validation score before training stops (0: never)
    min_notes: int = 0   # a corpus with fewer notes does not start a transformer (train.py)
