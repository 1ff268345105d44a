"""The demo's documents (spec/assistance.md#8, #10): reports and lessons learned in five of
the six UN languages, attached to the demo's requests. Every word of them is invented for
the demonstration; none describes real UN assistance or a real mission.
"""

from __future__ import annotations

from datetime import date

from suffrage.assistance.access import User
from suffrage.assistance.memory import DocKind, Document
from suffrage.assistance.service import Registry

__all__ = ["DEMO_DOCUMENTS", "load_corrections", "load_documents"]

_EN_ASSESSMENT = """\
Needs assessment mission (fictional), 6 to 17 April 2026.

The mission met the Election Commission, the Ministry of Home Affairs, political parties,
civil-society observer groups and the development partners. The Commission is established
and staffed; the legal framework is in force.

Voter registration: the register was last updated before the previous federal elections.
Some 1.2 million young people have come of age since. The Commission plans a door-to-door
update in the hill and mountain districts, which needs trained registration officers and
mobile biometric kits.

Logistics: polling materials reach the remote districts by porter and by helicopter; the
calendar leaves ten months before polling day, enough for the update if it starts in June.

Recommendation: technical assistance to voter registration and to the training of
registration officers, through UNDP, in the pre-electoral phase."""

_ZH_LESSONS = """\
选民登记培训的经验教训（虚构示例）

在山区开展选民登记时，登记员的培训应当提前至少三个月开始。评估团发现，偏远地区的登记站往往\
缺少电力和网络，因此需要准备离线登记设备和备用电池。

选举委员会与地方政府的协调十分重要：每个登记站都应有一名熟悉当地语言的工作人员。妇女和残疾\
人参加登记的比例在设有流动登记点的地区明显较高。

建议今后的技术援助把流动登记点、离线设备和地方语言培训列为优先事项。"""

_AR_ASSESSMENT = """\
تَقْرِيرُ بَعْثَةِ تَقْيِيمِ الاحْتِيَاجَاتِ (مِثَالٌ خَيَالِيٌّ)

الْتَقَتِ البَعْثَةُ بِالهَيْئَةِ العُلْيَا المُسْتَقِلَّةِ لِلانْتِخَابَاتِ وَبِمُمَثِّلِي الأَحْزَابِ \
وَمُنَظَّمَاتِ المُجْتَمَعِ المَدَنِيِّ. إِنَّ تَسْجِيلَ النَّاخِبِينَ فِي المَنَاطِقِ الرِّيفِيَّةِ \
يَحْتَاجُ إِلَى دَعْمٍ تِقْنِيٍّ قَبْلَ الانْتِخَابَاتِ البَلَدِيَّةِ، وَلا سِيَّمَا تَدْرِيبُ أَعْوَانِ \
التَّسْجِيلِ وَتَوْعِيَةُ النَّاخِبِينَ الجُدُدِ.

تُوصِي البَعْثَةُ بِتَقْدِيمِ مُسَاعَدَةٍ تِقْنِيَّةٍ فِي المَرْحَلَةِ السَّابِقَةِ لِلانْتِخَابَاتِ."""

_AR_SUMMARY = """\
ملخص عام (مثال خيالي): طلبت الدولة مساعدة تقنية في الانتخابات البلدية. زارت بعثة تقييم \
الاحتياجات البلاد في أبريل ٢٠٢٦، وسيُتخذ القرار بعد دراسة تقريرها."""

_ES_ASSESSMENT = """\
Misión de evaluación de necesidades (ficticia), abril de 2026.

El Órgano Electoral Plurinacional solicitó apoyo para las elecciones subnacionales y para una \
sala de situación electoral de la sociedad civil. La misión constató que el padrón electoral \
está actualizado y que el calendario es ajustado pero viable.

Recomendación: asistencia técnica en logística electoral y en la gestión de resultados, y \
apoyo a la sala de situación durante la jornada electoral."""

_EN_REPLY = """\
Reply to the State (fictional): after the needs assessment, the focal point declined the
request for a panel of experts for the local government by-elections. Four months before
polling day there was too little time for an effective panel. The State was thanked for its
request and informed that a future request, made earlier in the electoral cycle, would be
considered."""

_RU_NOTE = """\
Записка о встрече с избирательной комиссией (вымышленный пример).

Комиссия просит поддержать международных наблюдателей на всеобщих выборах: аккредитацию,
брифинги и координацию поездок по островам. Оценка потребностей ещё не запланирована;
предварительный график её проведения — май 2026 года."""

