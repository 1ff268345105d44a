"""``suffrage assist doc``: attach, search, publish and show through the CLI, on SQLite and
PostgreSQL; and the demo's documents in several languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from suffrage.cli.main import app


def test_attach_search_publish_show(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("request", "new", "--country", "NPL", "--received", "2026-02-01",
        "--election", "federal parliament 2027", "--kind", "technical_assistance")  # fmt: skip
    report = tmp_path / "zh.txt"
    report.write_text("\ufeff评估团认为，选民登记工作需要更多时间。\n", encoding="utf-8")
    out = run("doc", "add", "EA-2026-0001", "--kind", "lesson_learned", "--language", "zh",
              "--title", "经验教训", "--file", str(report), "--date", "2026-05-01")  # fmt: skip
    assert out.strip() == "document 1 attached to EA-2026-0001 (not published)"
    out = run("doc", "search", "选民登记")
    assert (
        "1. 经验教训  [lesson_learned, zh, 2026-05-01, not published]  request EA-2026-0001" in out
    )
    assert "[选民登记]" in out
    assert out.strip().endswith("1 document")
    assert run("doc", "search", "选民登记", user=None).strip() == "0 documents"
    out = run("doc", "show", "1", user=None, code=2)
    assert "no document 1 that anonymous may see" in out
    assert run("doc", "publish", "1").strip() == "document 1 published"
    assert "[选民登记]" in run("doc", "search", "选民登记", user=None)
    out = run("doc", "show", "1", user=None)
    assert "published; sha256" in out
    assert "(matches the history)" in out
    assert "评估团认为，选民登记工作需要更多时间。" in out
    out = run("doc", "search", '"*:-', code=2)
    assert "query: holds no word" in out
    out = run("doc", "search", "x", "--language", "de", code=2)
    assert "'de' is not one of" in out
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\x00a")
    out = run("doc", "add", "EA-2026-0001", "--kind", "other", "--language", "en",
              "--title", "t", "--file", str(binary), code=2)  # fmt: skip
    assert "bin.txt: is not UTF-8 text" in out
    assert run("history", "check").startswith("history intact: ")


def test_the_demo_has_documents_in_several_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SUFFRAGE_ASSIST_PASSWORD", "SUFFRAGE_ASSIST_TOKEN", "SUFFRAGE_ASSIST_USER"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    runner = CliRunner()
    result = runner.invoke(app, ["assist", "--db", url, "demo"])
    assert result.exit_code == 0, result.output
    assert "documents: 10 (one in two versions, one publication withdrawn)" in result.output

    def search(query: str, *who: str) -> str:
        found = runner.invoke(app, ["assist", "--db", url, *who, "doc", "search", query])
        assert found.exit_code == 0, found.output
        return found.output

    assert "选民登记培训的经验教训" in search("选民登记")  # published: the public sees it
    assert "0 documents" in search("تسجيل الناخبين")  # the Arabic assessment is not published
    ead = ["--user", "demo-ead", "--password-file", str(tmp_path / "demo-pw")]
    (tmp_path / "demo-pw").write_text("demo password 2026\n")
    assert "تقرير بعثة تقييم الاحتياجات" in search("تسجيل الناخبين", *ead)
    assert "Misión de evaluación" in search("padron electoral", *ead)
