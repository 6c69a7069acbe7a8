"""The learned step of extraction: its committed artifact, and what happens when it breaks."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.quotes.checks import extraction_model
from apps.quotes.extraction import extract, training
from apps.quotes.extraction import model as learned


def test_committed_model_gives_the_output_recorded_right_after_training():
    artifact = json.loads(learned.ARTIFACT.read_text(encoding="utf-8"))
    check = artifact["check"]
    assert check["expected"], "training records the model's output on a fixed text"
    assert training.check_output(check["text"], learned.current()) == check["expected"]
    # the check text has quotations with speakers: the recorded output is not trivial
    speakers = {row[4] for row in check["expected"] if row[2] == "direct"}
    assert "Ryan Dillon" in speakers


def test_model_records_how_and_from_what_it_was_made():
    made_by = learned.current().made_by
    assert "make train" in made_by["command"]
    assert made_by["data"]["name"] == "polnear-train"
    assert made_by["data"]["articles"] == 840
    assert len(made_by["data"]["sha256"]) == 64


def test_missing_artifact_is_a_clear_error(tmp_path):
    with pytest.raises(learned.ModelError, match=r"cannot be read.*make train"):
        learned.load(tmp_path / "model.json")


def test_corrupted_artifact_is_a_clear_error(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(learned.ARTIFACT.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    with pytest.raises(learned.ModelError, match=r"unusable.*make train"):
        learned.load(path)


def test_altered_weights_are_refused(tmp_path):
    data = json.loads(learned.ARTIFACT.read_text(encoding="utf-8"))
    name = next(iter(data["models"]["rank"]["weights"]))
    data["models"]["rank"]["weights"][name] += 1.0
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(learned.ModelError, match="checksum"):
        learned.load(path)


def test_start_up_check_reports_a_broken_model(monkeypatch, tmp_path):
    assert extraction_model() == []
    monkeypatch.setattr(learned, "ARTIFACT", tmp_path / "absent.json")
    learned.current.cache_clear()
    monkeypatch.setattr(learned, "current", lambda: learned.load(tmp_path / "absent.json"))
    import apps.quotes.checks as checks_module

    monkeypatch.setattr(checks_module, "current", learned.current)
    errors = extraction_model()
    assert [e.id for e in errors] == ["quotes.E001"]
    assert "make train" in errors[0].msg


def test_scare_quotes_and_titles_are_not_suggested_but_attributed_speech_is():
    text = (
        'The senator called the bill a "disaster" on Tuesday.\n'
        'The film "Gone With the Wind" was shown at the so-called "summer festival" downtown.\n'
        '"We will fight this in every court," said Maria Lopez, the city attorney.\n'
    )
    found = {e.text: e for e in extract(text)}
    assert '"We will fight this in every court,"' in found
    assert found['"We will fight this in every court,"'].speaker_name == "Maria Lopez"
    assert '"Gone With the Wind"' not in found
    assert found['"disaster"'].speaker_name == "The senator"


def test_participle_cue_takes_the_main_clause_subject():
    text = (
        "It rejected the claim that the coalition made a deal with ISIS, saying that "
        '"nothing could be further from the truth."'
    )
    quote = next(e for e in extract(text) if e.kind != "indirect")
    assert quote.speaker.text == "It"
    assert quote.cue.text == "saying"


def test_training_refuses_the_development_split(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "metadata.tsv").write_text("compartment\tfilename\ndev\tx\n", encoding="utf-8")
    with pytest.raises(CommandError, match="only the training split"):
        call_command("train_extractor", str(tmp_path), output=str(tmp_path / "m.json"))
    assert not (tmp_path / "m.json").exists()