_FR_LESSONS = """\
Enseignements tirés (exemple fictif) : la formation des agents d'inscription des électeurs.

Les sessions régionales ont mieux fonctionné que la formation centrale : les agents y \
apprennent dans leur langue, avec le matériel qu'ils utiliseront. La révision des listes \
électorales dans les districts de montagne demande un calendrier plus long et des kits \
d'inscription mobiles."""

DEMO_DOCUMENTS = (
    (0, DocKind.ASSESSMENT_REPORT, "en", "Needs assessment mission: findings",
     _EN_ASSESSMENT, date(2026, 4, 24), False),
    (0, DocKind.LESSON_LEARNED, "zh", "选民登记培训的经验教训", _ZH_LESSONS,
     date(2026, 9, 15), True),
    (0, DocKind.LESSON_LEARNED, "fr", "La formation des agents d'inscription",
     _FR_LESSONS, date(2026, 9, 30), True),
    (1, DocKind.ASSESSMENT_REPORT, "es", "Misión de evaluación de necesidades",
     _ES_ASSESSMENT, date(2026, 4, 27), False),
    (2, DocKind.FINAL_REPORT, "en", "Reply to the State: request declined", _EN_REPLY,
     date(2026, 5, 4), False),
    (3, DocKind.ASSESSMENT_REPORT, "ar", "تقرير بعثة تقييم الاحتياجات", _AR_ASSESSMENT,
     date(2026, 4, 28), False),
    (3, DocKind.OTHER, "ar", "ملخص عام للطلب", _AR_SUMMARY, date(2026, 5, 2), True),
    (4, DocKind.OTHER, "ru", "Записка о встрече с избирательной комиссией", _RU_NOTE,
     date(2026, 3, 25), False),
)  # fmt: skip
"""(which demo request, by its index in the demo's list; kind; language; title; text; date;
published)."""


def load_documents(registry: Registry, ead: User, references: tuple[str, ...]) -> list[int]:
    """Attach the demo's documents (as the EAD staff user); their numbers."""
    numbers = []
    for index, kind, language, title, body, dated, published in DEMO_DOCUMENTS:
        document = Document(
            kind=kind,
            language=language,
            title=title,
            body=body,
            author="Electoral Assistance Division (fictional)",
            dated=dated,
            published=published,
        )
        numbers.append(registry.attach_document(ead, references[index], document).document_id)
    return numbers


_AR_SUMMARY_CORRECTED = """\
ملخص عام (مثال خيالي، نسخة مصححة): طلبت الدولة مساعدة تقنية في الانتخابات البلدية. خُطط \
لبعثة تقييم الاحتياجات ولم تزر البلاد بعد، وسيُتخذ القرار بعد دراسة تقريرها."""

_ES_NOTE = """\
Nota informativa (ficticia): la misión de evaluación de necesidades visitó el país en abril \
de 2026 y se reunió con el Órgano Electoral Plurinacional, los partidos y la sociedad civil."""


def load_corrections(
    registry: Registry, ead: User, references: tuple[str, ...], numbers: list[int]
) -> int:
    """What a real memory holds too (spec/assistance.md#10.7, #10.8): a published summary
    corrected by a second version, and a note published by mistake, then withdrawn with its
    reason. The documents added."""
    summary = numbers[[d[3] for d in DEMO_DOCUMENTS].index("ملخص عام للطلب")]
    corrected = Document(
        kind=DocKind.OTHER,
        language="ar",
        title="ملخص عام للطلب (نسخة مصححة)",
        body=_AR_SUMMARY_CORRECTED,
        author="Electoral Assistance Division (fictional)",
        dated=date(2026, 10, 14),
    )
    registry.attach_document(ead, references[3], corrected, supersedes=summary)
    note = Document(
        kind=DocKind.OTHER,
        language="es",
        title="Nota informativa sobre la misión de evaluación",
        body=_ES_NOTE,
        author="Electoral Assistance Division (fictional)",
        dated=date(2026, 10, 14),
        published=True,
    )
    mistaken = registry.attach_document(ead, references[1], note).document_id
    registry.withdraw_document(
        ead, mistaken, "published before the State agreed to its release (fictional)"
    )
    return 2
