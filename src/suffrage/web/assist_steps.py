"""The workflow's forms on a request's page (spec/assistance.md#12.1; issue 19): plan the
assessment, record it, decide, start, advance, close.

A form is shown only when the request's state allows its move (the domain's
:data:`~suffrage.assistance.domain.TRANSITIONS`, a decline closing rather than starting) and
the user's role may take it; both are only what to show: the POST
(:mod:`suffrage.web.assist_posts`) calls the service's use case (:func:`take_step`), which
checks the role and the move again. A refusal is shown with the fields here: the service's
:class:`~suffrage.errors.InvalidInput` tied to its field, and an error summary at the top
that takes the focus. The field helpers serve the other forms too (a new request, a document).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from suffrage.assistance.access import Action, User
from suffrage.assistance.domain import (
    PHASE_ORDER,
    Assessment,
    Condition,
    Decision,
    Outcome,
    Phase,
    State,
    parse_date,
)
from suffrage.assistance.records import Case
from suffrage.assistance.regions import name_of
from suffrage.assistance.service import Registry
from suffrage.errors import InvalidInput
from suffrage.i18n import Catalog
from suffrage.web.assist_pages import Page, esc

__all__ = [
    "FIELDS",
    "STEPS",
    "Refusal",
    "choice_field",
    "error_summary",
    "field_error",
    "input_field",
    "step_forms",
    "steps_open",
    "take_step",
    "text_field",
]

STEPS = ("plan", "assess", "decide", "start", "advance", "close")
"""The workflow's steps, each a form and a ``POST /assist/requests/{reference}/{step}``."""

_ACTION = {
    "plan": Action.PLAN_ASSESSMENT,
    "assess": Action.RECORD_ASSESSMENT,
    "decide": Action.DECIDE,
    "start": Action.RUN_ASSISTANCE,
    "advance": Action.RUN_ASSISTANCE,
    "close": Action.RUN_ASSISTANCE,
}

FIELDS = {
    "plan": ("starts", "ends", "team"),
    "assess": ("findings", "conditions"),
    "decide": ("outcome", "reasons", "conditions"),
    "start": ("phase",),
    "advance": ("phase",),
    "close": ("final_report",),
    "new": ("authority", "country", "mandate", "received_on", "elections", "kinds"),
    "attach": ("kind", "language", "title", "author", "dated", "body"),
}


@dataclasses.dataclass(frozen=True, slots=True)
class Refusal:
    """What the service refused in one form: the step, the field (``""``: the whole
    step), the service's reason, and the values sent (to show them again)."""

    step: str
    field: str
    reason: str
    sent: Mapping[str, str] = dataclasses.field(default_factory=dict)


def steps_open(case: Case) -> tuple[str, ...]:
    """The steps the request's state allows (the transition table; a decline closes)."""
    declined = case.decision is not None and case.decision.outcome is Outcome.DECLINE
    later = case.phase is not None and case.phase is not PHASE_ORDER[-1]
    return {
        State.RECEIVED: ("plan",),
        State.ASSESSMENT_PLANNED: ("assess",),
        State.ASSESSED: ("decide",),
        State.DECIDED: ("close",) if declined else ("start",),
        State.UNDER_WAY: ("advance", "close") if later else ("close",),
        State.CLOSED: (),
    }[case.state]


# -- the forms --------------------------------------------------------------------------


def _error_key(step: str, name: str) -> str:
    """The catalog's message for a refused field (a decision's conditions are not the
    assessment's; a document's fields have their own)."""
    if (step, name) == ("decide", "conditions"):
        return "step_error_decision_conditions"
    if step in ("activity", "expert", "user"):  # the records' forms (assist_records)
        return f"w_error_{name}"
    return f"step_error_doc_{name}" if step == "attach" else f"step_error_{name}"


def field_error(t: Catalog, name: str, refusal: Refusal | None) -> tuple[str, str]:
    """The error paragraph of field ``name`` and the attributes that tie it to its field."""
    if refusal is None or refusal.field != name:
        return "", ""
    message = (
        f'<p class="error" id="{name}-error">{esc(t(_error_key(refusal.step, name)))} '
        f'<bdi lang="en">{esc(refusal.reason)}</bdi></p>'
    )
    return message, f' aria-describedby="{name}-error" aria-invalid="true"'


