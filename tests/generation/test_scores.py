"""Scores a student can read. A free-rhythm example is engraved unmetered: no time signature or
metronome mark, a few simple note values, a tick at each phrase end instead of bars, and no bar
numbers. The exact timing stays in the MIDI and the audio. A graded practice set's constraints
grow from the first example to the last, and the set's PDF holds every score."""
import math

from lxml import etree

from generation.ml import render
from generation.ml.grading import graded
from generation.ml.sampling import Constraints
from generation.ml.scores_pdf import printable, scores_pdf
from generation.ml.tokens import Note, PitchSet
from tests.official_schemas import assert_valid_xml

HICAZ = PitchSet((0.0, 113.0, 385.0, 498.0, 702.0, 792.0, 1018.0))
SECONDS = [0.31, 0.62, 0.45, 1.4, 0.2, 2.5, 0.5, 0.8, 0.33, 1.1, 0.6, 3.0]


def _free_example():
    notes = [Note(step=i % 7, duration=d, phrase_end=i in (4, 11)) for i, d in enumerate(SECONDS)]
    return render.place(notes, HICAZ, tonic_hz=220.0, tempo_bpm=60, pulse=False)


def test_free_rhythm_is_engraved_unmetered_with_simple_values_and_phrase_ticks():
    events = _free_example()
    xml = render.musicxml(events, title="free", credit="c", tempo_bpm=60, metre=None)
    root = etree.fromstring(xml)
    assert root.find(".//time/senza-misura") is not None and root.find(".//time/beats") is None
    assert root.find(".//metronome") is None and root.find(".//clef/sign") is not None
    assert root.find(".//tie") is None  # never split across a 4/4 the music does not have
    measures = root.findall(".//measure")
    assert all(m.get("implicit") == "yes" for m in measures)
    styles = [b.findtext("bar-style") for b in root.iter("barline")]
    assert styles.count("tick") == 1 and styles[-1] == "light-heavy"  # the first phrase end, then the end
    divisions = int(root.findtext(".//divisions"))
    written = [int(n.findtext("duration")) / divisions for n in root.iter("note")]
    assert set(written) <= set(render.SIMPLE_VALUES) and len(written) == len(SECONDS)
    assert written[SECONDS.index(3.0)] == 4.0 and written[SECONDS.index(0.2)] == 0.5  # longest long, shortest short
    assert written[SECONDS.index(0.62)] == 1.0  # the typical note (the median) is a quarter
    alters = [float(a.text) for a in root.iter("alter")]
    assert any(not math.isclose(a, round(a)) for a in alters)  # the tuning is still exact
    midi = render.midi(events, tempo_bpm=60)
    assert math.isclose(sum(e.seconds for e in events), sum(SECONDS), rel_tol=1e-6) and midi  # timing kept as played


def test_a_graded_set_grows_from_narrow_and_short_to_what_was_asked():
    levels = {"easy": {"max_leap": 2, "min_duration": 0.5}, "medium": {"max_leap": 3, "min_duration": 0.25},
              "tradition": {"max_leap": 5, "min_duration": 0.125}}
    steps = graded(Constraints(length_notes=24, seed=10), count=5, levels=levels, degrees=7)
    assert [c.length_notes for c in steps] == [8, 12, 16, 20, 24] and [c.seed for c in steps] == [10, 11, 12, 13, 14]
    assert [c.max_leap for c in steps] == [2, 2, 3, 5, 5]  # easy, medium, then as the tradition plays: thirds
    assert [c.min_duration for c in steps] == [0.5, 0.5, 0.25, 0.125, 0.125]
    assert (steps[0].low_step, steps[0].high_step) == (0, 4) and (steps[-1].low_step, steps[-1].high_step) == (-3, 10)
    narrow = graded(Constraints(length_notes=6, low_step=2, high_step=5), count=3, levels=levels, degrees=7)
    assert all(c.length_notes == 6 and 2 <= c.low_step <= c.high_step <= 5 for c in narrow)  # never past what was asked


