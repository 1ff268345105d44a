"""Use cases: the expert roster, with every read of personal data logged
(spec/assistance.md#4, #7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from suffrage.assistance import storage as db
from suffrage.assistance._parts import Part
from suffrage.assistance.access import Action, User, permit
from suffrage.assistance.records import expert_from_row, expert_values
from suffrage.assistance.roster import Expert, Figures, Match, Need, check_expert, figures, match
from suffrage.errors import NotFound

__all__ = ["Roster"]


class Roster(Part):
    def add_expert(self, user: User, expert: Expert) -> Expert:
        permit(user, Action.MANAGE_ROSTER)
        check_expert(expert)
        with self.store.writing() as conn:
            made = replace(expert, expert_id=db.insert_row(conn, db.experts, expert_values(expert)))
            # the history names the expert by number only: no personal data in it
            self._record(conn, user, "expert added", f"expert:{made.expert_id}", {})
        return made

    def show_expert(self, user: User, expert_id: int, purpose: str) -> Expert:
        """One expert's record, for the roles that read personal data; the read is logged
        with ``purpose``. Self-descriptions stay in the record: callers show none of them."""
        permit(user, Action.READ_EXPERTS)
        found = self._logged(
            user, purpose, lambda everyone: [e for e in everyone if e.expert_id == expert_id]
        )
        if not found:
            raise NotFound(f"no expert {expert_id}")
        return found[0]

    def search_experts(
        self,
        user: User,
        *,
        skill: str | None = None,
        language: str | None = None,
        region: str | None = None,
    ) -> list[Expert]:
        """Experts with the skill, language and region asked (each optional); the read of
        each expert found is logged."""
        permit(user, Action.READ_EXPERTS)
        what = f"search skill={skill} language={language} region={region}"

        def wanted(e: Expert) -> bool:
            return (
                (skill is None or skill.casefold() in {s.casefold() for s in e.skills})
                and (language is None or language in e.languages)
                and (region is None or region in {r.value for r in e.regions})
            )

        return self._logged(user, what, lambda everyone: [e for e in everyone if wanted(e)])

    def match_experts(self, user: User, need: Need, purpose: str) -> list[Match]:
        """Experts matched to ``need``, best first, each with its reasons; reads logged."""
        permit(user, Action.READ_EXPERTS)
        found: list[Match] = []

        def pick(everyone: list[Expert]) -> list[Expert]:
            found.extend(match(everyone, need))
            return [m.expert for m in found]

        self._logged(user, f"match for {purpose}", pick)
        return found

    def _logged(
        self, user: User, what: str, pick: Callable[[list[Expert]], list[Expert]]
    ) -> list[Expert]:
        with self.store.writing() as conn:
            everyone = [expert_from_row(r) for r in db.rows(conn, db.experts)]
            chosen = pick(everyone)
            ids = [e.expert_id for e in chosen if e.expert_id is not None]
            db.log_access(conn, at=self._now(), actor=user.name, expert_ids=ids, what=what)
        return chosen

    def roster_figures(self, user: User, at: date) -> Figures:
        """Aggregate figures only (groups under 5 suppressed): no individual is shown, so
        the read is not an individual access (spec/assistance.md#4)."""
        permit(user, Action.VIEW_FIGURES)
        with self.store.engine.connect() as conn:
            everyone = [expert_from_row(r) for r in db.rows(conn, db.experts)]
        return figures(everyone, at)

    def access_log(self, user: User) -> list[dict[str, Any]]:
        permit(user, Action.READ_EXPERTS)
        with self.store.engine.connect() as conn:
            return [dict(r) for r in db.rows(conn, db.access_log)]
