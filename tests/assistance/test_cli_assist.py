"""``suffrage assist``: the workflow end to end through the CLI, on SQLite and PostgreSQL;
the history check fails (exit 1) naming an entry edited in the database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from suffrage.cli.main import app


def test_a_request_from_receipt_to_closure(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = run(
        "request",
        "new",
        "--country",
        "NPL",
        "--received",
        "2026-02-01",
        "--election",
        "federal parliament 2027",
        "--kind",
        "technical_assistance",
    )
    assert out.strip() == "EA-2026-0001: received"
    out = run("decide", "EA-2026-0001", "--outcome", "assist", "--reasons", "r", code=2)
    assert (
        "error: request EA-2026-0001 is received: it cannot go to decided; "
        "allowed: assessment_planned" in out
    )
    run(
        "plan-assessment",
        "EA-2026-0001",
        "--starts",
        "2026-03-01",
        "--ends",
        "2026-03-10",
        "--team",
        "A",
    )
    out = run(
        "record-assessment",
        "EA-2026-0001",
        "--findings",
        "EMB in place",
        "--condition",
        "adequate_time=unmet:four months only",
        "--condition",
        "free_and_fair_conditions=met:open campaign",
        "--condition",
        "reporting_provisions=met:agreed",
    )
    assert out.strip() == "EA-2026-0001: assessed"
    out = run("decide", "EA-2026-0001", "--outcome", "assist", "--reasons", "r", code=2)
    assert "unmet: adequate_time" in out
    run(
        "decide",
        "EA-2026-0001",
        "--outcome",
        "assist_with_conditions",
        "--reasons",
        "needed",
        "--conditions",
        "polling day moved by two months",
    )
    assert (
        run("start", "EA-2026-0001", "--phase", "pre_electoral").strip()
        == "EA-2026-0001: under_way (pre_electoral)"
    )
    run("advance", "EA-2026-0001", "--phase", "electoral")
    (tmp_path / "report.txt").write_text("Final report: delivered.\n")
    assert (
        run("close", "EA-2026-0001", "--report-file", str(tmp_path / "report.txt")).strip()
        == "EA-2026-0001: closed"
    )
    shown = run("request", "show", "EA-2026-0001")
    assert "adequate_time: NOT met (four months only)" in shown
    assert "final report: Final report: delivered." in shown
    assert "  history:\n    2. 20" in shown  # entry 1 (the first user) is not this request's
    assert " decided -> decided  by Focal Point (focal_point)" in shown
    assert shown.count(" by Focal Point (focal_point)") == 7
    assert "history intact: 8 entries" in run("history", "check")


def test_roles_through_the_cli(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "new").write_text("another long password\n")
    run(
        "user",
        "add",
        "Liaison",
        "--role",
        "member_state_liaison",
        "--state",
        "BOL",
        "--new-password-file",
        str(tmp_path / "new"),
    )
    run(
        "request",
        "new",
        "--country",
        "NPL",
        "--received",
        "2026-02-01",
        "--election",
        "e",
        "--kind",
        "technical_assistance",
    )
    (tmp_path / "pw").write_text("another long password\n")
    out = run("request", "show", "EA-2026-0001", user="Liaison", code=2)
    assert "may view only BOL's requests" in out
    assert run("request", "list", user="Liaison").strip() == "0 requests"
    out = run("request", "list", user=None, code=2)  # the public
    assert "anonymous (public) may not view requests" in out
    token = run("user", "token", "--label", "ci", user="Liaison").strip()
    (tmp_path / "token").write_text(token + "\n")
    out = run("--token-file", str(tmp_path / "token"), "request", "list", user=None)
    assert out.strip() == "0 requests"  # the token acts as the liaison
    (tmp_path / "token").write_text("not a token\n")
    out = run("--token-file", str(tmp_path / "token"), "request", "list", user=None, code=2)
    assert "unknown token" in out
    (tmp_path / "pw").write_text("wrong password here\n")
    assert "unknown user or wrong password" in run("request", "list", user="Liaison", code=2)


def test_activities_experts_and_figures(run) -> None:  # type: ignore[no-untyped-def]
    common = ["--country", "NPL", "--phase", "pre_electoral", "--kind", "technical_assistance"]
    run(
        "activity",
        "add",
        "--entity",
        "UNDP",
        *common,
        "--starts",
        "2026-06-01",
        "--ends",
        "2026-12-31",
        "--title",
        "A",
    )
    out = run(
        "activity",
        "add",
        "--entity",
        "DPO",
        *common,
        "--starts",
        "2026-11-01",
        "--ends",
        "2027-01-31",
        "--title",
        "B",
    )
    assert "warning: overlap (A/RES/74/158 para. 18): UNDP 'A' and DPO 'B'" in out
    for i in range(6):
        run(
            "expert",
            "add",
            f"Expert {i}",
            "--skill",
            "voter registration",
            "--language",
            "fr",
            "--region",
            "africa",
            "--available",
            "2026-01-01:2026-12-31",
            "--joined",
            "2025-01-01",
            "--gender",
            "woman" if i < 5 else "man",
        )
    out = run(
        "expert",
        "match",
        "--purpose",
        "EA-2026-0001",
        "--skill",
        "voter registration",
        "--language",
        "fr",
        "--starts",
        "2026-03-01",
        "--ends",
        "2026-04-01",
    )
    assert "1. Expert 0 (score 5): skills: voter registration (1 of 1); speaks fr" in out
    log = run("expert", "access-log")
    assert "Focal Point  expert 1  match for EA-2026-0001" in log
    assert log.strip().endswith("6 reads logged")  # the match read all six
    out = run("roster", "figures", "--at", "2026-01-01", user=None)  # the public may see these
    assert "gender: man: fewer than 5, woman: fewer than 5" in out  # 5 would reveal the 1
    assert "Expert" not in out


def test_history_check_names_an_edited_entry(run, registry_url: str) -> None:  # type: ignore[no-untyped-def]
    run(
        "request",
        "new",
        "--country",
        "NPL",
        "--received",
        "2026-02-01",
        "--election",
        "e",
        "--kind",
        "technical_assistance",
    )
    engine = create_engine(registry_url)
    with engine.begin() as conn:  # bypass the code and its triggers
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER assist_history_no_update"))
        else:
            conn.execute(text("DROP TRIGGER assist_history_append_only ON assist_history"))
        conn.execute(text("UPDATE assist_history SET subject = 'EA-2026-0099' WHERE sequence = 2"))
    engine.dispose()
    result = CliRunner().invoke(
        app,
        [
            "assist",
            "--db",
            registry_url,
            "--user",
            "Focal Point",
            "--password-file",
            "/dev/null",
            "history",
            "check",
        ],
    )
    assert result.exit_code == 2  # /dev/null holds no password
    out = run("history", "check", code=1)
    assert "history BROKEN at entry 2: its content does not match its hash (edited)" in out


def test_the_demo_loads_and_says_it_is_fictional(registry_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["assist", "--db", registry_url, "demo"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Fictional sample: the requesting States are real Member States"
    )
    assert "activities: 4 (1 overlap); experts: 24" in result.output
    again = runner.invoke(app, ["assist", "--db", registry_url, "demo"])
    assert again.exit_code == 2
    assert "already has users" in again.output
    check = runner.invoke(
        app,
        ["assist", "--db", registry_url, "--user", "demo-ead", "history", "check"],
        env={"SUFFRAGE_ASSIST_PASSWORD": "demo password 2026"},
    )
    # 50 entries, one per document attached by the demo (spec/assistance.md#10.3), one for
    # the new version and one for the withdrawal (#10.7, #10.8)
    assert "history intact: 61 entries" in check.output


def test_commands_other_than_init_and_demo_create_no_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    result = CliRunner().invoke(app, ["assist", "--db", f"sqlite:///{missing}", "request", "list"])
    assert result.exit_code == 2
    assert f"no assistance registry at {missing}: `suffrage assist init`" in result.output
    assert not missing.exists()


def test_an_anchor_noted_earlier_finds_removed_last_entries(run, registry_url: str) -> None:  # type: ignore[no-untyped-def]
    new = ("request", "new", "--country", "NPL", "--received", "2026-02-01", "--election", "e")
    run(*new, "--kind", "technical_assistance")
    out = run("history", "check")
    noted = out.split("anchor to note outside the registry:\n")[1].strip()
    assert noted.startswith("2:")
    assert len(noted) == 2 + 64
    run(*new, "--kind", "expert_panel")
    out = run("history", "check", "--anchor", noted)
    assert f"anchor {noted} found" in out
    assert "anchor to note outside the registry:\n  3:" in out
    engine = create_engine(registry_url)
    with engine.begin() as conn:  # cut the tail behind the code's back: the chain still holds
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER assist_history_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER assist_history_append_only ON assist_history"))
        conn.execute(text("DELETE FROM assist_history WHERE sequence >= 2"))
        conn.execute(text("DELETE FROM assist_requests"))  # and the rows those entries bound
    engine.dispose()
    assert "history intact: 1 entries" in run("history", "check")  # alone, it cannot tell
    out = run("history", "check", "--anchor", noted, code=1)
    assert (
        "history BROKEN at entry 2: the anchor noted entry 2, but the history ends at entry 1: "
        "its last entries were removed" in out
    )


def test_an_anchor_with_another_hash_is_a_rewrite_and_a_bad_one_is_refused(run) -> None:  # type: ignore[no-untyped-def]
    out = run("history", "check", "--anchor", "1:" + "0" * 64, code=1)
    assert "history BROKEN at entry 1: its hash is not the one the anchor noted" in out
    out = run("history", "check", "--anchor", "one:abc", code=2)
    assert "expected N:HASH" in out