def _hint(name: str, text: str) -> str:
    return f'<p class="hint" id="{name}-hint">{esc(text)}</p>'


def input_field(
    t: Catalog,
    name: str,
    label: str,
    value: str,
    refusal: Refusal | None,
    *,
    kind: str = "text",
    choices: Iterable[str] = (),
) -> str:
    """A labelled input; with ``choices`` (country codes), a list the browser suggests from,
    each code labelled with its name in the page's language."""
    message, tie = field_error(t, name, refusal)
    listed = ""
    if choices:
        options = sorted((name_of(c, t.language), c) for c in choices)
        listed = (
            f'<datalist id="{name}-list">'
            + "".join(f'<option value="{esc(c)}">{esc(n)}</option>' for n, c in options)
            + "</datalist>"
        )
        tie += f' list="{name}-list" autocomplete="off"'
    return (
        f'<div class="field"><label for="{name}">{esc(label)}</label>{message}'
        f'<input id="{name}" name="{name}" type="{kind}" value="{esc(value)}"{tie}>{listed}</div>'
    )


def text_field(
    t: Catalog, name: str, label: str, value: str, refusal: Refusal | None, *, hint: str = ""
) -> str:
    message, tie = field_error(t, name, refusal)
    if hint:
        described = f"{name}-hint" + (f" {name}-error" if message else "")
        tie = f' aria-describedby="{described}"' + (' aria-invalid="true"' if message else "")
    return (
        f'<div class="field"><label for="{name}">{esc(label)}</label>'
        f"{_hint(name, hint) if hint else ''}{message}"
        f'<textarea id="{name}" name="{name}" rows="3"{tie}>{esc(value)}</textarea></div>'
    )


def choice_field(
    t: Catalog,
    name: str,
    legend: str,
    options: Mapping[str, str],
    *,
    chosen: str,
    refusal: Refusal | None,
) -> str:
    message, tie = field_error(t, name, refusal)
    radios = "".join(
        f'<div class="choice"><input type="radio" id="{name}-{value}" name="{name}" '
        f'value="{esc(value)}"{" checked" if value == chosen else ""}>'
        f'<label for="{name}-{value}">{esc(text)}</label></div>'
        for value, text in options.items()
    )
    return (
        f'<fieldset id="{name}" class="field"{tie}><legend>{esc(legend)}</legend>{message}'
        f"{radios}</fieldset>"
    )


def _conditions(t: Catalog, sent: Mapping[str, str], refusal: Refusal | None) -> str:
    """Each para. 5 condition: met or not, and why."""
    message, tie = field_error(t, "conditions", refusal)
    parts = []
    for c in Condition:
        met = choice_field(
            t,
            f"met_{c.value}",
            t("step_condition_met"),
            {"yes": t("met"), "no": t("not_met")},
            chosen=sent.get(f"met_{c.value}", ""),
            refusal=None,
        )
        why = text_field(
            t, f"why_{c.value}", t("step_reason"), sent.get(f"why_{c.value}", ""), None
        )
        parts.append(
            f'<fieldset class="field"><legend>{esc(t(f"condition_{c.value}"))}</legend>'
            f"{met}{why}</fieldset>"
        )
    return (
        f'<fieldset id="conditions" class="field"{tie}><legend>{esc(t("step_conditions"))}'
        f"</legend>{message}{''.join(parts)}</fieldset>"
    )


def _fields(t: Catalog, step: str, case: Case, sent: Mapping[str, str], r: Refusal | None) -> str:
    if step == "plan":
        return (
            input_field(t, "starts", t("step_starts"), sent.get("starts", ""), r, kind="date")
            + input_field(t, "ends", t("step_ends"), sent.get("ends", ""), r, kind="date")
            + text_field(
                t, "team", t("step_team"), sent.get("team", ""), r, hint=t("step_team_hint")
            )
        )
    if step == "assess":
        return text_field(
            t, "findings", t("step_findings"), sent.get("findings", ""), r
        ) + _conditions(t, sent, r)
    if step == "decide":
        outcomes = {o.value: t(f"outcome_{o.value}") for o in Outcome}
        return (
            choice_field(
                t, "outcome", t("col_outcome"), outcomes, chosen=sent.get("outcome", ""), refusal=r
            )
            + text_field(t, "reasons", t("col_reasons"), sent.get("reasons", ""), r)
            + text_field(
                t,
                "conditions",
                t("col_conditions"),
                sent.get("conditions", ""),
                r,
                hint=t("step_conditions_hint"),
            )
        )
    if step in ("start", "advance"):
        now = PHASE_ORDER.index(case.phase) + 1 if case.phase and step == "advance" else 0
        phases = {p.value: t(f"phase_{p.value}") for p in PHASE_ORDER[now:]}
        chosen = sent.get("phase", "")
        return choice_field(t, "phase", t("col_phase"), phases, chosen=chosen, refusal=r)
    return text_field(t, "final_report", t("final_report_title"), sent.get("final_report", ""), r)


