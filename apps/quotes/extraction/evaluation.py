"""Score the quote extractor against PolNeAR (brat standoff). Pure: no Django.

Data layout (see ``shared/eval/README.md``): ``text/NAME.txt`` and
``attributions/NAME_ANNOTATOR.ann``. When an article has several annotators'
files, the first in sorted order is used. Offsets are ``str`` indices into the
text read as UTF-8, as is (no newline translation).

Parsing: ``T`` lines give spans (``Source``, ``Cue``, ``Content``, ``Content2``
and the ``Attribution`` / ``Attribution-no-source`` trigger), possibly
discontinuous (``315 448;463 553``). ``E`` lines tie roles together; an event
whose trigger is ``Attribution-no-source`` has no source. ``Discard`` and
``Discuss`` spans are ignored, and so is any event that refers to them.

Figures (all micro-averaged over the articles):

a) **Direct quotations.** A gold attribution is direct when its Content text
   starts with “ or ". Its Content fragments are joined where only whitespace
   separates them, then cut into *units* at line breaks and wherever a closing
   mark is followed by an opening one (``”  “``), because the extractor returns
   one span per paragraph and one span per side of a split quotation
   (``"A," he said, "B."``). Predicted direct quotations are the extracted
   items with ``kind == "direct"`` whose text starts with “ or " -- the same
   definition as the gold side, so quotations marked with two apostrophes
   (``''...''``, New York Times style) are left out of a) on both sides; partial
   quotations are embedded in the reporter's clause and are not what PolNeAR
   calls a direct content. Two spans
   match when they are equal after trimming quotation marks, whitespace and
   edge punctuation from both ends. Precision, recall and F1 over units, each
   gold unit matched at most once.
b) **Speaker** of each matched direct quotation: correct when the predicted
   speaker mention overlaps a fragment of the gold Source (so a pronoun counts
   when it is the gold Source or overlaps it). A gold unit with no Source
   (``Attribution-no-source``) counts as correct only when no speaker is
   predicted. Reported as the fraction correct of matched quotations.
c) **Cue** of matched direct quotations: a hit is a predicted cue overlapping a
   gold Cue fragment. Precision = hits / matched quotations with a predicted
   cue; recall = hits / matched quotations with a gold cue; F1 of the two.
d) **Content overlap, all attributions** (direct, partial, indirect): a
   predicted span (any kind) matches when it overlaps any fragment of any gold
   Content by at least one character. Precision = matched predictions /
   predictions; recall = gold Contents overlapped by some prediction / gold
   Contents.
e) **Timing**: extraction time per article scaled to 1,000 words
   (``str.split`` words), mean and max over the articles.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Fragments = tuple[tuple[int, int], ...]

QUOTE_MARKS = '"“”„«»'
EDGE_CHARS = QUOTE_MARKS + "‘’'.,;:!?…—–-()[] \t\r\n\u00a0"
IGNORED_LABELS = {"Discard", "Discuss"}
DIRECT_MARKS = ("“", '"')  # what makes a Content "direct" (README); applied to predictions too


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    content: Fragments
    source: Fragments | None
    cue: Fragments | None
    no_source: bool = False

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]


@dataclass(frozen=True, slots=True)
class Document:
    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


@dataclass(frozen=True, slots=True)
class DirectUnit:
    start: int
    end: int
    source: Fragments | None
    cue: Fragments | None


# --------------------------------------------------------------------------- parsing


def parse_fragments(offsets: str) -> Fragments:
    """``"315 448;463 553"`` -> ``((315, 448), (463, 553))``."""
    fragments = []
    for part in offsets.split(";"):
        start, end = part.split()
        fragments.append((int(start), int(end)))
    return tuple(sorted(fragments))


def parse_ann(ann: str) -> list[GoldAttribution]:
    """The attributions of one brat ``.ann`` file, in file order."""
    spans: dict[str, tuple[str, Fragments]] = {}
    events: list[tuple[str, dict[str, str]]] = []
    for line in ann.splitlines():
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if ident.startswith("T") and len(fields) >= 2:
            label, _, offsets = fields[1].partition(" ")
            if label in IGNORED_LABELS or not offsets:
                continue
            try:
                spans[ident] = (label, parse_fragments(offsets))
            except ValueError:
                continue
        elif ident.startswith("E") and len(fields) >= 2:
            roles = fields[1].split()
            if not roles:
                continue
            trigger_label = roles[0].partition(":")[0]
            args: dict[str, list[str]] = {}
            for role in roles[1:]:
                name, _, ref = role.partition(":")
                args.setdefault(name.rstrip("0123456789") or name, []).append(ref)
            events.append((trigger_label, args))
    attributions = []
    for trigger_label, args in events:
        if trigger_label in IGNORED_LABELS or not trigger_label.startswith("Attribution"):
            continue
        content = _role(spans, args.get("Content", []))  # Content and Content2, joined
        if content is None:
            continue
        source = _role(spans, args.get("Source", []))
        no_source = trigger_label == "Attribution-no-source"
        attributions.append(
            GoldAttribution(
                content=content,
                source=None if no_source else source,
                cue=_role(spans, args.get("Cue", [])),
                no_source=no_source,
            )
        )
    return attributions


def _role(spans: dict[str, tuple[str, Fragments]], refs: list[str]) -> Fragments | None:
    fragments = [f for ref in refs if ref in spans for f in spans[ref][1]]
    return tuple(sorted(fragments)) if fragments else None


def annotation_files(attributions_dir: Path) -> dict[str, Path]:
    """One ``.ann`` per article: NAME -> the first NAME_ANNOTATOR.ann in sorted order."""
    chosen: dict[str, Path] = {}
    for path in sorted(attributions_dir.glob("*.ann")):
        name = path.stem.rsplit("_", 1)[0]
        chosen.setdefault(name, path)
    return chosen


def load_corpus(data_dir: Path | str) -> list[Document]:
    data_dir = Path(data_dir)
    docs = []
    for name, ann_path in sorted(annotation_files(data_dir / "attributions").items()):
        text_path = data_dir / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        with text_path.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
        with ann_path.open(encoding="utf-8", newline="") as handle:
            attributions = parse_ann(handle.read())
        docs.append(Document(name, text, tuple(attributions)))
    return docs


# --------------------------------------------------------------------------- units


def is_direct(text: str, attribution: GoldAttribution) -> bool:
    start, end = attribution.content[0]
    return text[start:end].lstrip()[:1] in ("“", '"')


def direct_units(text: str, attribution: GoldAttribution) -> list[DirectUnit]:
    """The gold direct quotation cut as the extractor cuts it (see the module doc)."""
    merged: list[list[int]] = []
    for start, end in attribution.content:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    units = []
    for start, end in merged:
        cut = start
        i = start
        while i < end:
            ch = text[i]
            if ch in "\n\r\u2028\u2029":
                units.append((cut, i))
                cut = i + 1
            elif ch in '”"' and i > cut:
                j = i + 1
                while j < end and text[j] in " \t\u00a0":
                    j += 1
                if j < end and j > i + 1 and text[j] in '“"':
                    units.append((cut, i + 1))
                    cut = j
                    i = j
            i += 1
        units.append((cut, end))
    return [
        DirectUnit(s, e, attribution.source, attribution.cue)
        for s, e in units
        if any(c.isalnum() for c in text[s:e])
    ]


def normalise(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim quotation marks, whitespace and edge punctuation from both ends."""
    while start < end and text[start] in EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARS:
        end -= 1
    return start, end


