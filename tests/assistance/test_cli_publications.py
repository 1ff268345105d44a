"""``suffrage assist doc version|withdraw`` and ``report withdraw`` through the CLI, on
SQLite and PostgreSQL (spec/assistance.md#10.7, #10.8, #11.5)."""

from __future__ import annotations

from pathlib import Path


def test_versions_and_a_withdrawn_document(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("request", "new", "--country", "NPL", "--received", "2026-02-01",
        "--election", "federal parliament 2027", "--kind", "technical_assistance")  # fmt: skip
    first, second = tmp_path / "one.txt", tmp_path / "two.txt"
    first.write_text("The register is eleven months out of date.\n", encoding="utf-8")
    second.write_text("The register is seven months out of date.\n", encoding="utf-8")
    run("doc", "add", "EA-2026-0001", "--kind", "lesson_learned", "--language", "en",
        "--title", "Register", "--file", str(first), "--date", "2026-05-01",
        "--publish")  # fmt: skip
    out = run("doc", "version", "1", "--file", str(second), "--date", "2026-05-09")
    assert out.strip() == (
        "document 2 attached to EA-2026-0001: version 2, supersedes document 1 (published)"
    )
    out = run("doc", "version", "1", "--file", str(second), code=2)
    assert "already superseded by document 2" in out
    out = run("doc", "show", "1", user=None)
    assert "eleven months" in out
    assert "SUPERSEDED by document 2" in out
    assert "2. document 2, Register (2026-05-09; published)" in out
    out = run("doc", "search", "register", user=None)
    assert out.startswith("2. Register")
    assert out.strip().endswith("1 document")
    out = run("doc", "search", "register", "--every-version")
    assert (
        "1. Register  [lesson_learned, en, 2026-05-01, published, SUPERSEDED by document 2]" in out
    )
    out = run("doc", "withdraw", "2", "--reason", "", code=2)
    assert "reason: is empty" in out
    out = run("doc", "withdraw", "2", "--reason", "The register figures were wrong.")
    assert out.startswith("document 2: publication withdrawn on 20")
    out = run("doc", "show", "2", user=None, code=2)
    assert "document 2 was withdrawn on" in out
    assert "The register figures were wrong." in out
    assert run("doc", "search", "register", user=None).strip() == "0 documents"
    out = run("doc", "show", "2")
    assert "WITHDRAWN on" in out
    assert "by Focal Point: The register figures were wrong." in out
    out = run("doc", "publish", "2", code=2)
    assert "a withdrawal is final" in out
    assert run("history", "check").startswith("history intact: ")


def test_a_withdrawn_status_report(run) -> None:  # type: ignore[no-untyped-def]
    run("report", "publish", "--from", "2026-01-01", "--to", "2026-06-30")
    out = run("report", "withdraw", "1", "--reason", "Two requests were counted twice.")
    assert out.startswith("status report 1 withdrawn on 20")
    assert run("report", "published", user=None).strip() == ""
    assert "WITHDRAWN on" in run("report", "published")
    out = run("report", "published", "--id", "1", user=None, code=2)
    assert "status report 1 was withdrawn on" in out
    assert "counted twice" in out
    out = run("report", "withdraw", "1", "--reason", "again", code=2)
    assert "already withdrawn" in out
    assert "1 checked against the history" in run("report", "check")
    assert run("history", "check").startswith("history intact: ")
