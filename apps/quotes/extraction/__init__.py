"""Rule-based extraction of quotations and their attribution from news text.

Pure package: standard library only, no Django, no database, no network.

``extract(text)`` returns the direct, partial and indirect quotations of an
article, each with the speaker mention, the cue (verb of saying) and a guessed
confidence. Offsets are ``str`` indices into ``text`` exactly as given; the
function never raises (on an internal error it logs it and returns ``[]``).

How it works, in order (each step is a module of this package; the word lists
they share -- verbs of saying and their inflections, verbs of stance, titles,
organisation words, the noise around noun phrases -- are in ``lexicon``):

1. *Quotation marks* (``marks``). Only double marks delimit quotations: straight ``"``,
   curly ``“ ”``, ``„ « »`` and two apostrophes (``''...''``, as in some New York
   Times text). Single marks (‘ ’ ') are never delimiters, so apostrophes
   (didn't, Raqqa's, the '90s) and nested quotes ('by, with and through') stay
   inside the quotation that holds them; a curly quotation inside a straight one
   is nested too. Marks are paired within a paragraph (a line).
   **Multi-paragraph quotations:** a quotation left open at the end of a
   paragraph whose next paragraph reopens with a mark (the newspaper convention)
   is returned as **one span per paragraph** -- from its opening mark to the end
   of that paragraph, and in the last paragraph to the closing mark -- and all
   spans of the run share speaker and cue. An opening mark that is neither
   closed nor continued is ignored, and so are stage directions ("(CROSSTALK.)").
2. *Sentences* (``sentences``) are split at ``. ! ?`` (not inside quotations) and at line
   breaks, ignoring abbreviations (Mr., Sen., Brig. Gen., U.S.).
3. *Direct and partial quotations* (``attribution``). The cue is looked for right after the
   closing mark (``," he said``, ``," said X, a ...``, ``," X, spokesman for
   Y, told the BBC``, ``?" Clinton said.``), then right before the opening mark
   (``X said:``, ``X said, "``, ``says of Clinton, "``, a paragraph ending in
   ``He said:``). Also handled: transcript turns (``"WALLACE: ...`` -- returned
   without the label and the mark, speaker WALLACE, cue the colon), signatures
   (``" ― Pamela Padilla``) and a colon with no verb of saying (``a new message:
   "It's about me."``, speaker the subject, no cue). A quotation is ``direct``
   when it is the whole reported content; it is ``partial`` when it sits in the
   reporter's own clause: embedded after other words (``said it does not "make
   deals with terrorists"``), inside a that-clause (``saying that "..."``,
   PolNeAR's convention: the content is the that-clause), followed by more of
   the reporter's clause (``"budget reforms" and the collection ...``), or
   opening in lower case (except the second half of a split quotation). A
   quotation with no cue of its own that follows an attributed one in the same
   or the previous paragraph (``"A," he said. "B."``) inherits speaker and cue.
   Quotations with no cue at all (scare quotes, titles) are returned with a low
   confidence (<= 0.3), as are short quotations after a stance verb
   (``described as a "Western officer"``).
4. *Indirect speech* (``indirect``): a cue verb outside quotations with a subject before it
   and a clause after it (``X said (that) ...``, ``X told the BBC ...``,
   ``X admitted there was ...``, ``X says at a rally in Ohio that ...``), a
   sentence ending in a cue (``..., sources said.``, ``..., said X.``), a
   parenthetical cue (``Acts of protest, Mr. Obama said, are ...`` -- the whole
   sentence is returned), and ``according to X``. The content is the clause,
   without "that" and without the closing full stop; it stops before a second
   reported clause (``..., but said ...``). Like PolNeAR, verbs of stance and
   intention (called for, wants, urged, cited, criticized, ...) also yield an
   ``indirect`` item, with confidence 0.25 so a caller can leave them out.
5. *Speakers* (``mentions``). The subject noun phrase next to the cue, with any apposition
   (``Colonel Ryan Dillon, spokesman for ...``), an organisation (``the
   coalition``) or a pronoun; for participles (``saying``, ``adding``) and
   elided subjects (``... and said``) the subject of the main clause.
   ``speaker_name`` is the core name (titles such as Colonel, Brig. Gen., Sen.,
   President, Defense Secretary removed; an organisation keeps its noun phrase,
   "The coalition"); a pronoun is resolved to the most recent earlier speaker of
   a fitting kind (he/she: a person; it: an organisation; they/we: either),
   preferring speakers that opened their sentence.
6. *Documents* (``documents``; the mention itself: ``mentions.document_of``). A
   speaker mention naming a document or a role ("an October 14 release", "the
   statement", "a spokesperson") keeps its span, but ``speaker_name`` becomes its
   issuer and ``document`` the mention, when the text names the issuer: in the
   mention ("the coalition's release", "a release from X", "a spokesperson for
   X"), as the subject of a verb of issuing before it ("X pointed to an October 14
   release that stated ..."), or for "the release" in an earlier sentence ("X
   issued a statement. The statement said ..."). A named speaker "said in a
   statement" (or "In the release, X said") keeps its name, with the statement as
   its ``document``. A quotation with no cue of its own inside the content an
   earlier quotation's cue reports, in the same sentence, shares that cue and
   speaker (the release's "convoy of vehicles" and "civilians to depart Raqqa").

Not handled: quotations delimited by single marks only, speakers named only in
a later sentence, nested attributions inside quotations ("I think ..."), cues
that are nouns ("the investigation's claim that ..."), gender agreement of
pronouns, cataphora, and anything needing real syntax beyond these patterns.

What is found leaves as JSON through ``contract`` (``manage.py extract_quotes``, the
scoring harness in ``strict_scoring``): one object per quotation, its keys stable.
"""

