"""Reports for people: results, counts, charts and verification reports, in six languages.

This layer turns what the lower layers compute (a count's :class:`~suffrage.counting.Result`,
a record's results, a :class:`~suffrage.verify.report.VerificationReport`) into text tables,
CSV, JSON, HTML, PDF, NIST SP 1500-100 and SVG charts. It returns text or bytes and prints
nothing; the command line and the web server write what it returns.
"""

from __future__ import annotations

__all__: list[str] = []
