import json

import pytest
from django.core.management import call_command


def run(capsys, *paths, expect_exit=None):
    if expect_exit is None:
        call_command("extract_quotes", *map(str, paths), "--format", "json")
    else:
        with pytest.raises(SystemExit) as exc:
            call_command("extract_quotes", *map(str, paths), "--format", "json")
        assert exc.value.code == expect_exit
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_json_contract_with_offsets_into_the_raw_text(tmp_path, capsys):
    text = 'Intro 😀 line.\r\n\r\n"We will win," Mayor Ana Costa said on Monday.\n'
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode("utf-8"))
    document, err = run(capsys, path)
    assert err == ""
    [doc] = document["documents"]
    assert doc["path"] == str(path)
    quote = next(q for q in doc["quotes"] if "We will win" in q["text"])
    assert set(quote) == {"start", "end", "text", "kind", "speaker", "cue", "confidence"}
    assert text[quote["start"] : quote["end"]] == quote["text"]
    assert quote["kind"] == "direct"
    assert 0 <= quote["confidence"] <= 1
    speaker, cue = quote["speaker"], quote["cue"]
    assert "Ana Costa" in text[speaker["start"] : speaker["end"]]
    assert "Costa" in speaker["name"]
    assert text[cue["start"] : cue["end"]] == cue["text"] == "said"


def test_unreadable_and_undecodable_files_are_reported_and_the_rest_processed(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text('"Yes," she said.', encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9".encode("latin-1"))
    document, err = run(capsys, tmp_path / "missing.txt", latin, good, expect_exit=1)
    assert [d["path"] for d in document["documents"]] == [str(good)]
    assert "missing.txt: cannot read" in err
    assert "latin.txt: not UTF-8" in err


def test_an_empty_file_has_no_quotes(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    document, _ = run(capsys, empty)
    assert document == {"documents": [{"path": str(empty), "quotes": []}]}
