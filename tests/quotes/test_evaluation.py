"""The PolNeAR scorer on tiny hand-made brat files (pure: no database)."""

import json
from dataclasses import dataclass

import pytest

from apps.quotes.extraction import evaluation as ev

TEXT = (
    "“We will win,” Smith said. “Believe me.”\n"
    "Jones said the plan was doomed.\n"
    '"Taxes are theft," a spokesman added, "and we oppose them."\n'
    "The sky is blue.\n"
    "He read “a poem” aloud.\n"
)


def offsets(fragment, start=0):
    i = TEXT.index(fragment, start)
    return i, i + len(fragment)


def ann_line(tid, label, *fragments):
    spans = ";".join(f"{s} {e}" for s, e in fragments)
    text = " ".join(TEXT[s:e] for s, e in fragments)
    return f"{tid}\t{label} {spans}\t{text}"


def write_corpus(tmp_path, files):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    for name, content in files.items():
        folder = "text" if name.endswith(".txt") else "attributions"
        (tmp_path / folder / name).write_text(content, encoding="utf-8", newline="")
    return tmp_path


def gold_ann():
    q1 = offsets("“We will win,”")
    q2 = offsets("“Believe me.”")
    smith = offsets("Smith")
    said1 = offsets("said")
    jones = offsets("Jones")
    said2 = offsets("said", jones[1])
    plan = offsets("the plan was doomed")
    t1 = offsets('"Taxes are theft,"')
    t2 = offsets('"and we oppose them."')
    added = offsets("added")
    sky = offsets("The sky is blue.")
    return "\n".join(
        [
            ann_line("T1", "Content", q1, q2),  # discontinuous: split around its cue
            ann_line("T2", "Source", smith),
            ann_line("T3", "Cue", said1),
            ann_line("T4", "Attribution", said1),
            "E1\tAttribution:T4 Content:T1 Source:T2 Cue:T3",
            ann_line("T5", "Source", jones),
            ann_line("T6", "Cue", said2),
            ann_line("T7", "Content", plan),
            ann_line("T8", "Attribution", said2),
            "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7",
            ann_line("T9", "Content", t1, t2),
            ann_line("T10", "Cue", added),
            ann_line("T11", "Attribution-no-source", added),
            "E3\tAttribution-no-source:T11 Content:T9 Cue:T10",
            ann_line("T12", "Discard", sky),
            ann_line("T13", "Discuss", sky),
            "#1\tAnnotatorNotes T12\tnot an attribution",
            "",
        ]
    )


def test_parse_fragments():
    assert ev.parse_fragments("315 448;463 553") == ((315, 448), (463, 553))
    assert ev.parse_fragments("10 20") == ((10, 20),)


def test_parse_ann_reads_events_discontinuous_spans_and_no_source():
    attributions = ev.parse_ann(gold_ann())
    assert len(attributions) == 3
    smith, jones, spokesman = attributions
    assert smith.content == (offsets("“We will win,”"), offsets("“Believe me.”"))
    assert smith.source == (offsets("Smith"),)
    assert smith.cue == (offsets("said"),)
    assert not smith.no_source
    assert jones.content == (offsets("the plan was doomed"),)
    assert spokesman.no_source
    assert spokesman.source is None
    assert spokesman.cue == (offsets("added"),)
    # Discard/Discuss spans and notes leave no trace
    assert all(offsets("The sky is blue.") not in a.content for a in attributions)


def test_parse_ann_joins_content2_and_ignores_events_without_content():
    ann = "\n".join(
        [
            "T1\tContent 0 5\tabcde",
            "T2\tContent 10 15\tklmno",
            "T3\tAttribution 6 9\tghi",
            "E1\tAttribution:T3 Content:T1 Content2:T2",
            "T4\tAttribution 20 22\tuv",
            "T5\tDiscard 30 32\txy",
            "E2\tAttribution:T4 Content:T5",
        ]
    )
    (only,) = ev.parse_ann(ann)
    assert only.content == ((0, 5), (10, 15))
    assert only.source is None and only.cue is None


def test_load_corpus_uses_the_first_annotator_file(tmp_path):
    other = "T1\tContent 0 4\t“We \nT2\tAttribution 0 1\t“\nE1\tAttribution:T2 Content:T1\n"
    write_corpus(
        tmp_path,
        {
            "art.txt": TEXT,
            "art_bbbb.ann": other,
            "art_aaaa.ann": gold_ann(),
            "lonely_cccc.ann": other,  # no text file: skipped
        },
    )
    assert ev.annotation_files(tmp_path / "attributions")["art"].name == "art_aaaa.ann"
    (doc,) = ev.load_corpus(tmp_path)
    assert doc.name == "art"
    assert doc.text == TEXT
    assert len(doc.attributions) == 3


def test_offsets_are_read_without_newline_translation(tmp_path):
    text = "Intro.\r\n“Hi,” she said.\r\n"
    start = text.index("“")
    ann = (
        f"T1\tContent {start} {start + 5}\t“Hi,”\n"
        "T2\tAttribution 0 1\tI\nE1\tAttribution:T2 Content:T1\n"
    )
    write_corpus(tmp_path, {"crlf.txt": text, "crlf_x.ann": ann})
    (doc,) = ev.load_corpus(tmp_path)
    (attribution,) = doc.attributions
    s, e = attribution.content[0]
    assert doc.text[s:e] == "“Hi,”"


