"""Errors as the election server answers them: JSON with a stable code, in the client's
language.

Every refusal is ``{"error": {"code", "message", "detail", "field"}}``: ``code`` is stable
(a program may rely on it), ``message`` says in the language of ``Accept-Language`` (one of
the six UN languages, English by default) what happened, ``detail`` is the precise reason in
English (which contest, which entry), ``field`` what was at fault. Exceptions are mapped by
type, most specific first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from suffrage.errors import (
    CopiedBallot,
    DuplicateBallot,
    IneligibleBallot,
    InvalidBallot,
    InvalidInput,
    NotFound,
    RateLimited,
    StorageError,
    SuffrageError,
)
from suffrage.protocol.event_log import OutOfOrder

__all__ = ["LANGUAGES", "ApiError", "api_error", "language_of"]

LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")

_MESSAGES: Mapping[str, Mapping[str, str]] = {
    "copied_ballot": {
        "en": "This ballot copies another ballot on the board and was refused.",
        "fr": "Ce bulletin copie un autre bulletin du tableau et a été refusé.",
        "es": "Esta papeleta copia otra papeleta del tablón y fue rechazada.",
        "ru": "Этот бюллетень копирует другой бюллетень на доске и отклонён.",
        "zh": "此选票复制了公告板上的另一张选票，已被拒绝。",
        "ar": "ورقة الاقتراع هذه نسخة من ورقة أخرى على اللوحة وقد رُفضت.",
    },
    "duplicate_ballot": {
        "en": "Another ballot with this id is already on the board.",
        "fr": "Un autre bulletin portant cet identifiant est déjà sur le tableau.",
        "es": "Ya hay en el tablón otra papeleta con este identificador.",
        "ru": "Другой бюллетень с этим идентификатором уже есть на доске.",
        "zh": "公告板上已有另一张具有此标识的选票。",
        "ar": "توجد على اللوحة ورقة اقتراع أخرى بهذا المعرّف.",
    },
    "not_eligible": {
        "en": "This ballot's credential is not on the election's list.",
        "fr": "L'identifiant de ce bulletin ne figure pas sur la liste de l'élection.",
        "es": "La credencial de esta papeleta no figura en la lista de la elección.",
        "ru": "Учётные данные этого бюллетеня отсутствуют в списке выборов.",
        "zh": "此选票的凭证不在本次选举的名单上。",
        "ar": "بيانات اعتماد ورقة الاقتراع هذه ليست في قائمة الانتخابات.",
    },
    "wrong_ballot_style": {
        "en": "This ballot is not the ballot of the voter's district.",
        "fr": "Ce bulletin n'est pas celui du district de l'électeur.",
        "es": "Esta papeleta no es la del distrito del votante.",
        "ru": "Этот бюллетень не соответствует округу избирателя.",
        "zh": "此选票不是该选民所在选区的选票。",
        "ar": "ورقة الاقتراع هذه ليست ورقة دائرة الناخب.",
    },
    "outside_voting_window": {
        "en": "Voting is not open at this time.",
        "fr": "Le vote n'est pas ouvert en ce moment.",
        "es": "La votación no está abierta en este momento.",
        "ru": "Голосование сейчас не открыто.",
        "zh": "目前不在投票时间内。",
        "ar": "التصويت غير مفتوح في هذا الوقت.",
    },
    "voting_closed": {
        "en": "Voting is closed.",
        "fr": "Le vote est clos.",
        "es": "La votación está cerrada.",
        "ru": "Голосование закрыто.",
        "zh": "投票已结束。",
        "ar": "التصويت مغلق.",
    },
    "invalid_ballot": {
        "en": "This ballot does not check and was refused.",
        "fr": "Ce bulletin n'est pas valide et a été refusé.",
        "es": "Esta papeleta no es válida y fue rechazada.",
        "ru": "Этот бюллетень не прошёл проверку и отклонён.",
        "zh": "此选票未通过验证，已被拒绝。",
        "ar": "ورقة الاقتراع هذه لم تجتز التحقق وقد رُفضت.",
    },
    "malformed_request": {
        "en": "The request is malformed.",
        "fr": "La requête est mal formée.",
        "es": "La solicitud está mal formada.",
        "ru": "Запрос составлен неверно.",
        "zh": "请求格式错误。",
        "ar": "الطلب غير سليم الصياغة.",
    },
    "too_large": {
        "en": "The request is too large.",
        "fr": "La requête est trop volumineuse.",
        "es": "La solicitud es demasiado grande.",
        "ru": "Запрос слишком велик.",
        "zh": "请求过大。",
        "ar": "الطلب كبير جدًا.",
    },
    "unauthorized": {
        "en": "This needs a valid token of the right role.",
        "fr": "Cette action exige un jeton valide du bon rôle.",
        "es": "Esto requiere un token válido del rol adecuado.",
        "ru": "Для этого нужен действительный токен нужной роли.",
        "zh": "此操作需要具有相应角色的有效令牌。",
        "ar": "يتطلب هذا رمزًا مميزًا صالحًا للدور المناسب.",
    },
    "not_found": {
        "en": "Nothing was found.",
        "fr": "Rien n'a été trouvé.",
        "es": "No se encontró nada.",
        "ru": "Ничего не найдено.",
        "zh": "未找到任何内容。",
        "ar": "لم يُعثر على شيء.",
    },
    "rate_limited": {
        "en": "Too many requests: try again in a moment.",
        "fr": "Trop de requêtes : réessayez dans un instant.",
        "es": "Demasiadas solicitudes: vuelva a intentarlo en un momento.",
        "ru": "Слишком много запросов: повторите попытку чуть позже.",
        "zh": "请求过多：请稍后再试。",
        "ar": "طلبات كثيرة جدًا: حاول مرة أخرى بعد قليل.",
    },
    "wrong_state": {
        "en": "This step cannot be taken in the election's present state.",
        "fr": "Cette étape n'est pas possible dans l'état actuel de l'élection.",
        "es": "Este paso no es posible en el estado actual de la elección.",
        "ru": "Этот шаг невозможен в текущем состоянии выборов.",
        "zh": "在选举的当前状态下不能执行此步骤。",
        "ar": "لا يمكن اتخاذ هذه الخطوة في الحالة الراهنة للانتخابات.",
    },
    "unavailable": {
        "en": "The board cannot be reached just now: try again.",
        "fr": "Le tableau est momentanément inaccessible : réessayez.",
        "es": "El tablón no está disponible en este momento: vuelva a intentarlo.",
        "ru": "Доска сейчас недоступна: повторите попытку.",
        "zh": "公告板暂时无法访问：请重试。",
        "ar": "تعذّر الوصول إلى اللوحة الآن: حاول مرة أخرى.",
    },
}


@dataclass(frozen=True, slots=True)
class ApiError:
    """An error answer: HTTP status, stable code, and what the client is told."""

    status: int
    code: str
    detail: str
    field: str = ""

    def body(self, language: str) -> dict[str, object]:
        return {
            "error": {
                "code": self.code,
                "message": _MESSAGES[self.code][language],
                "detail": self.detail,
                "field": self.field,
            }
        }


def language_of(header: str | None) -> str:
    """The first of the six UN languages the ``Accept-Language`` header asks for, by weight
    (English if none)."""
    choices = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        base = tag.strip().lower().split("-")[0]
        if base in LANGUAGES and weight > 0:
            choices.append((-weight, position, base))
    return min(choices)[2] if choices else "en"


def api_error(exc: SuffrageError) -> ApiError:
    """The answer to a refusal, chosen by the exception's type (most specific first)."""
    field = getattr(exc, "field", "")
    detail = " ".join(str(exc).split())
    if isinstance(exc, OutOfOrder):
        return ApiError(409, "wrong_state", detail, "state")
    if isinstance(exc, CopiedBallot):
        return ApiError(409, "copied_ballot", detail, field)
    if isinstance(exc, DuplicateBallot):
        return ApiError(409, "duplicate_ballot", detail, field)
    if isinstance(exc, IneligibleBallot):
        code = "wrong_ballot_style" if field == "ballot (V18)" else "not_eligible"
        return ApiError(403, code, detail, field)
    if isinstance(exc, InvalidBallot):
        if field == "voting window":
            return ApiError(403, "outside_voting_window", detail, field)
        return ApiError(422, "invalid_ballot", detail, field)
    if isinstance(exc, InvalidInput):
        if field == "election":
            return ApiError(403, "voting_closed", detail, field)
        return ApiError(400, "malformed_request", detail, field)
    if isinstance(exc, NotFound):
        return ApiError(404, "not_found", detail)
    if isinstance(exc, RateLimited):
        return ApiError(429, "rate_limited", detail)
    if isinstance(exc, StorageError):
        return ApiError(503, "unavailable", detail)
    return ApiError(400, "malformed_request", detail, field)