def test_the_scores_pdf_holds_every_score_page():
    xml = render.musicxml(_free_example(), title="free", credit="c", tempo_bpm=60, metre=None)
    pdf = scores_pdf([("1. first", render.print_pages(xml)), ("2. second", render.print_pages(xml))],
                     title="Set", footer="Set")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(
        b"/Type /Page>") == 2


def test_the_metronome_mark_is_printed_in_words_the_pdf_font_has():
    """verovio sets the mark's note as a SMuFL character in a font svglib cannot load (a box on
    paper): the PDF's copy reads "M.M. = 90", and no other character of the score changes."""
    notes = [Note(step=s, duration=1.0) for s in (0, 2, 4, 5, 7, 5)]
    events = render.place(notes, PitchSet.equal(12), tonic_hz=261.6, tempo_bpm=90, pulse=True)
    svg = render.print_pages(render.musicxml(events, title="t", credit="c", tempo_bpm=90, metre="3/4"))[0]
    tempo = svg[svg.index('class="tempo"'):]
    tempo = tempo[:tempo.index("</g>")]
    assert any(0xE000 <= ord(c) <= 0xF8FF for c in tempo)  # as verovio draws it on the screen
    printed = printable(svg)
    printed_tempo = printed[printed.index('class="tempo"'):]
    printed_tempo = printed_tempo[:printed_tempo.index("</g>")]
    assert "M.M." in printed_tempo and not any(0xE000 <= ord(c) <= 0xF8FF for c in printed_tempo)
    assert printed.replace(printed_tempo, "") == svg.replace(tempo, "")


def test_a_traditions_own_names_for_its_degrees_are_written_under_the_staff():
    from music.notation import check_notation, notation_from

    sargam = notation_from({"system": "sargam"})
    assert [sargam.name(c) for c in (0, 112, 390, 702, 1090)] == ["Sa", "re", "Ga", "Pa", "Ni"]
    assert sargam.name(1200) == "Sa\u0307" and sargam.name(1190) == "Sa\u0307" and sargam.name(-100) == "Ni\u0323"
    assert notation_from({"system": "jianpu"}).name(700 - 1200) == "5\u0323"
    own = notation_from({"system": "sargam", "names": [[112, "re (komal)"]]})
    assert own.name(115) == "re (komal)" and own.name(0) == "Sa"  # the community's word where it gave one
    assert notation_from({}) is None
    for bad in ({"system": "solfa"}, {"system": "names"}, {"system": "names", "names": [[1300, "x"]]},
                {"system": "sargam", "names": [["a", "x"]]}):
        try:
            check_notation(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} was taken")

    notes = [Note(step=s, duration=1.0, phrase_end=i == 4) for i, s in enumerate([0, 1, 2, 4, 7])]
    events = render.place(notes, HICAZ, tonic_hz=220.0, tempo_bpm=60, pulse=True)
    names = [sargam.name(HICAZ.cents_of(n.step)) for n in notes]
    xml = render.musicxml(events, title="named", credit="c", tempo_bpm=60, names=names)
    assert_valid_xml("musicxml", xml)
    assert [t.text for t in etree.fromstring(xml).iter("text")] == ["Sa", "re", "Ga", "Pa", "Sa\u0307"]
    assert "Ga" in "".join(render.svg_pages(xml)[0].split())  # engraved under the staff by verovio


def test_a_transcription_is_named_in_the_traditions_notation_too():
    from archive.analysis.export import notes_to_musicxml
    from archive.analysis.notes import Note as Heard
    from music.notation import notation_from

    heard = [Heard(onset=i * 0.5, duration=0.4, hz=220.0 * 2 ** (c / 1200), cents=c, degree=None, deviation=None)
             for i, c in enumerate([0, 200, 700, 1200])]
    xml = notes_to_musicxml(heard, title="t", notation=notation_from({"system": "jianpu"}))
    assert_valid_xml("musicxml", xml)
    assert [t.text for t in etree.fromstring(xml).iter("text")] == ["1", "2", "5", "1\u0307"]