def overlaps(start: int, end: int, fragments: Iterable[tuple[int, int]] | None) -> bool:
    return any(start < e and s < end for s, e in fragments or ())


# --------------------------------------------------------------------------- scoring


def prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict[str, float]:
    precision = tp_p / n_pred if n_pred else 0.0
    recall = tp_g / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


@dataclass(slots=True)
class Tally:
    direct_gold: int = 0
    direct_pred: int = 0
    direct_matched: int = 0
    speaker_correct: int = 0
    cue_hits: int = 0
    cue_pred: int = 0
    cue_gold: int = 0
    all_pred: int = 0
    all_pred_matched: int = 0
    all_gold: int = 0
    all_gold_matched: int = 0
    times_per_1000: list[float] = field(default_factory=list)
    errors: dict[str, list[str]] = field(
        default_factory=lambda: {"missed": [], "spurious": [], "speaker": [], "cue": []}
    )


def _show(text: str, start: int, end: int, width: int = 90) -> str:
    snippet = " ".join(text[start:end].split())
    return snippet if len(snippet) <= width else snippet[: width - 1] + "…"


def _show_frag(text: str, fragments: Fragments | None) -> str:
    if not fragments:
        return "-"
    return " … ".join(_show(text, s, e, 60) for s, e in fragments)


