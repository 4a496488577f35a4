"""A tradition's own notation beside the staff: names for its degrees written under it (sargam
syllables, jianpu numbers, or names the community gives: its shruti names, its makam's perdes),
or, for Turkish makam, the staff's own signs changed to the Arel-Ezgi-Uzdilek accidentals (music/
pitch.py spells them), with perde names under it where the community gives them. A pitch is named by
the degree nearest it within the octave, with a dot above for each octave up and below for each
octave down, as both sargam and jianpu mark octaves."""
from dataclasses import dataclass

DOT_ABOVE, DOT_BELOW = "\u0307", "\u0323"

# Hindustani sargam: shuddha (natural) degrees capitalised, komal (flat) ones in lower case, tivra
# (sharp) Ma with a mark; Carnatic names can be given by the community as names of its own.
SARGAM = ((0, "Sa"), (100, "re"), (200, "Re"), (300, "ga"), (400, "Ga"), (500, "ma"), (600, "Ma'"), (700, "Pa"),
          (800, "dha"), (900, "Dha"), (1000, "ni"), (1100, "Ni"))
# Jianpu (numbered notation), movable do: 1 is the tonic
JIANPU = ((0, "1"), (100, "♯1"), (200, "2"), (300, "♭3"), (400, "3"), (500, "4"), (600, "♯4"), (700, "5"),
          (800, "♭6"), (900, "6"), (1000, "♭7"), (1100, "7"))
SYSTEMS = {"sargam": SARGAM, "jianpu": JIANPU, "aeu": ()}  # aeu: signs on the staff, names only if given
MAX_NAME = 16


@dataclass(frozen=True)
class Notation:
    system: str  # sargam, jianpu, aeu or names (the community's own)
    names: tuple[tuple[float, str], ...]  # (cents above the tonic within the octave, name)

    @property
    def aeu(self) -> bool:
        """The staff's accidentals are Turkish makam's Arel-Ezgi-Uzdilek signs."""
        return self.system == "aeu"

    def name(self, cents_from_tonic: float) -> str | None:
        """The degree's name with its octave dots; None where the notation names no degrees."""
        if not self.names:
            return None
        octave, within = divmod(cents_from_tonic + 0.0, 1200.0)
        cents, name = min(self.names, key=lambda pair: min(abs(pair[0] - within), 1200 - abs(pair[0] - within)))
        if within - cents > 600:  # nearer the next octave's first degree
            octave += 1
        octave = int(octave)
        return name + (DOT_ABOVE * octave if octave > 0 else DOT_BELOW * -octave)


def notation_from(value: dict | None) -> Notation | None:
    """A tradition's notation as stored ({"system", "names": [[cents, name], …]}); names given by the
    community replace the system's where they name the same degree. None: the staff alone."""
    if not value or not value.get("system"):
        return None
    system = value["system"]
    names = dict(SYSTEMS.get(system, ()))
    for cents, name in value.get("names") or []:
        names[float(cents)] = name
    return Notation(system, tuple(sorted(names.items()))) if names or system == "aeu" else None


def check_notation(value) -> dict:
    """Raise ValueError with a readable message for what is not a notation; return it, tidied."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict) or value.get("system") not in (*SYSTEMS, "names"):
        raise ValueError(f"the system must be one of {', '.join((*SYSTEMS, 'names'))}")
    names = value.get("names") or []
    if not isinstance(names, list):
        raise ValueError("names must be a list of [cents, name] pairs")
    tidy = []
    for pair in names:
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and isinstance(pair[0], (int, float))
                and isinstance(pair[1], str) and pair[1].strip()):
            raise ValueError("each name is a [cents, name] pair")
        if not 0 <= pair[0] < 1200 or len(pair[1].strip()) > MAX_NAME:
            raise ValueError(f"cents run from 0 to 1200 and a name has at most {MAX_NAME} characters")
        tidy.append([float(pair[0]), pair[1].strip()])
    if value["system"] == "names" and not tidy:
        raise ValueError("a notation of the community's own names needs its names")
    return {"system": value["system"], "names": tidy}
