"""The learned step of extraction: three small linear models, read from ``model.json``.

* ``rank`` scores each attribution candidate of a quotation (``candidates``);
  the best one gives the speaker and cue.
* ``keep`` says whether a quotation is attributed speech at all; scare quotes,
  titles and terms below ``keep_threshold`` are not suggested.
* ``indirect`` keeps the reported speech and beliefs the rules passed over.

The models are logistic regressions trained by ``manage.py train_extractor`` on
the PolNeAR training split only (``make train``). The artifact is plain JSON
(feature name -> weight, with the command and data version that made it), so
loading it runs no code and scoring needs no numerical library: a score is the
logistic of the bias plus the sum of the weights of the features present.

The artifact is read once per process. A missing or corrupted artifact raises
``ModelError`` with what is wrong and how to rebuild it; the app checks it at
start-up (``QuotesConfig.ready``), so a broken model stops the server instead
of producing wrong suggestions.

Pure: standard library only, no Django.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

from .attribution import Ctx, is_whole, to_mention
from .candidates import Features, attribution_candidates, indirect_candidates, keep_features
from .types import Extracted

ARTIFACT = Path(__file__).with_name("model.json")
FORMAT = 1
REBUILD = (
    "rebuild it with `make train` (or restore it: `git checkout apps/quotes/extraction/model.json`)"
)


class ModelError(RuntimeError):
    """The committed model artifact is missing or unusable."""


@dataclass(frozen=True, slots=True)
class Linear:
    bias: float
    weights: dict[str, float]

    def score(self, features: Features) -> float:
        z = self.bias
        weights = self.weights
        for name, value in features.items():
            w = weights.get(name)
            if w is not None:
                z += w * value
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)


@dataclass(frozen=True, slots=True)
class Model:
    rank: Linear
    keep: Linear
    indirect: Linear
    keep_threshold: float
    indirect_threshold: float
    made_by: dict


def parse(raw: bytes) -> Model:
    """A model from the artifact's bytes; ``ModelError`` when they are not one."""
    try:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise ModelError(f"format {data.get('format')!r}, expected {FORMAT}")
        digest = hashlib.sha256(_canonical(data["models"]).encode()).hexdigest()
        if digest != data["sha256"]:
            raise ModelError(
                "its weights do not match their checksum (the file was altered or cut)"
            )
        models = {
            name: Linear(float(m["bias"]), {str(k): float(v) for k, v in m["weights"].items()})
            for name, m in data["models"].items()
        }
        return Model(
            rank=models["rank"],
            keep=models["keep"],
            indirect=models["indirect"],
            keep_threshold=float(data["thresholds"]["keep"]),
            indirect_threshold=float(data["thresholds"]["indirect"]),
            made_by=dict(data["made_by"]),
        )
    except ModelError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelError(f"it is not a readable model ({type(exc).__name__}: {exc})") from exc


def _canonical(models: dict) -> str:
    return json.dumps(models, sort_keys=True, separators=(",", ":"))


def serialise(models: dict, thresholds: dict, made_by: dict, check: dict) -> str:
    """The artifact's text for trained ``models`` ({name: {"bias", "weights"}})."""
    return (
        json.dumps(
            {
                "format": FORMAT,
                "made_by": made_by,
                "thresholds": thresholds,
                "check": check,
                "sha256": hashlib.sha256(_canonical(models).encode()).hexdigest(),
                "models": models,
            },
            sort_keys=True,
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )


def load(path: Path = ARTIFACT) -> Model:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ModelError(
            f"The extraction model {path} cannot be read ({exc.strerror}); {REBUILD}."
        ) from exc
    try:
        return parse(raw)
    except ModelError as exc:
        raise ModelError(f"The extraction model {path} is unusable: {exc}; {REBUILD}.") from exc


@functools.cache
def current() -> Model:
    """The committed model, read once per process."""
    return load()


def apply(ctx: Ctx, model: Model) -> list[Extracted]:
    """Choose each quotation's attribution, drop what is not attributed speech,
    and return the kept quotations as items (confidence: keep x attribution score)."""
    text = ctx.text
    # Every quotation is scored before any is changed: a quotation's candidates include
    # the rules' attribution of the one before it.
    decided = []
    for qi, q in enumerate(ctx.quotes):
        candidates = attribution_candidates(ctx, qi)
        scores = [model.rank.score(c.features) for c in candidates]
        keep = model.keep.score(keep_features(ctx, qi, candidates, scores))
        best = max(range(len(candidates)), key=scores.__getitem__)
        decided.append((q, keep, candidates[best], scores[best]))
    items = []
    kept_last = False
    for q, keep, best, score in decided:
        # a paragraph that continues a kept quotation is part of it, whatever its own score
        if keep < model.keep_threshold and not (q.continued and kept_last):
            kept_last = False
            continue
        kept_last = True
        kind = q.kind or "partial"
        rule_cue = (q.cue.start, q.cue.end) if q.cue else None
        rule_speaker = (q.speaker.start, q.speaker.end) if q.speaker else None
        if (best.cue, best.speaker) != (rule_cue, rule_speaker):
            q.cue = to_mention(text, best.cue)
            q.speaker = to_mention(text, best.speaker) if best.cue else None
            if not q.own_cue:
                kind = "direct" if is_whole(ctx, q) else "partial"
        confidence = round(keep * (score if best.cue else 0.5), 2)
        items.append(
            Extracted(q.start, q.end, text[q.start : q.end], kind, q.speaker, q.cue, confidence)
        )
    return items


def more_indirect(ctx: Ctx, items: list[Extracted], model: Model) -> list[Extracted]:
    """Reported speech and beliefs the rules passed over, where the model keeps them."""
    text = ctx.text
    found = []
    for c in indirect_candidates(ctx, items):
        score = model.indirect.score(c.features)
        if score < model.indirect_threshold:
            continue
        found.append(
            Extracted(
                c.content[0],
                c.content[1],
                text[c.content[0] : c.content[1]],
                "indirect",
                to_mention(text, c.speaker),
                to_mention(text, c.cue),
                round(score * 0.6, 2),
            )
        )
    return found
