"""Credential letters: one printable page per voter, in the voter's language.

Each letter names the election and the voter's ballot, gives the credential code in large
type, says when and how to vote, that a voter may vote again (the last ballot counts), that
the code is secret, and what to do if it is lost. The letters are written as one HTML file
per voter (``VOTER.html``, self-contained), as one PDF per voter (``VOTER.pdf``, A4) and a
``mailmerge.csv`` for a print shop or a mailing system. All of them hold the codes in clear:
they are written with mode 0600 and are meant to be printed and then deleted
(``suffrage election forget``).

The texts exist in the six UN languages (:data:`LETTER_LANGUAGES`); Arabic letters are laid
out right to left.
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from suffrage.errors import InvalidInput
from suffrage.protocol.manifest import Manifest, is_rtl
from suffrage.record.writing import check_free, write_file
from suffrage.service.roll import Voter

__all__ = ["LETTER_LANGUAGES", "Letter", "letter_html", "write_letters"]

_TEXTS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "colon": ": ",
        "title": "Your voting credential",
        "election": "Election",
        "voter": "Voter",
        "ballot": "Your ballot",
        "code": "Your credential code",
        "window": "Voting is open from {start} to {end}.",
        "how": "To vote, type this code when the voting booth asks for it. Capital or small "
        "letters, spaces and dashes do not matter.",
        "url": "Vote at: {url}",
        "again": "You may vote again: only your last ballot counts. After each ballot you "
        "receive a tracking code with which you can find your ballot on the public "
        "bulletin board; nobody can learn from it how you voted.",
        "secret": "Keep this code secret. Anyone who has it can vote in your name. Do not "
        "give it to anyone, not even to an election official.",
        "lost": "If you lose this letter, ask the election authority for a new code before "
        "voting opens; the old code will then no longer work.",
    },
    "fr": {
        "colon": " : ",
        "title": "Votre identifiant de vote",
        "election": "Élection",
        "voter": "Électeur ou électrice",
        "ballot": "Votre bulletin",
        "code": "Votre code d'identification",
        "window": "Le vote est ouvert du {start} au {end}.",
        "how": "Pour voter, saisissez ce code lorsque l'isoloir vous le demande. Les "
        "majuscules, minuscules, espaces et tirets n'ont pas d'importance.",
        "url": "Votez à l'adresse : {url}",
        "again": "Vous pouvez voter de nouveau : seul votre dernier bulletin compte. Après "
        "chaque bulletin, vous recevez un code de suivi qui vous permet de retrouver votre "
        "bulletin sur le tableau d'affichage public ; personne ne peut en déduire votre vote.",
        "secret": "Gardez ce code secret. Quiconque le détient peut voter à votre place. Ne "
        "le donnez à personne, pas même à un agent électoral.",
        "lost": "Si vous perdez cette lettre, demandez un nouveau code à l'autorité "
        "électorale avant l'ouverture du vote ; l'ancien code ne fonctionnera plus.",
    },
    "es": {
        "colon": ": ",
        "title": "Su credencial de voto",
        "election": "Elección",
        "voter": "Votante",
        "ballot": "Su papeleta",
        "code": "Su código de credencial",
        "window": "La votación está abierta del {start} al {end}.",
        "how": "Para votar, escriba este código cuando la cabina de votación se lo pida. "
        "Las mayúsculas, minúsculas, espacios y guiones no importan.",
        "url": "Vote en: {url}",
        "again": "Puede volver a votar: solo cuenta su última papeleta. Tras cada papeleta "
        "recibe un código de seguimiento con el que puede encontrarla en el tablón público; "
        "nadie puede saber por él cómo votó.",
        "secret": "Mantenga este código en secreto. Quien lo tenga puede votar en su nombre. "
        "No se lo dé a nadie, ni siquiera a un funcionario electoral.",
        "lost": "Si pierde esta carta, pida un código nuevo a la autoridad electoral antes de "
        "que se abra la votación; el código anterior dejará de funcionar.",
    },
    "ru": {
        "colon": ": ",
        "title": "Ваши учётные данные для голосования",
        "election": "Выборы",
        "voter": "Избиратель",
        "ballot": "Ваш бюллетень",
        "code": "Ваш код для голосования",
        "window": "Голосование открыто с {start} до {end}.",
        "how": "Чтобы проголосовать, введите этот код, когда кабина для голосования его "
        "запросит. Заглавные и строчные буквы, пробелы и дефисы не важны.",
        "url": "Голосуйте по адресу: {url}",
        "again": "Вы можете проголосовать повторно: учитывается только последний бюллетень. "
        "После каждого бюллетеня вы получаете код отслеживания, по которому можно найти свой "
        "бюллетень на общедоступной доске; по нему никто не узнает, как вы проголосовали.",
        "secret": "Храните этот код в тайне. Любой, у кого он есть, может проголосовать от "
        "вашего имени. Не сообщайте его никому, даже сотруднику избирательной комиссии.",
        "lost": "Если вы потеряете это письмо, попросите новый код в избирательном органе до "
        "начала голосования; старый код перестанет действовать.",
    },
    "zh": {
        "colon": "：",
        "title": "您的投票凭证",
        "election": "选举",
        "voter": "选民",
        "ballot": "您的选票",
        "code": "您的凭证代码",
        "window": "投票时间：{start} 至 {end}。",
        "how": "投票时，请在投票亭要求时输入此代码。大小写、空格和连字符均无影响。",
        "url": "投票网址：{url}",
        "again": "您可以再次投票：只计算您的最后一张选票。每次投票后，您会收到一个跟踪码，"
        "可用它在公开公告板上找到您的选票；任何人都无法据此得知您的投票内容。",
        "secret": "请对此代码保密。任何持有它的人都可以以您的名义投票。不要把它交给任何人，"
        "包括选举工作人员。",
        "lost": "如果您遗失此信，请在投票开始前向选举机构申请新代码；旧代码随即失效。",
    },
    "ar": {
        "colon": ": ",
        "title": "بيانات اعتمادك للتصويت",
        "election": "الانتخابات",
        "voter": "الناخب",
        "ballot": "ورقة اقتراعك",
        "code": "رمز اعتمادك",
        "window": "التصويت مفتوح من {start} إلى {end}.",
        "how": "للتصويت، اكتب هذا الرمز عندما تطلبه منك مقصورة الاقتراع. لا تهم الأحرف "
        "الكبيرة أو الصغيرة ولا المسافات ولا الشرطات.",
        "url": "صوّت على العنوان: {url}",
        "again": "يمكنك التصويت مرة أخرى: لا تُحتسب إلا ورقة اقتراعك الأخيرة. بعد كل تصويت "
        "تتلقى رمز تتبع تجد به ورقتك على لوحة الإعلانات العامة، ولا يمكن لأحد أن يعرف منه "
        "كيف صوّتّ.",
        "secret": "احتفظ بهذا الرمز سرًا. يستطيع كل من يحمله أن يصوّت باسمك. لا تعطه لأحد، "
        "ولا حتى لموظف الانتخابات.",
        "lost": "إذا فقدت هذه الرسالة، فاطلب رمزًا جديدًا من السلطة الانتخابية قبل بدء "
        "التصويت؛ وعندئذ يتوقف الرمز القديم عن العمل.",
    },
}

LETTER_LANGUAGES: tuple[str, ...] = tuple(sorted(_TEXTS))
"""The languages a credential letter can be written in."""

_STYLE = """
@page { size: A4; margin: 18mm 20mm; }
html { font-family: "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "DejaVu Sans",
       sans-serif; font-size: 11pt; line-height: 1.45; color: #111; background: #fff; }
body { margin: 0; }
.letter { max-width: 42em; margin: 0 auto; padding: 1em; page-break-after: always; }
h1 { font-size: 20pt; margin: 0 0 0.8em; }
.facts p { margin: 0 0 0.2em; }
ul.contests { margin: 0 0 1em; padding-inline-start: 1.4em; font-size: 10pt; }
.code-label { font-weight: bold; margin: 1.2em 0 0.2em; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 20pt; letter-spacing: 0.06em;
        border: 2px solid #111; padding: 0.4em 0.6em; display: inline-block; direction: ltr;
        unicode-bidi: isolate; word-break: break-all; }
.secret { border-inline-start: 6px solid #b00020; padding-inline-start: 0.8em; }
.address { margin: 0 0 1.5em; }
.ltr { display: inline-block; direction: ltr; }
@media screen { html { background: #eee; } .letter { background: #fff; margin: 1em auto; } }
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Letter:
    """One voter's letter: the voter and the code to print."""

    voter: Voter
    code: str


def _when(moment: str) -> str:
    """``2026-05-04T08:00:00+02:00`` -> ``2026-05-04 08:00 (UTC+02:00)``: the manifest's own
    wall time and offset, which every reader can follow whatever their language."""
    day, _, rest = moment.partition("T")
    clock = rest[:5]
    offset = rest[8:] or "Z"
    zone = "UTC" if offset in ("Z", "+00:00") else f"UTC{offset}"
    return f"{day} {clock} ({zone})"


def _ltr(text: str) -> str:
    """``text`` (escaped) as a left-to-right island, so that a date, a web address or a Latin
    address keeps its order inside Arabic text (an inline block is laid out on its own)."""
    return f'<span class="ltr">{html.escape(text)}</span>'


def _line(text: str) -> str:
    """An address or a name: a left-to-right island unless it is written right to left."""
    rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)
    return html.escape(text) if rtl else _ltr(text)


def _body(manifest: Manifest, letter: Letter, booth_url: str | None) -> str:
    voter, lang = letter.voter, letter.voter.language
    t = _TEXTS[lang]
    style = next(s for s in manifest.ballot_styles if s.style_id == voter.style_id)
    style_name = style.name[lang] if style.name is not None else style.style_id
    e = html.escape
    contests = "".join(f"<li>{e(manifest.contest(c).title[lang])}</li>" for c in style.contest_ids)
    rows = [
        (t["election"], manifest.title[lang]),
        (t["voter"], voter.name or voter.voter_id),
        (t["ballot"], style_name),
    ]
    window = e(t["window"]).format(start=_ltr(_when(manifest.start)), end=_ltr(_when(manifest.end)))
    url = f"<p>{e(t['url']).format(url=_ltr(booth_url))}</p>" if booth_url else ""
    direction = "rtl" if is_rtl(lang) else "ltr"
    address = (
        '<p class="address">' + "<br>".join(_line(x) for x in voter.address.splitlines()) + "</p>"
        if voter.address
        else ""
    )
    return (
        f'<section class="letter" lang="{e(lang)}" dir="{direction}">'
        f'{address}<h1>{e(t["title"])}</h1><div class="facts">'
        + "".join(f"<p><strong>{e(k)}{e(t['colon'])}</strong>{_line(v)}</p>" for k, v in rows)
        + f'</div><ul class="contests">{contests}</ul>'
        f'<p class="code-label">{e(t["code"])}</p>'
        f'<p><span class="code">{e(letter.code)}</span></p>'
        f"<p>{window}</p><p>{e(t['how'])}</p>{url}<p>{e(t['again'])}</p>"
        f'<p class="secret">{e(t["secret"])}</p><p>{e(t["lost"])}</p></section>'
    )


def _document(lang: str, title: str, body: str) -> str:
    direction = "rtl" if is_rtl(lang) else "ltr"
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}" dir="{direction}"><head>'
        f'<meta charset="utf-8"><meta name="viewport" content="width=device-width, '
        f'initial-scale=1"><title>{html.escape(title)}</title><style>{_STYLE}</style>'
        f"</head><body><main>{body}</main></body></html>\n"
    )


def letter_html(manifest: Manifest, letter: Letter, booth_url: str | None = None) -> str:
    """One voter's letter as a self-contained HTML page."""
    lang = letter.voter.language
    title = f"{_TEXTS[lang]['title']}: {manifest.title[lang]}"
    return _document(lang, title, _body(manifest, letter, booth_url))


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _file_stem(voter_id: str, taken: set[str]) -> str:
    """A file name for a voter id: its safe characters, made unique."""
    stem = _UNSAFE.sub("_", voter_id).strip("._") or "voter"
    candidate, n = stem, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}"
    taken.add(candidate.lower())
    return candidate