def test_direct_units_split_at_marks_and_paragraphs():
    text = "“A b,” he said. “C d.”\n“E f.”\nx"
    whole = ev.GoldAttribution(content=((0, len(text) - 2),), source=None, cue=None)
    units = [text[u.start : u.end] for u in ev.direct_units(text, whole)]
    assert units == ["“A b,” he said. “C d.”", "“E f.”"]
    adjacent = "“One.” “Two.”"
    both = ev.GoldAttribution(content=((0, len(adjacent)),), source=None, cue=None)
    assert [adjacent[u.start : u.end] for u in ev.direct_units(adjacent, both)] == [
        "“One.”",
        "“Two.”",
    ]


def test_normalise_trims_marks_space_and_edge_punctuation():
    text = "  “We will win,”  "
    s, e = ev.normalise(text, 0, len(text))
    assert text[s:e] == "We will win"


@dataclass(frozen=True)
class M:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class P:
    start: int
    end: int
    kind: str
    speaker: M | None
    cue: M | None
    speaker_name: str = ""


def mention(fragment, start=0):
    s, e = offsets(fragment, start)
    return M(s, e, fragment)


def stub_predictions():
    jones = offsets("Jones")
    return [
        # matches unit 1, right speaker and cue
        P(*offsets("“We will win,”"), "direct", mention("Smith"), mention("said")),
        # matches unit 2, wrong speaker, no cue
        P(*offsets("“Believe me.”"), "direct", mention("Jones"), None),
        # indirect: overlaps the Jones content, not counted as direct
        P(*offsets("the plan was doomed"), "indirect", mention("Jones"), mention("said", jones[1])),
        # matches a no-source unit while predicting a speaker: wrong speaker; cue right
        P(*offsets('"Taxes are theft,"'), "direct", mention("a spokesman"), mention("added")),
        # spurious direct quotation overlapping nothing
        P(*offsets("“a poem”"), "direct", None, None),
    ]


def test_scoring_arithmetic_on_a_stub_extractor(tmp_path):
    write_corpus(tmp_path, {"art.txt": TEXT, "art_aaaa.ann": gold_ann()})
    docs = ev.load_corpus(tmp_path)
    result, errors = ev.evaluate(docs, lambda text: stub_predictions())
    direct = result["direct"]
    # gold units: “We will win,” / “Believe me.” / "Taxes are theft," / "and we oppose them."
    assert (direct["gold"], direct["predicted"], direct["matched"]) == (4, 4, 3)
    assert direct["precision"] == pytest.approx(3 / 4)
    assert direct["recall"] == pytest.approx(3 / 4)
    assert direct["f1"] == pytest.approx(3 / 4)
    # speakers: Smith right; Jones wrong; a spokesman wrong (gold has no source)
    assert result["speaker"]["correct"] == 1
    assert result["speaker"]["accuracy"] == pytest.approx(1 / 3)
    # cues: predicted on 2 matched quotes, both hit; gold cue on all 3 matched
    cue = result["cue"]
    assert (cue["hits"], cue["predicted"], cue["gold"]) == (2, 2, 3)
    assert cue["precision"] == pytest.approx(1.0)
    assert cue["recall"] == pytest.approx(2 / 3)
    assert cue["f1"] == pytest.approx(0.8)
    # overlap: 4 of 5 predictions overlap a gold content; all 3 gold contents are hit
    overlap = result["overlap"]
    assert (overlap["predicted"], overlap["predicted_matched"]) == (5, 4)
    assert (overlap["gold"], overlap["gold_matched"]) == (3, 3)
    assert overlap["precision"] == pytest.approx(0.8)
    assert overlap["recall"] == pytest.approx(1.0)
    assert overlap["f1"] == pytest.approx(2 * 0.8 / 1.8)
    assert result["timing"]["max_seconds_per_1000_words"] >= 0
    assert len(errors["missed"]) == 1 and "oppose" in errors["missed"][0]
    assert len(errors["spurious"]) == 1 and "poem" in errors["spurious"][0]
    assert len(errors["speaker"]) == 2
    report = ev.format_report(result)
    assert "direct quotations" in report and "0.750" in report
    assert json.loads(ev.to_json(result))["direct"]["matched"] == 3


def test_prf_handles_empty_counts():
    assert ev.prf(0, 0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_predictions_opening_with_two_apostrophes_are_not_direct_for_scoring(tmp_path):
    text = "''It is,'' she said.\n"
    write_corpus(tmp_path, {"a.txt": text, "a_x.ann": ""})
    docs = ev.load_corpus(tmp_path)
    result, _ = ev.evaluate(docs, lambda t: [P(0, 10, "direct", None, None)])
    assert result["direct"]["predicted"] == 0
    assert result["overlap"]["predicted"] == 1


def test_real_extractor_runs_on_the_tiny_corpus(tmp_path):
    from apps.quotes.extraction import extract

    write_corpus(tmp_path, {"art.txt": TEXT, "art_aaaa.ann": gold_ann()})
    result, _ = ev.evaluate(ev.load_corpus(tmp_path), extract)
    assert result["direct"]["matched"] >= 3
    assert result["articles"] == 1
