"""Add an expert to the roster (spec/assistance.md#12.4; A/RES/74/158 para. 17): a form on
the experts page for the roles that may add experts (focal point, EAD staff).

The expert's personal data goes in the POST's body only, never in a URL. The voluntary
self-descriptions (gender, disability) default to "prefer not to say", and the form says who
will see them: nobody one by one; only the roster's figures count them, groups under 5
hidden (spec/assistance.md#4). Success redirects (303) to ``/assist/experts?added=N`` (a
number, nothing personal); that page shows the expert's record, without the
self-descriptions, to the roles that may read experts' personal data, and the service logs
that read (spec/assistance.md#7).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from suffrage.assistance.access import Action, User
from suffrage.assistance.domain import parse_date
from suffrage.assistance.roster import Expert, Region
from suffrage.assistance.service import Registry
from suffrage.errors import InvalidInput
from suffrage.i18n import Catalog
from suffrage.web.assist_pages import Page, data, day, error_page, esc
from suffrage.web.assist_records import checkboxes, field_of, record_summary
from suffrage.web.assist_site import Site, Visit, acting, csrf_ok, read_form
from suffrage.web.assist_steps import Refusal, choice_field, input_field, text_field

__all__ = [
    "GENDERS",
    "ExpertsPage",
    "add_expert_routes",
    "added_notice",
    "expert_form",
    "expert_of",
]

GENDERS = ("woman", "man", "non-binary")
"""The self-descriptions of gender offered (as the demo's); "" is "prefer not to say"."""
DISABILITY = ("yes", "no")

ExpertsPage = Callable[[Visit, str, str], str]
"""The experts page for a visit, with the form and the error summary given."""


def _voluntary(t: Catalog, sent: Mapping[str, str], r: Refusal | None) -> str:
    """Gender and disability: voluntary, "prefer not to say" chosen unless changed."""
    gender = {"": t("w_prefer_not"), **{g: t(f"w_gender_{g.replace('-', '_')}") for g in GENDERS}}
    disability = {"": t("w_prefer_not"), **{d: t(f"w_disability_{d}") for d in DISABILITY}}
    return (
        '<fieldset class="field" aria-describedby="expert-voluntary-who">'
        f"<legend>{esc(t('w_expert_voluntary'))}</legend>"
        f'<p class="hint" id="expert-voluntary-who">{esc(t("w_expert_voluntary_who"))}</p>'
        + choice_field(
            t,
            "expert_gender",
            t("w_expert_gender"),
            gender,
            chosen=sent.get("expert_gender", ""),
            refusal=r,
        )
        + choice_field(
            t,
            "expert_disability",
            t("w_expert_disability"),
            disability,
            chosen=sent.get("expert_disability", ""),
            refusal=r,
        )
        + "</fieldset>"
    )


def expert_form(p: Page, today: date, refusal: Refusal | None = None) -> str:
    """The form, for the roles that may add experts ("" for the others)."""
    if Action.MANAGE_ROSTER not in p.may:
        return ""
    t, r = p.t, refusal
    sent = r.sent if r is not None else {}
    fields = (
        input_field(t, "expert_name", t("col_name"), sent.get("expert_name", ""), r)
        + text_field(
            t,
            "expert_skills",
            t("col_skills"),
            sent.get("expert_skills", ""),
            r,
            hint=t("w_expert_skills_hint"),
        )
        + text_field(
            t,
            "expert_languages",
            t("col_languages"),
            sent.get("expert_languages", ""),
            r,
            hint=t("w_expert_languages_hint"),
        )
        + checkboxes(
            t,
            "expert_regions",
            t("col_regions"),
            {g.value: t(f"region_{g.value}") for g in Region},
            sent=sent,
            refusal=r,
        )
        + text_field(
            t,
            "expert_availability",
            t("col_availability"),
            sent.get("expert_availability", ""),
            r,
            hint=t("w_expert_availability_hint"),
        )
        + input_field(
            t,
            "expert_joined_on",
            t("w_expert_joined_on"),
            sent.get("expert_joined_on", today.isoformat()),
            r,
            kind="date",
        )
        + _voluntary(t, sent, r)
    )
    return (
        f'<section aria-labelledby="w-expert"><h2 id="w-expert">{esc(t("w_expert"))}</h2>'
        '<form method="post" action="/assist/experts" class="stack">'
        f'<input type="hidden" name="csrf" value="{esc(p.csrf)}">{fields}'
        f'<button type="submit">{esc(t("w_expert"))}</button></form></section>'
    )


def _window(line: str) -> tuple[date, date]:
    parts = [w for w in line.replace("/", " ").split() if w not in ("to", "-", "–", "—")]
    if len(parts) != 2:  # a first and a last day
        raise InvalidInput("availability", f"expected 'YYYY-MM-DD YYYY-MM-DD', got {line!r}")
    return parse_date("availability", parts[0]), parse_date("availability", parts[1])


def expert_of(f: Mapping[str, str]) -> Expert:
    """The form as the expert to add (the service checks the rest)."""
    gender, disability = f.get("expert_gender", ""), f.get("expert_disability", "")
    if gender and gender not in GENDERS:
        raise InvalidInput("gender", f"choose one of {', '.join(GENDERS)}, or none")
    if disability and disability not in DISABILITY:
        raise InvalidInput("disability", f"choose one of {', '.join(DISABILITY)}, or none")
    lines = f.get("expert_availability", "").splitlines()
    return Expert(
        name=f.get("expert_name", "").strip(),
        skills=tuple(s.strip() for s in f.get("expert_skills", "").splitlines() if s.strip()),
        languages=tuple(f.get("expert_languages", "").replace(",", " ").split()),
        regions=tuple(g for g in Region if f.get(f"expert_regions_{g.value}") == "yes"),
        availability=tuple(_window(line) for line in lines if line.strip()),
        joined_on=parse_date("joined_on", f.get("expert_joined_on", "")),
        gender=gender or None,
        disability=disability or None,
    )


def added_notice(p: Page, registry: Registry, user: User) -> str:
    """After ``?added=N``: the expert's record (no self-descriptions), for the roles that
    may read experts' personal data; the read is logged ("" otherwise)."""
    wanted = p.query.get("added", "")
    if not wanted.isdigit() or Action.READ_EXPERTS not in p.may:
        return ""
    t = p.t
    x = registry.show_expert(user, int(wanted), "shown after being added to the roster")
    facts = [
        (t("col_name"), data(x.name)),
        (t("col_skills"), "; ".join(data(s) for s in x.skills)),
        (t("col_languages"), esc(", ".join(x.languages))),
        (t("col_regions"), esc(", ".join(t(f"region_{g.value}") for g in x.regions)) or "—"),
        (
            t("col_availability"),
            "; ".join(f"{day(a)} – {day(b)}" for a, b in x.availability) or "—",
        ),
        (t("w_expert_joined_on"), day(x.joined_on.isoformat())),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts)
    return (
        f'<div class="notice" role="status"><p>{esc(t("w_expert_added", n=x.expert_id or 0))}'
        f"</p><dl>{rows}</dl></div>"
    )


def add_expert_routes(router: APIRouter, site: Site, page: ExpertsPage) -> None:
    """``POST /assist/experts``; ``page`` makes the experts page around the form."""
    registry = site.registry

    @router.post("/experts")
    async def add(request: Request) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response | str:
            if not csrf_ok(v, form):  # 403, whoever sends it
                return site.html(v, request, error_page(v.page, 403, v.page.t("csrf_refused")), 403)
            user = acting(v)
            try:
                made = registry.add_expert(user, expert_of(form))
            except InvalidInput as exc:
                refusal = Refusal("expert", field_of("expert", exc.field), exc.reason, form)
                body = page(
                    v,
                    expert_form(v.page, site.clock().date(), refusal),
                    record_summary(v.page.t, refusal),
                )
                return site.html(v, request, body, 400)
            return RedirectResponse(f"/assist/experts?added={made.expert_id}", 303)

        return site.guarded(request, make)