def score_document(doc: Document, predicted: Sequence[Any], tally: Tally) -> None:
    """Add one article's figures to ``tally``; ``predicted`` are Extracted-like objects."""
    text = doc.text
    gold_units = [u for a in doc.attributions if is_direct(text, a) for u in direct_units(text, a)]
    gold_by_key: dict[tuple[int, int], DirectUnit] = {}
    for unit in gold_units:
        gold_by_key.setdefault(normalise(text, unit.start, unit.end), unit)
    pred_direct = [
        p for p in predicted if p.kind == "direct" and text[p.start : p.end][:1] in DIRECT_MARKS
    ]
    tally.direct_gold += len(gold_by_key)
    tally.direct_pred += len(pred_direct)
    seen: set[tuple[int, int]] = set()
    for p in pred_direct:
        key = normalise(text, p.start, p.end)
        unit = gold_by_key.get(key)
        if unit is None or key in seen:
            tally.errors["spurious"].append(f"{doc.name}: {_show(text, p.start, p.end)}")
            continue
        seen.add(key)
        tally.direct_matched += 1
        speaker = p.speaker
        if unit.source is None:
            ok = speaker is None
        else:
            ok = speaker is not None and overlaps(speaker.start, speaker.end, unit.source)
        tally.speaker_correct += ok
        if not ok:
            tally.errors["speaker"].append(
                f"{doc.name}: {_show(text, p.start, p.end, 60)} | predicted "
                f"{speaker.text if speaker else '-'!r} ({p.speaker_name!r}) | gold "
                f"{_show_frag(text, unit.source)!r}"
            )
        cue = p.cue
        if cue is not None:
            tally.cue_pred += 1
        if unit.cue:
            tally.cue_gold += 1
        if cue is not None and overlaps(cue.start, cue.end, unit.cue):
            tally.cue_hits += 1
        elif cue is not None or unit.cue:
            tally.errors["cue"].append(
                f"{doc.name}: {_show(text, p.start, p.end, 60)} | predicted "
                f"{cue.text if cue else '-'!r} | gold {_show_frag(text, unit.cue)!r}"
            )
    for key, unit in gold_by_key.items():
        if key not in seen:
            tally.errors["missed"].append(f"{doc.name}: {_show(text, unit.start, unit.end)}")
    # d) all attributions, any overlap
    contents = [a.content for a in doc.attributions]
    tally.all_gold += len(contents)
    tally.all_pred += len(predicted)
    tally.all_pred_matched += sum(
        1 for p in predicted if any(overlaps(p.start, p.end, c) for c in contents)
    )
    tally.all_gold_matched += sum(
        1 for c in contents if any(overlaps(p.start, p.end, c) for p in predicted)
    )


