"""RCTab compatibility: its contest configuration, its cast-vote-record providers, its
tabulation rules and its detailed report (spec/counting.md#rctab)."""

__all__: list[str] = []
