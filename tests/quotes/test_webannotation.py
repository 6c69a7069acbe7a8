import json

from django.core.management import call_command
from django.urls import reverse

from apps.quotes.models import Quote
from tests.conftest import make_article, make_quote


def _export(client, article):
    response = client.get(reverse("quotes:article_annotations", args=[article.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_export_has_one_annotation_per_quote_with_both_selectors(viewer_client, seeded):
    document = _export(viewer_client, seeded)
    assert document["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    items = document["first"]["items"]
    quotes = {q.pk: q for q in Quote.objects.filter(article=seeded)}
    assert len(items) == document["total"] == len(quotes) > 0
    for item in items:
        assert item["type"] == "Annotation"
        position, text_quote = item["target"]["selector"]
        assert position["type"] == "TextPositionSelector"
        assert text_quote["type"] == "TextQuoteSelector"
        assert seeded.body[position["start"] : position["end"]] == text_quote["exact"]
        assert seeded.body[: position["start"]].endswith(text_quote["prefix"])
        assert seeded.body[position["end"] :].startswith(text_quote["suffix"])
        assert item["target"]["source"].endswith(seeded.get_absolute_url())


def test_bodies_name_speaker_role_affiliation_source_and_kind(viewer_client, seeded):
    items = _export(viewer_client, seeded)["first"]["items"]
    braga = next(i for i in items if "We do not condone" in i["target"]["selector"][1]["exact"])
    kind, speaker, source, stance = braga["body"]
    assert kind == {
        "type": "TextualBody",
        "purpose": "classifying",
        "value": "direct",
        "format": "text/plain",
    }
    assert speaker["type"] == "Person"
    assert speaker["name"] == "Jonathan Braga"
    assert "director of operations" in speaker["roleName"]
    assert speaker["affiliation"]["name"].startswith("Combined Joint Task Force")
    assert source["name"].startswith("Coalition press release")
    assert source["additionalType"] == "Press release"
    assert source["datePublished"] == "2017-10-14"
    assert stance["purpose"] == "assessing"
    assert stance["position"] == "denies"
    assert stance["claim"]["name"].startswith("The US-led coalition was party to a deal")


def test_article_url_is_the_target_when_known(viewer_client, db):
    article = make_article("He said “x”.", url="https://news.example/story")
    make_quote(article, 8, 11)
    item = _export(viewer_client, article)["first"]["items"][0]
    assert item["target"]["source"] == "https://news.example/story"
    assert [b["type"] for b in item["body"]] == ["TextualBody"]  # no speaker, no source yet


def test_command_prints_the_same_collection(seeded, capsys):
    call_command("export_annotations", str(seeded.pk), "--base-url=https://qt.example")
    document = json.loads(capsys.readouterr().out)
    assert document["total"] == Quote.objects.filter(article=seeded).count()
    assert document["first"]["items"][0]["id"].startswith("https://qt.example/articles/")


def test_anonymous_cannot_export(client, seeded):
    response = client.get(reverse("quotes:article_annotations", args=[seeded.pk]))
    assert response.status_code == 302
