"""evaluate_extraction: current figures, then the data directory's strict scorer, per outlet."""

import json
import re
from io import StringIO

from django.core.management import call_command

from apps.quotes.extraction import extract

FAKE_SCORER = """
import json, os


def main(data_dir, pred_path):
    texts = sorted(os.listdir(os.path.join(data_dir, "text")))
    anns = sorted(os.listdir(os.path.join(data_dir, "attributions")))
    docs = json.load(open(pred_path, encoding="utf-8"))["documents"]
    quotes = sum(len(d["quotes"]) for d in docs)
    paths = sorted(os.path.basename(d["path"]) for d in docs)
    print(f"texts {len(texts)} anns {len(anns)} docs {len(docs)} paths {','.join(paths)}")
    print(
        f"quotation F1 {len(texts) / 10:.3f} speaker {len(docs) / 10:.3f} cue F1 {quotes / 10:.3f} "
        f"all-overlap F1 {len(anns) / 10:.3f} bad spans {len(texts) + len(docs)}"
    )
    return 1
"""

ARTICLES = {
    "nyt_2016-01-01_a": (
        "“We will win,” said Jane Doe.\n“Again,” she said.\n",
        "T1\tContent 0 14\t“We will win,”\n"
        "T2\tCue 15 19\tsaid\n"
        "T3\tSource 20 28\tJane Doe\n"
        "T4\tAttribution 15 19\tsaid\n"
        "E1\tAttribution:T4 Content:T1 Source:T3 Cue:T2\n",
    ),
    "wapo_2016-01-02_b": (
        "The mayor said taxes will rise.\n",
        "T1\tContent 15 31\ttaxes will rise.\n"
        "T2\tCue 10 14\tsaid\n"
        "T3\tSource 0 9\tThe mayor\n"
        "T4\tAttribution 10 14\tsaid\n"
        "E1\tAttribution:T4 Content:T1 Source:T3 Cue:T2\n",
    ),
}


def make_dataset(root, metadata=True):
    data = root / "split"
    (data / "text").mkdir(parents=True)
    (data / "attributions").mkdir()
    for name, (text, ann) in ARTICLES.items():
        (data / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        (data / "attributions" / f"{name}_ab12.ann").write_text(ann, encoding="utf-8")
    if metadata:
        (data / "metadata.tsv").write_text(
            "compartment\tfilename\tpublisher\n"
            "dev\tnyt_2016-01-01_a\tnew-york-times\n"
            "dev\twapo_2016-01-02_b\twashington-post\n",
            encoding="utf-8",
        )
    (root / "score_attributions.py").write_text(FAKE_SCORER, encoding="utf-8")
    return data


def run(*args):
    out = StringIO()
    call_command("evaluate_extraction", *args, stdout=out)
    return out.getvalue()


def test_prints_current_strict_and_per_outlet_figures(tmp_path):
    data = make_dataset(tmp_path)
    output = run(str(data))
    current, _, rest = output.partition("Strict figures (score_attributions.py)")
    assert current.startswith("Current figures")
    assert "ms per 1,000 words" in current and "<= 50 ms" in current
    assert "texts 2 anns 2 docs 2 paths nyt_2016-01-01_a.txt,wapo_2016-01-02_b.txt" in rest
    # The fake scorer reports the number of predictions as "cue F1": one per extracted item.
    counts = {name: len(extract(text)) for name, (text, _) in ARTICLES.items()}
    nyt, wapo = counts["nyt_2016-01-01_a"] / 10, counts["wapo_2016-01-02_b"] / 10
    assert nyt > 0
    total = f"{nyt + wapo:.3f}"
    assert (
        f"quotation F1 0.200 speaker 0.200 cue F1 {total} all-overlap F1 0.200 bad spans 4" in rest
    )
    rows = {
        line.split()[0]: line.split()[1:]
        for line in rest.partition("Per outlet")[2].splitlines()
        if re.match(r"(new-york-times|washington-post)\s", line)
    }
    assert rows == {
        "new-york-times": ["1", "0.100", "0.100", f"{nyt:.3f}", "0.100", "2"],
        "washington-post": ["1", "0.100", "0.100", f"{wapo:.3f}", "0.100", "2"],
    }


def test_publisher_from_filename_prefix_without_metadata(tmp_path):
    data = make_dataset(tmp_path, metadata=False)
    output = run(str(data))
    table = output.partition("Per outlet")[2]
    assert re.search(r"^nyt\s+1\s", table, re.M)
    assert re.search(r"^wapo\s+1\s", table, re.M)


def test_json_carries_strict_and_per_outlet_figures(tmp_path):
    data = make_dataset(tmp_path)
    payload = json.loads(run(str(data), "--json"))
    assert payload["strict"]["summary"]["bad_spans"] == 4
    assert [(r["publisher"], r["articles"]) for r in payload["per_outlet"]] == [
        ("new-york-times", 1),
        ("washington-post", 1),
    ]


def test_missing_scorer_prints_a_note_and_skips_strict_figures(tmp_path):
    data = make_dataset(tmp_path)
    output = run(str(data), "--scorer", str(tmp_path / "absent.py"))
    assert output.startswith("Current figures")
    assert "Strict scorer not found at" in output
    assert "Strict figures" not in output and "Per outlet" not in output
