"""Train the extractor's learned step (``extraction.model``) on annotated articles.

``manage.py train_extractor DATA_DIR`` (``make train``) reads PolNeAR's training
split only: a directory whose ``metadata.tsv`` names any other compartment is
refused, so the development split stays a held-out check. Three logistic
regressions (scikit-learn, a development dependency; serving needs none) are fit
in turn, each on what the steps before it produce, exactly as ``extract`` runs:

1. ``rank``: for every quotation inside a gold Content, each attribution
   candidate is labelled right when its speaker overlaps the gold Source (or
   both are absent) and its cue overlaps the gold Cue (or both are absent).
2. ``keep``: every quotation, labelled by whether a gold Content holds it.
3. ``indirect``: each indirect candidate, labelled by whether it overlaps a
   gold Content that nothing found so far overlaps.

Weights are rounded to six decimals and written, with the command, the data's
checksum and the output on a fixed text, to ``extraction/model.json``.
"""

from __future__ import annotations

import csv
import hashlib
import platform
from collections.abc import Callable
from pathlib import Path

from . import extract, prepare
from . import model as learned
from .candidates import attribution_candidates, indirect_candidates, keep_features
from .evaluation import Document, load_corpus, normalise, overlaps
from .indirect import find_indirect

C = 1.0
THRESHOLDS = {"keep": 0.5, "indirect": 0.5}
CHECK_TEXT = (
    '"We will not negotiate with terrorists," said Colonel Ryan Dillon, a coalition spokesman. '
    '"Not now, not ever."\n'
    'The mayor called the plan "a disaster" and said the city would appeal. '
    'Critics dismissed what they call the "Raqqa model" of surrender deals.\n'
    'In a statement, the ministry said it had "no knowledge" of the convoy. '
    "Residents believe the fighters left at night, according to the BBC.\n"
)


class TrainingError(ValueError):
    pass


def check_split(data_dir: Path) -> None:
    """Refuse any data that is not a training split (the dev split is held out)."""
    meta = data_dir / "metadata.tsv"
    if not meta.is_file():
        raise TrainingError(f"{meta} is missing: cannot tell which split this is.")
    with meta.open(encoding="utf-8") as fh:
        compartments = {row.get("compartment", "") for row in csv.DictReader(fh, delimiter="\t")}
    if compartments != {"train"}:
        raise TrainingError(
            f"{data_dir} holds the {', '.join(sorted(compartments)) or 'unknown'} split; "
            "only the training split may be used for training."
        )


def data_version(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for sub in ("text", "attributions"):
        for path in sorted((data_dir / sub).iterdir()):
            digest.update(f"{sub}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _overlaps(span, fragments) -> bool:
    return span is not None and overlaps(span[0], span[1], fragments)


def _gold_for(doc: Document, start: int, end: int):
    s, e = normalise(doc.text, start, end)
    return next((g for g in doc.attributions if any(a <= s and e <= b for a, b in g.content)), None)


def _right(gold, speaker, cue) -> int:
    speaker_ok = _overlaps(speaker, gold.source) if gold.source else speaker is None
    cue_ok = _overlaps(cue, gold.cue) if gold.cue else cue is None
    return int(speaker_ok and cue_ok)


def _fit(rows: list[tuple[dict, int]]) -> learned.Linear:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform([f for f, _ in rows])
    fitted = LogisticRegression(C=C, max_iter=5000).fit(matrix, [y for _, y in rows])
    weights = {
        name: round(float(w), 6)
        for name, w in zip(vectorizer.get_feature_names_out(), fitted.coef_[0], strict=True)
        if round(float(w), 6) != 0.0
    }
    return learned.Linear(round(float(fitted.intercept_[0]), 6), weights)


def _as_dict(linear: learned.Linear) -> dict:
    return {"bias": linear.bias, "weights": dict(sorted(linear.weights.items()))}


def train(data_dir: Path, progress: Callable[[str], None] = lambda _: None) -> str:
    """Train on ``data_dir`` and return the artifact's text."""
    check_split(data_dir)
    docs = load_corpus(data_dir)
    if not docs:
        raise TrainingError(f"No annotated articles in {data_dir}.")
    progress(f"{len(docs)} articles")
    # each quotation once: its context, its gold attribution (or None) and its candidates
    quotations = []
    for doc in docs:
        ctx = prepare(doc.text)
        for qi, q in enumerate(ctx.quotes):
            gold = _gold_for(doc, q.start, q.end)
            quotations.append((ctx, qi, gold, attribution_candidates(ctx, qi)))
    rank_rows = [
        (c.features, _right(gold, c.speaker, c.cue))
        for _, _, gold, candidates in quotations
        if gold is not None
        for c in candidates
    ]
    rank = _fit(rank_rows)
    progress(f"rank: {len(rank_rows)} candidates, {len(rank.weights)} weights")
    keep_rows = [
        (
            keep_features(ctx, qi, candidates, [rank.score(c.features) for c in candidates]),
            int(gold is not None),
        )
        for ctx, qi, gold, candidates in quotations
    ]
    keep = _fit(keep_rows)
    progress(f"keep: {len(keep_rows)} quotations, {len(keep.weights)} weights")
    partial = learned.Model(rank, keep, learned.Linear(-100.0, {}), THRESHOLDS["keep"], 1.0, {})
    indirect_rows = []
    for doc in docs:
        ctx = prepare(doc.text)  # fresh: applying the model changes the quotations
        items = learned.apply(ctx, partial)
        items += find_indirect(ctx)
        open_gold = [
            g
            for g in doc.attributions
            if not any(_overlaps((i.start, i.end), g.content) for i in items)
        ]
        indirect_rows += [
            (c.features, int(any(_overlaps(c.content, g.content) for g in open_gold)))
            for c in indirect_candidates(ctx, items)
        ]
    indirect = _fit(indirect_rows)
    progress(f"indirect: {len(indirect_rows)} candidates, {len(indirect.weights)} weights")
    models = {"rank": _as_dict(rank), "keep": _as_dict(keep), "indirect": _as_dict(indirect)}
    made_by = {
        "command": "make train (python manage.py train_extractor ../shared/eval/polnear-train)",
        "data": {"name": data_dir.name, "articles": len(docs), "sha256": data_version(data_dir)},
        "learner": f"scikit-learn LogisticRegression(C={C}), python {platform.python_version()}",
    }
    check = {"text": CHECK_TEXT, "expected": []}
    text = learned.serialise(models, THRESHOLDS, made_by, check)
    model = learned.parse(text.encode())
    check["expected"] = check_output(CHECK_TEXT, model)
    return learned.serialise(models, THRESHOLDS, made_by, check)


def check_output(text: str, model: learned.Model) -> list[list]:
    """What ``extract`` gives on ``text`` with ``model``, as plain lists (kept in the artifact)."""
    return [
        [
            e.start,
            e.end,
            e.kind,
            e.speaker.text if e.speaker else "",
            e.speaker_name,
            e.cue.text if e.cue else "",
            e.confidence,
        ]
        for e in extract(text, model=model)
    ]