def evaluate(
    docs: Sequence[Document],
    extractor: Callable[[str], Sequence[Any]],
    predictions: dict[str, list[Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Run ``extractor`` on every article; return (figures, error examples).

    When ``predictions`` is given, each article's extracted items are stored in
    it under the article's name, so other scorers can reuse the one pass.
    """
    tally = Tally()
    if docs:
        extractor(docs[0].text)  # warm up (regex compilation, imports)
    for doc in docs:
        started = time.perf_counter()
        predicted = list(extractor(doc.text))
        elapsed = time.perf_counter() - started
        words = max(1, len(doc.text.split()))
        tally.times_per_1000.append(elapsed * 1000.0 / words)
        if predictions is not None:
            predictions[doc.name] = predicted
        score_document(doc, predicted, tally)
    return figures(tally, len(docs)), tally.errors


def figures(tally: Tally, n_docs: int) -> dict[str, Any]:
    direct = prf(tally.direct_matched, tally.direct_pred, tally.direct_matched, tally.direct_gold)
    cue = prf(tally.cue_hits, tally.cue_pred, tally.cue_hits, tally.cue_gold)
    overlap = prf(tally.all_pred_matched, tally.all_pred, tally.all_gold_matched, tally.all_gold)
    times = tally.times_per_1000
    return {
        "articles": n_docs,
        "direct": {
            **direct,
            "gold": tally.direct_gold,
            "predicted": tally.direct_pred,
            "matched": tally.direct_matched,
        },
        "speaker": {
            "accuracy": tally.speaker_correct / tally.direct_matched
            if tally.direct_matched
            else 0.0,
            "correct": tally.speaker_correct,
            "matched": tally.direct_matched,
        },
        "cue": {
            **cue,
            "hits": tally.cue_hits,
            "predicted": tally.cue_pred,
            "gold": tally.cue_gold,
        },
        "overlap": {
            **overlap,
            "gold": tally.all_gold,
            "gold_matched": tally.all_gold_matched,
            "predicted": tally.all_pred,
            "predicted_matched": tally.all_pred_matched,
        },
        "timing": {
            "mean_seconds_per_1000_words": sum(times) / len(times) if times else 0.0,
            "max_seconds_per_1000_words": max(times, default=0.0),
        },
    }


TARGETS = {
    ("direct", "f1"): 0.95,
    ("speaker", "accuracy"): 0.90,
    ("cue", "f1"): 0.95,
    ("overlap", "f1"): 0.70,
}


TARGET_MS_PER_1000 = 50.0


def format_report(result: dict[str, Any]) -> str:
    def row(label: str, section: str, value: str, target: float | None) -> str:
        goal = f">= {target:.2f}" if target is not None else ""
        return f"{label:<38} {value:<44} {goal}"

    d, s, c, o, t = (result[k] for k in ("direct", "speaker", "cue", "overlap", "timing"))
    lines = [
        f"PolNeAR evaluation over {result['articles']} articles",
        f"{'measure':<38} {'value':<44} target",
        "-" * 92,
        row(
            "a) direct quotations (exact, trimmed)",
            "direct",
            f"P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}"
            f"  ({d['matched']}/{d['predicted']}/{d['gold']})",
            TARGETS["direct", "f1"],
        ),
        row(
            "b) speaker of matched direct quotes",
            "speaker",
            f"{s['accuracy']:.3f}  ({s['correct']}/{s['matched']})",
            TARGETS["speaker", "accuracy"],
        ),
        row(
            "c) cue of matched direct quotes",
            "cue",
            f"P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}",
            TARGETS["cue", "f1"],
        ),
        row(
            "d) content overlap, all attributions",
            "overlap",
            f"P {o['precision']:.3f}  R {o['recall']:.3f}  F1 {o['f1']:.3f}",
            TARGETS["overlap", "f1"],
        ),
        row(
            "e) ms per 1,000 words (extract)",
            "timing",
            f"mean {t['mean_seconds_per_1000_words'] * 1000:.1f}  "
            f"max {t['max_seconds_per_1000_words'] * 1000:.1f}",
            None,
        )
        + f"<= {TARGET_MS_PER_1000:.0f} ms",
        "",
        "a) counts are matched/predicted/gold units.",
    ]
    return "\n".join(lines)


def format_errors(errors: dict[str, list[str]], limit: int) -> str:
    lines = []
    for kind, items in errors.items():
        lines.append(f"\n{kind} ({len(items)}):")
        lines.extend(f"  {item}" for item in items[:limit])
    return "\n".join(lines)


def to_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, sort_keys=True)
