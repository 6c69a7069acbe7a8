"""The extractor's JSON contract: one extracted quotation as a JSON object."""


def as_json(item) -> dict:
    return {
        "start": item.start,
        "end": item.end,
        "text": item.text,
        "kind": item.kind,
        "speaker": None
        if item.speaker is None
        else {
            "name": item.speaker_name or item.speaker.text,
            "start": item.speaker.start,
            "end": item.speaker.end,
        },
        "cue": None
        if item.cue is None
        else {"start": item.cue.start, "end": item.cue.end, "text": item.cue.text},
        "confidence": round(item.confidence, 4),
    }


def documents_json(documents) -> dict:
    """``[(path, extracted items), ...]`` -> ``{"documents": [{"path", "quotes"}]}``."""
    return {
        "documents": [
            {"path": path, "quotes": [as_json(q) for q in items]} for path, items in documents
        ]
    }
