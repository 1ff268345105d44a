"""The registry's remaining records on the pages (spec/assistance.md#12.4; issue 19): an
activity (:mod:`~suffrage.web.assist_activity_form`), an expert
(:mod:`~suffrage.web.assist_expert_form`), a user and a token
(:mod:`~suffrage.web.assist_users`).

What the three forms share: their fields (each name prefixed by its form, so that no id
repeats on a page that carries several forms), the error summary that takes the focus, a
list of choices and a group of checkboxes. As for the
workflow's forms (:mod:`~suffrage.web.assist_steps`), a refusal is the service's
:class:`~suffrage.errors.InvalidInput`, shown at its field with the catalog's message
(``w_error_<field>``) and the service's reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from suffrage.i18n import Catalog
from suffrage.web.assist_pages import esc
from suffrage.web.assist_steps import Refusal, field_error

__all__ = [
    "RECORD_FIELDS",
    "checkboxes",
    "field_of",
    "record_summary",
    "select_field",
]

RECORD_FIELDS: Mapping[str, tuple[str, ...]] = {
    "activity": (
        "activity_entity",
        "activity_country",
        "activity_phase",
        "activity_kind",
        "activity_starts",
        "activity_ends",
        "activity_title",
        "activity_request",
    ),
    "expert": (
        "expert_name",
        "expert_skills",
        "expert_languages",
        "expert_regions",
        "expert_availability",
        "expert_joined_on",
        "expert_gender",
        "expert_disability",
    ),
    "user": (
        "user_name",
        "user_role",
        "user_entity",
        "user_state",
        "user_password",
        "user_password_again",
    ),
}
"""Each form's fields, as posted; a refusal of the service's field ``f`` is shown at
``<form>_<f>``."""


def field_of(form: str, service_field: str) -> str:
    """The form's field for the service's ``InvalidInput.field`` (``""``: the whole form)."""
    name = f"{form}_{service_field}"
    return name if name in RECORD_FIELDS[form] else ""


def select_field(
    t: Catalog,
    name: str,
    label: str,
    options: Mapping[str, str],
    *,
    chosen: str,
    refusal: Refusal | None,
    empty: bool = True,
) -> str:
    """A labelled list of choices; ``empty``, a first "—" option (nothing chosen)."""
    message, tie = field_error(t, name, refusal)
    items = "".join(
        f'<option value="{esc(value)}"{" selected" if value == chosen else ""}>{esc(text)}</option>'
        for value, text in options.items()
    )
    first = '<option value="">—</option>' if empty else ""
    return (
        f'<div class="field"><label for="{name}">{esc(label)}</label>{message}'
        f'<select id="{name}" name="{name}"{tie}>{first}{items}</select></div>'
    )


def checkboxes(
    t: Catalog,
    name: str,
    legend: str,
    options: Mapping[str, str],
    *,
    sent: Mapping[str, str],
    refusal: Refusal | None,
) -> str:
    """One checkbox per option, posted as ``<name>_<value>=yes``."""
    message, tie = field_error(t, name, refusal)
    boxes = "".join(
        f'<div class="choice"><input type="checkbox" id="{name}-{value}" '
        f'name="{name}_{value}" value="yes"'
        f"{' checked' if sent.get(f'{name}_{value}') == 'yes' else ''}>"
        f'<label for="{name}-{value}">{esc(text)}</label></div>'
        for value, text in options.items()
    )
    tie = tie.replace(' aria-invalid="true"', "")  # not a property of a group
    return (
        f'<fieldset id="{name}" class="field"{tie}><legend>{esc(legend)}</legend>{message}'
        f"{boxes}</fieldset>"
    )


def record_summary(t: Catalog, refusal: Refusal) -> str:
    """The summary at the top of the page, which takes the focus: the refusal, linked to its
    field (or to the form, when the service refused the whole of it)."""
    known = refusal.field in RECORD_FIELDS[refusal.step]
    target = refusal.field if known else f"w-{refusal.step}"
    what = t(f"w_error_{refusal.field}" if known else "w_error_form")
    return (
        '<div class="error-summary" role="alert" tabindex="-1" autofocus '
        'aria-labelledby="error-summary-title">'
        f'<h2 id="error-summary-title">{esc(t("step_error_title"))}</h2>'
        f'<ul><li><a href="#{esc(target)}">{esc(what)}</a> '
        f'<bdi lang="en">{esc(refusal.reason)}</bdi></li></ul></div>'
    )
