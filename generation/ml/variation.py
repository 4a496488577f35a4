"""A real phrase varied or continued by a style model. A variation keeps the phrase's opening (its
first quarter) and its cadence (the last two notes) and samples the middle after hearing the
opening. A continuation hears the whole phrase and goes on from it."""
from .sampling import Constraints, sample
from .tokens import Note


def variation(mode: str, phrase: list[Note], predictor, vocab, degrees: int, *, length_notes: int, seed: int,
              temperature: float, end_degree: int | None) -> list[Note]:
    if mode == "continue":
        more = sample(predictor, vocab, degrees, Constraints(length_notes=length_notes, start_degree=None,
                                                             end_degree=end_degree, seed=seed, temperature=temperature),
                      prefix=tuple(phrase))
        return [*phrase[:-1], Note(phrase[-1].step, phrase[-1].duration), *more]
    opening = phrase[:max(1, len(phrase) // 4)]
    cadence = phrase[-2:] if len(phrase) >= 4 else phrase[-1:]
    middle = sample(predictor, vocab, degrees, Constraints(length_notes=max(1, len(phrase) - len(opening) - len(cadence)),
                                                           start_degree=None, end_degree=None, seed=seed,
                                                           temperature=temperature, rests=False), prefix=tuple(opening))
    middle[-1] = Note(middle[-1].step, middle[-1].duration, middle[-1].deviation)  # the phrase ends at the cadence
    return [*opening, *middle, *cadence]