def step_forms(p: Page, case: Case, refusal: Refusal | None = None) -> str:
    """The forms of the steps this user may take now ("" for none)."""
    t = p.t
    forms = []
    for step in steps_open(case):
        if _ACTION[step] not in p.may:
            continue
        mine = refusal if refusal is not None and refusal.step == step else None
        sent = mine.sent if mine is not None else {}
        forms.append(
            f'<section aria-labelledby="step-{step}"><h3 id="step-{step}">'
            f"{esc(t(f'step_{step}'))}</h3>"
            f'<form method="post" action="/assist/requests/{esc(case.reference)}/{step}" '
            f'class="stack"><input type="hidden" name="csrf" value="{esc(p.csrf)}">'
            f"{_fields(t, step, case, sent, mine)}"
            f'<button type="submit">{esc(t(f"step_{step}"))}</button></form></section>'
        )
    if not forms:
        return ""
    return f"<h2>{esc(t('steps_title'))}</h2>" + "".join(forms)


def error_summary(t: Catalog, refusal: Refusal) -> str:
    """The summary at the top of the page, which takes the focus: the refusal, linked to
    its field."""
    target = refusal.field if refusal.field in FIELDS[refusal.step] else f"step-{refusal.step}"
    known = refusal.field in FIELDS[refusal.step]
    what = t(_error_key(refusal.step, refusal.field) if known else "step_error_move")
    return (
        '<div class="error-summary" role="alert" tabindex="-1" autofocus '
        'aria-labelledby="error-summary-title">'
        f'<h2 id="error-summary-title">{esc(t("step_error_title"))}</h2>'
        f'<ul><li><a href="#{esc(target)}">{esc(what)}</a> '
        f'<bdi lang="en">{esc(refusal.reason)}</bdi></li></ul></div>'
    )


# -- the routes -------------------------------------------------------------------------


def _phase(value: str) -> Phase:
    if value not in {p.value for p in Phase}:
        raise InvalidInput("phase", f"choose one of {', '.join(p.value for p in Phase)}")
    return Phase(value)


def take_step(
    registry: Registry, user: User, reference: str, step: str, f: Mapping[str, str]
) -> None:
    """Turn the form into the use case's arguments and call it (which checks the role)."""
    if step == "plan":
        team = [m.strip() for m in f.get("team", "").splitlines() if m.strip()]
        starts = parse_date("starts", f.get("starts", ""))
        ends = parse_date("ends", f.get("ends", ""))
        if not team:
            raise InvalidInput("team", "name at least one member of the assessment team")
        registry.plan_assessment(user, reference, starts=starts, ends=ends, team=team)
    elif step == "assess":
        answers = {
            c: (f[f"met_{c.value}"] == "yes", f.get(f"why_{c.value}", ""))
            for c in Condition
            if f.get(f"met_{c.value}") in ("yes", "no")
        }
        found = Assessment(findings=f.get("findings", ""), conditions=answers)
        registry.record_assessment(user, reference, found)
    elif step == "decide":
        if f.get("outcome", "") not in {o.value for o in Outcome}:
            raise InvalidInput("outcome", f"choose one of {', '.join(o.value for o in Outcome)}")
        decision = Decision(
            outcome=Outcome(f["outcome"]),
            reasons=f.get("reasons", ""),
            conditions=f.get("conditions", ""),
        )
        registry.decide(user, reference, decision)
    elif step == "start":
        registry.start(user, reference, _phase(f.get("phase", "")))
    elif step == "advance":
        registry.advance(user, reference, _phase(f.get("phase", "")))
    else:
        registry.close(user, reference, f.get("final_report", ""))
