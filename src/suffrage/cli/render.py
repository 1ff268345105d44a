"""Rendering for the terminal: the verification report (the library prints nothing)."""

from __future__ import annotations

from rich.console import Console

from suffrage.reports.verification import report_text
from suffrage.verify.report import VerificationReport

__all__ = ["print_report"]


def print_report(console: Console, report: VerificationReport, language: str = "en") -> None:
    """The verification report as plain text at the console's width (never truncated)."""
    text = report_text(report, language=language, width=console.width)
    console.out(text, highlight=False, end="")