from __future__ import annotations

import logging

from .attribution import Ctx, attribute_quotes, is_salient
from .documents import tie_documents
from .indirect import find_indirect
from .lexicon import CUE_RE, is_false_cue
from .marks import find_quotes, paragraphs, quotation_spans
from .mentions import resolve_names
from .model import Model, apply, current, more_indirect
from .sentences import sentence_starts
from .types import Extracted, Mention

__all__ = ["Extracted", "Mention", "extract", "prepare", "quotation_spans"]


def extract(text: str, model: Model | None = None) -> list[Extracted]:
    """Quotations in ``text`` with speaker and cue, sorted by (start, end). Never raises.

    ``model`` defaults to the committed one (``model.current()``)."""
    try:
        return _extract(text, model or current())
    except Exception:  # a rule tripping on odd input must not break the caller, but is logged
        logging.getLogger(__name__).exception(
            "Quote extraction failed on a %d-character text", len(text)
        )
        return []


def prepare(text: str) -> Ctx:
    """Quotation marks, sentences, cues and the rules' attribution of each quotation."""
    paras = paragraphs(text)
    quotes = find_quotes(text, paras)
    sent_starts = sentence_starts(text, paras, quotes)
    cues = [m for m in CUE_RE.finditer(text) if not is_false_cue(text, m)]
    ctx = Ctx(text, sent_starts, paras, quotes, cues, set())
    ctx.reindex()
    attribute_quotes(ctx)
    return ctx


def _extract(text: str, model: Model) -> list[Extracted]:
    if not isinstance(text, str) or not text.strip():
        return []
    ctx = prepare(text)
    items = apply(ctx, model)
    items.extend(find_indirect(ctx))
    items.extend(more_indirect(ctx, items, model))
    salient = {i.speaker.start for i in items if i.speaker and is_salient(ctx, i.speaker)}
    items = tie_documents(ctx, resolve_names(items, salient))
    valid = [item for item in items if _valid(text, item)]
    return sorted(valid, key=lambda e: (e.start, e.end))


def _valid(text: str, item: Extracted) -> bool:
    for span in (item, item.speaker, item.cue):
        if span is None:
            continue
        if (
            not (0 <= span.start < span.end <= len(text))
            or text[span.start : span.end] != span.text
        ):
            return False
    return True
