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


def test_folder_import_takes_outlet_date_byline_and_title_from_a_metadata_file(
    tmp_path, capsys, db
):
    folder = tmp_path / "text"
    folder.mkdir()
    (folder / "wire_2016-07-27_russia.txt").write_text(
        'Heading in the file\n\n"I hope you are able to find them," he said.', encoding="utf-8"
    )
    (folder / "other.txt").write_text("Other story\n\nNo metadata row.", encoding="utf-8")
    (folder / "late.txt").write_text("Late story\n\nA bad date.", encoding="utf-8")
    meta = tmp_path / "metadata.tsv"
    meta.write_text(
        "compartment\tfilename\tpublisher\tpublication_date\tauthor\ttitle\n"
        "train\twire_2016-07-27_russia\tbreitbart\t2016-07-27\tAP\tObama to frame election\n"
        "train\tlate.txt\thuffpost\t27/07/2016\t\t\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="1 file"):
        call_command(
            "import_folder", str(folder), "--no-progress", f"--metadata={meta}", "--outlet=Desk"
        )
    out = capsys.readouterr().out
    assert "refused   late.txt: Published date '27/07/2016' is not a date" in out
    described = Article.objects.get(title="Obama to frame election")
    assert (described.outlet, described.published.isoformat(), described.byline) == (
        "breitbart",
        "2016-07-27",
        "AP",
    )
    assert described.body.endswith('I hope you are able to find them," he said.')
    assert "Heading in the file" not in described.body
    other = Article.objects.get(title="Other story")
    assert (other.outlet, other.published) == ("Desk", None)
    assert not Article.objects.filter(title="Late story").exists()


def test_folder_import_refuses_a_metadata_file_without_a_filename_column(tmp_path, db):
    (tmp_path / "a.txt").write_text("A story\n\nBody.", encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("title,outlet\nA story,Wire\n", encoding="utf-8")
    with pytest.raises(CommandError, match="`filename`"):
        call_command("import_folder", str(tmp_path), "--no-progress", f"--metadata={meta}")
    assert not Article.objects.exists()