def test_turkish_makam_is_written_with_arel_ezgi_uzdilek_signs_that_verovio_engraves():
    """A hicaz-like line on A (dügâh): the commas above each natural choose the AEU sign (koma 1,
    bakiye 4, küçük mücenneb 5, büyük mücenneb 8), the alter stays exact, and verovio draws the
    SMuFL glyphs (U+E440–E447) in the SVG; the schema takes the MusicXML."""
    from music.notation import notation_from
    from music.pitch import COMMAS, scale_letters, spell_aeu

    comma = 12.0 / COMMAS  # in semitones
    a4 = 69.0
    assert spell_aeu(a4) == ("A", 0.0, 4, None)
    assert spell_aeu(a4 + 5 * comma)[0::3] == ("B", ("slash-flat", "accidentalBakiyeFlat"))  # B♭ bakiye: 4 under B
    assert spell_aeu(a4 + 9 * comma - 1 * comma)[0::3] == ("B", ("other", "accidentalKomaFlat"))  # segâh
    assert spell_aeu(72.0 + 5 * comma)[0::3] == ("D", ("slash-flat", "accidentalBakiyeFlat"))  # the smaller sign
    assert spell_aeu(72.0 + 5 * comma, "C")[0::3] == ("C", ("sharp", "accidentalKucukMucennebSharp"))  # hicaz's C♯
    step, alter, octave, sign = spell_aeu(60.0 + 18 * comma)  # E natural in AEU, 7.5 ¢ over 12-TET
    assert (step, sign) == ("E", None) and math.isclose(alter, 18 * comma - 4, abs_tol=1e-3) and octave == 4
    aeu = notation_from({"system": "aeu"})
    assert aeu.aeu and aeu.name(0) is None  # signs on the staff; no names unless the community gives them
    named = notation_from({"system": "aeu", "names": [[0, "Dügâh"]]})
    assert named.name(1200) == "Dügâh\u0307"

    hicaz_commas = [0, 5, 17, 22, 31, 35, 44, 53]  # dügâh, dik kürdî, nim hicaz, nevâ, hüseynî, acem, gerdaniye
    notes = [Note(step=s, duration=1.0, phrase_end=i == 7) for i, s in enumerate(range(8))]
    pitch_set = PitchSet(tuple(c * 1200 / COMMAS for c in hicaz_commas[:-1]))
    events = render.place(notes, pitch_set, tonic_hz=440.0, tempo_bpm=60, pulse=True)
    letters = scale_letters(a4, [n.step for n in notes], 7)
    assert letters == list("ABCDEFGA")  # each degree keeps its letter: B♭ and C♯, never A♯ and D♭
    xml = render.musicxml(events, title="aeu", credit="c", tempo_bpm=60, metre="4/4", aeu=True, letters=letters)
    assert_valid_xml("musicxml", xml)
    glyphs = [a.get("smufl") for a in etree.fromstring(xml).iter("accidental")]
    assert glyphs and all(g and g.startswith("accidental") for g in glyphs)
    steps = [n.findtext("pitch/step") for n in etree.fromstring(xml).iter("note") if n.find("pitch") is not None]
    assert steps == list("ABCDEFGA")
    assert {"accidentalBakiyeFlat", "accidentalBakiyeSharp"} <= set(glyphs)  # B♭ and C♯ four commas from B and C
    alters = [float(a.text) for a in etree.fromstring(xml).iter("alter")]
    assert any(not math.isclose(a * 100 % 100, 0, abs_tol=1) for a in alters)  # exact, not rounded to a sign
    svg = "".join(render.svg_pages(xml))
    assert any(f"#E44{k}" in svg for k in range(8)), "verovio drew no AEU glyph"
