"""Claims, stances and the derived contradictions through the API."""

from apps.claims.models import Claim, Stance

from .conftest import fields_of, problem


def test_only_reviewers_state_claims(api_as, db):
    problem(api_as("editor").post("/claims", {"text": "The bridge is safe"}), 403)
    made = api_as("reviewer").post("/claims", {"text": "The bridge is safe"})
    assert made.status_code == 201, made.content
    assert Claim.objects.get(pk=made.json()["id"]).created_by.username == "api-reviewer"
    empty = problem(api_as("reviewer").post("/claims", {"text": ""}), 422)
    assert fields_of(empty) == {"text"}


def test_stances_are_recorded_then_changed(api_as, seeded):
    editor = api_as("editor")
    quote = seeded.quotes.filter(stances__isnull=True).first()
    claim = Claim.objects.first()
    made = editor.post(
        "/stances", {"quote_id": quote.pk, "claim_id": claim.pk, "position": "denies"}
    )
    assert made.status_code == 201, made.content
    changed = editor.post(
        "/stances", {"quote_id": quote.pk, "claim_id": claim.pk, "position": "affirms"}
    )
    assert changed.status_code == 200 and changed.json()["id"] == made.json()["id"]
    assert Stance.objects.get(pk=made.json()["id"]).position == "affirms"
    missing = problem(
        editor.post("/stances", {"quote_id": 999999, "claim_id": claim.pk, "position": "denies"}),
        422,
    )
    assert fields_of(missing) == {"quote_id"}
    wrong = problem(
        editor.post("/stances", {"quote_id": quote.pk, "claim_id": claim.pk, "position": "maybe"}),
        422,
    )
    assert fields_of(wrong) == {"position"}
    problem(
        api_as("viewer").post(
            "/stances", {"quote_id": quote.pk, "claim_id": claim.pk, "position": "denies"}
        ),
        403,
    )
    listed = editor.get("/stances", quote=quote.pk).json()["items"]
    assert [item["id"] for item in listed] == [made.json()["id"]]


def test_contradictions_are_derived_and_filtered(api_as, seeded):
    viewer = api_as("viewer")
    everything = viewer.get("/contradictions", status="all").json()["items"]
    assert everything, "the seed holds contradictions"
    for pair in everything:
        assert pair["affirming"]["stance"] != pair["denying"]["stance"]
        assert Stance.objects.get(pk=pair["affirming"]["stance"]).position == "affirms"
        assert Stance.objects.get(pk=pair["denying"]["stance"]).position == "denies"
    kinds = {pair["kind"] for pair in everything}
    for kind in kinds:
        only = viewer.get("/contradictions", status="all", kind=kind).json()["items"]
        assert only and {pair["kind"] for pair in only} == {kind}
    speaker = everything[0]["affirming"]["speaker"]["id"]
    theirs = viewer.get("/contradictions", status="all", speaker=speaker).json()["items"]
    assert theirs and all(
        speaker in (p["affirming"]["speaker"]["id"], p["denying"]["speaker"]["id"]) for p in theirs
    )
    claim = everything[0]["claim"]["id"]
    on_claim = viewer.get("/contradictions", status="all", claim=claim).json()["items"]
    assert on_claim and {pair["claim"]["id"] for pair in on_claim} == {claim}
    elsewhere = viewer.get("/contradictions", status="all", article=seeded.pk + 1000).json()
    assert elsewhere["items"] == []
    here = viewer.get("/contradictions", status="all", article=seeded.pk).json()["items"]
    assert len(here) == len(everything)
    assert fields_of(problem(viewer.get("/contradictions", kind="sideways"), 422)) == {"kind"}
    assert fields_of(problem(viewer.get("/contradictions", status="maybe"), 422)) == {"status"}


def test_a_reviewer_approving_both_sides_makes_an_approved_contradiction(api_as, seeded):
    reviewer = api_as("reviewer")
    before = reviewer.get("/contradictions").json()["items"]
    pair = reviewer.get("/contradictions", status="all").json()["items"][0]
    for side in ("affirming", "denying"):
        for kind, key in (("quotes", "quote"), ("stances", "stance")):
            item = pair[side][key]
            reviewer.post(f"/{kind}/{item}/review", {"action": "approve"})
    after = reviewer.get("/contradictions").json()["items"]
    key = (pair["affirming"]["stance"], pair["denying"]["stance"])
    assert key in {(p["affirming"]["stance"], p["denying"]["stance"]) for p in after}
    assert len(after) >= len(before)
