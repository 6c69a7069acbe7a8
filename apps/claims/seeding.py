"""The claims and stances of a seed manifest, loaded after its article and quotes."""

import json
from pathlib import Path

from django.db import transaction

from apps.articles.importing import decode
from apps.quotes.models import Quote
from apps.quotes.seeding import SeedError, SeedResult, load_seed, span_on_line, sync

from .models import Claim, Stance


@transaction.atomic
def load_full_seed(manifest_path: Path) -> SeedResult:
    """Article, speakers, sources and quotes, then claims and stances; idempotent."""
    result = load_seed(manifest_path)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    article = result.article
    claims: dict[str, Claim] = {}
    for spec in manifest.get("claims", []):
        claim = Claim.objects.filter(text__iexact=spec["text"]).first()
        if claim is None:
            claim = Claim.objects.create(text=spec["text"], description=spec.get("description", ""))
            result.count(result.created, "claims")
        else:
            sync(claim, result, "claims", description=spec.get("description", ""))
        claims[spec["key"]] = claim
    raw_text = decode((manifest_path.parent / manifest["article"]["file"]).read_bytes())
    status = manifest.get("status", Stance._meta.get_field("status").default)
    for spec in manifest["quotes"]:
        if not spec.get("stances"):
            continue
        start, end = span_on_line(raw_text, article.body, spec["line"], spec["exact"])
        quote = Quote.objects.get(article=article, start=start, end=end, orphaned=False)
        for stance_spec in spec["stances"]:
            if stance_spec["claim"] not in claims:
                raise SeedError(f"line {spec['line']}: unknown claim {stance_spec['claim']!r}")
            fields = {
                "position": stance_spec["position"],
                "note": stance_spec.get("note", ""),
                "status": stance_spec.get("status", status),
            }
            claim = claims[stance_spec["claim"]]
            stance = Stance.objects.filter(quote=quote, claim=claim).first()
            if stance is None:
                Stance.objects.create(quote=quote, claim=claim, **fields)
                result.count(result.created, "stances")
            else:
                sync(stance, result, "stances", **fields)
    return result
