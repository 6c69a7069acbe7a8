import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.articles.models import Article


def test_folder_import_imports_skips_and_refuses_with_a_summary(tmp_path, capsys, db):
    (tmp_path / "a.txt").write_text(
        'First story\n\n"We are ready," the mayor said.', encoding="utf-8"
    )
    (tmp_path / "b.html").write_text(
        "<html><head><title>Second</title></head><body><p>Body two.</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "c.txt").write_text(
        'First story\n\n"We are ready," the mayor said.', encoding="utf-8"
    )
    (tmp_path / "d.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_folder", str(tmp_path), "--no-progress", "--outlet=Wire")
    out = capsys.readouterr().out
    assert "Imported 2, skipped 1 (already in Quotetrail), refused 1." in out
    assert "refused   d.txt: The file looks like binary data" in out
    assert "skipped   c.txt: Already imported" in out
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First story", "Second"]
    assert Article.objects.get(title="First story").suggestions.exists()
    assert set(Article.objects.values_list("outlet", flat=True)) == {"Wire"}


def test_folder_import_of_an_empty_or_missing_folder_is_an_error(tmp_path, db):
    with pytest.raises(CommandError, match=r"no \.txt or \.html"):
        call_command("import_folder", str(tmp_path), "--no-progress")
    with pytest.raises(CommandError, match="not a folder"):
        call_command("import_folder", str(tmp_path / "nope"))