def write_letters(
    manifest: Manifest,
    letters: Sequence[Letter],
    out: Path,
    *,
    booth_url: str | None = None,
    force: bool = False,
) -> list[Path]:
    """Write every letter as HTML and PDF, and ``mailmerge.csv``, into ``out`` (mode 0600).

    Existing files are refused before anything is written, unless ``force``. The PDF is laid
    out once for all letters and cut into one file per voter; a letter that does not fit on
    one page is refused (an address or a name far too long).
    """
    from weasyprint import HTML  # imported here: it loads fonts, which takes a moment

    if not letters:
        raise InvalidInput("letters", "there is no letter to write")
    for letter in letters:
        if letter.voter.language not in _TEXTS:
            raise InvalidInput(
                f"voter {letter.voter.voter_id}",
                f"no letter text in language {letter.voter.language!r}",
            )
    taken: set[str] = {"mailmerge"}
    stems = [_file_stem(letter.voter.voter_id, taken) for letter in letters]
    paths = [out / f"{s}.{ext}" for s in stems for ext in ("html", "pdf")]
    merge = out / "mailmerge.csv"
    check_free([*paths, merge], force=force)
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    bodies = [_body(manifest, letter, booth_url) for letter in letters]
    document = HTML(
        string=_document(
            manifest.default_language, manifest.title[manifest.default_language], "".join(bodies)
        )
    ).render()
    if len(document.pages) != len(letters):
        raise InvalidInput(
            "letters",
            f"{len(letters)} letters took {len(document.pages)} pages: a name or an address "
            "is too long to fit one letter on one page",
        )
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(
        [
            "voter_id",
            "name",
            "address",
            "email",
            "language",
            "ballot_style",
            "credential_code",
            "letter_html",
            "letter_pdf",
        ]
    )
    for index, (letter, stem) in enumerate(zip(letters, stems, strict=True)):
        write_file(
            out / f"{stem}.html",
            letter_html(manifest, letter, booth_url).encode("utf-8"),
            secret=True,
            force=force,
        )
        pdf = document.copy([document.pages[index]]).write_pdf()
        write_file(out / f"{stem}.pdf", pdf, secret=True, force=force)
        v = letter.voter
        writer.writerow(
            [
                v.voter_id,
                v.name,
                v.address,
                v.email,
                v.language,
                v.style_id,
                letter.code,
                f"{stem}.html",
                f"{stem}.pdf",
            ]
        )
    write_file(merge, rows.getvalue().encode("utf-8"), secret=True, force=force)
    return [*paths, merge]
