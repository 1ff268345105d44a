"""The verification report for people (text) and programs (JSON), in six languages.

The text never truncates: it is a list of wrapped paragraphs, not a table, so it reads the
same at 40 columns as at 200, in a pipe and in a file. It opens with what was verified,
gives every check its state (pass, FAIL, not checked, not yet: spec/protocol.md#15.1), and
summarises the failures of one check when there are many: their count and the first ten
(the JSON report keeps every one, structured). The reasons of failures are the verifier's
own English words, the same in every language, so that an observer can quote them exactly.
"""

from __future__ import annotations

import json

from suffrage.i18n import Catalog, catalog
from suffrage.reports.text import MIN_WIDTH, display_width, wrap_text
from suffrage.verify.report import CheckOutcome, RecordSubject, VerificationReport

__all__ = ["SHOWN_FAILURES", "explain_text", "report_json", "report_text"]

SHOWN_FAILURES = 10
"""The failures of one check the text report shows before it summarises the rest."""
_INDENT = "    "
_STATE_KEYS = {
    "pass": "state_pass",
    "fail": "state_fail",
    "not checked": "state_not_checked",
    "not yet": "state_not_yet",
}


def report_text(
    report: VerificationReport,
    *,
    language: str = "en",
    width: int = 80,
    explain: bool = False,
) -> str:
    """The report as text at most ``width`` cells wide (at least :data:`MIN_WIDTH`)."""
    t = catalog("verify", language)
    width = max(width, MIN_WIDTH)
    blocks = [
        _heading(t("title_partial" if report.partial else "title"), width),
        _subject(report.subject, t, width),
        _heading(t("checks"), width),
        *(_check(c, t, width, explain) for c in report.checks.values()),
    ]
    if report.notes:
        notes = "\n".join(wrap_text(f"- {n}", width) for n in report.notes)
        blocks.append(f"{_heading(t('notes'), width)}\n{notes}")
    blocks.append(wrap_text(_verdict(report, t), width))
    return "\n\n".join(blocks) + "\n"


def explain_text(*, language: str = "en", width: int = 80) -> str:
    """What each check proves and what it does not, in plain words (``verify --explain``)."""
    t = catalog("verify", language)
    width = max(width, MIN_WIDTH)
    parts = [_heading(t("explain_title"), width)]
    for number in _numbers(t):
        title = wrap_text(f"{number}  {t(f'check.{number}')}", width)
        parts.append(f"{title}\n{_indented(t(f'explain.{number}'), width)}")
    return "\n\n".join(parts) + "\n"


def report_json(report: VerificationReport) -> str:
    """The report as JSON: English keys, every failure structured (check, where, reason)."""
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


def _numbers(t: Catalog) -> list[str]:
    keys = [k.removeprefix("check.") for k in t.strings if k.startswith("check.")]
    return sorted(keys, key=lambda n: int(n[1:]))


def _heading(text: str, width: int) -> str:
    wrapped = wrap_text(text, width)
    rule = "=" * min(max(display_width(line) for line in wrapped.split("\n")), width)
    return f"{wrapped}\n{rule}"


def _indented(text: str, width: int) -> str:
    return wrap_text(_INDENT + text, width)


def _field(label: str, value: str, width: int) -> str:
    """``label: value``, or the value on its own indented lines when it does not fit."""
    line = f"{label}: {value}"
    if display_width(line) <= width:
        return line
    return f"{label}:\n{_indented(value, width)}"


def _subject(subject: RecordSubject, t: Catalog, width: int) -> str:
    unknown = t("not_given")
    title = dict(subject.titles).get(t.language, subject.title)
    election = " - ".join(x for x in (subject.election_id, title) if x) or unknown
    lines = [
        _field(t("election"), election, width),
        _field(t("base_hash"), subject.base_hash or unknown, width),
        _field(t("verifier"), f"suffrage {subject.verifier_version or unknown}", width),
        _field(t("verified_at"), subject.verified_at or unknown, width),
        f"{t('files')}:",
    ]
    if not subject.files:
        lines.append(_indented(t("no_files"), width))
    names = max((display_width(n) for n, _ in subject.files), default=0)
    for name, digest in subject.files:
        if len(_INDENT) + names + 2 + len(digest) <= width:
            pad = " " * (names - display_width(name))
            lines.append(f"{_INDENT}{name}{pad}  {digest}")
        else:
            lines.append(f"{_INDENT}{name}:\n{wrap_text(_INDENT * 2 + digest, width)}")
    return "\n".join(lines)


def _check(outcome: CheckOutcome, t: Catalog, width: int, explain: bool) -> str:
    state = t(_STATE_KEYS[outcome.state])
    head = f"{outcome.number}  {state}"
    if outcome.state in ("pass", "fail"):
        head += f"  ({t('checked', count=outcome.checked)})"
    lines = [wrap_text(head, width), _indented(t(f"check.{outcome.number}"), width)]
    if outcome.not_checked_because:
        lines.append(_indented(t("because", reason=outcome.not_checked_because), width))
    lines.extend(_failures(outcome, t, width))
    if explain:
        lines.append(_indented(t(f"explain.{outcome.number}"), width))
    return "\n".join(lines)


def _failures(outcome: CheckOutcome, t: Catalog, width: int) -> list[str]:
    failures = outcome.failures
    if not failures:
        return []
    lines = []
    if len(failures) > SHOWN_FAILURES:
        lines.append(
            _indented(t("first_failures", shown=SHOWN_FAILURES, count=len(failures)), width)
        )
    for failure in failures[:SHOWN_FAILURES]:
        lines.append(_bullet(failure.message, width))
    if len(failures) > SHOWN_FAILURES:
        lines.append(_indented(t("more_failures", more=len(failures) - SHOWN_FAILURES), width))
    return lines


def _bullet(text: str, width: int) -> str:
    """``- text`` under the check, its continuation lines hanging under the text."""
    hanging = _INDENT + "  "
    wrapped = wrap_text(hanging + text, width)
    return f"{_INDENT}- {wrapped[len(hanging) :]}"


def _verdict(report: VerificationReport, t: Catalog) -> str:
    failed, skipped = report.failed_checks(), report.not_checked()
    later = [n for n, c in report.checks.items() if c.state == "not yet"]
    parts = []
    if failed:
        parts.append(t("verdict_failed", checks=", ".join(failed)))
    if skipped:
        parts.append(t("verdict_not_checked", checks=", ".join(skipped)))
    if later:
        parts.append(t("verdict_not_yet", checks=", ".join(later)))
    if not failed and not skipped:
        parts.insert(0, t("verdict_partial" if report.partial else "verdict_pass"))
    return " ".join(parts)
