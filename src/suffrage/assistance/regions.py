"""The 193 Member States of the United Nations and their regional groups
(spec/assistance.md#11.1).

Source: the Department for General Assembly and Conference Management, *United Nations
Regional Groups of Member States* (https://www.un.org/dgacm/en/content/regional-groups).
Countries are ISO 3166-1 alpha-3 codes, as the registry stores them. Names are the UN's
short names (the UNTERM forms, e.g. "Bolivia (Plurinational State of)"): English in the table
below, all six languages in ``state_names.json``, from the UN Statistics Division's M49
standard (the file says where it was taken from and the one correction made to it).

Where a State sits in two groups or none, this table puts it where it counts for elections:

* Türkiye takes part in both the Asia-Pacific Group and the Western European and other States
  Group, and counts in WEOG for elections: here WEOG;
* Israel is a member of WEOG (in New York): here WEOG;
* the United States of America is a member of no group but attends WEOG as an observer and
  counts in it for elections: here WEOG;
* Kiribati, long in no group, is in the Asia-Pacific Group: here Asia-Pacific.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from importlib import resources

from suffrage.errors import InvalidInput
from suffrage.i18n import LANGUAGES

__all__ = ["GROUP_NOTES", "STATES", "Group", "check_member_state", "code_of", "group_of", "name_of"]


class Group(StrEnum):
    """The five regional groups, in the order the General Assembly lists them."""

    AFRICAN = "african"
    ASIA_PACIFIC = "asia_pacific"
    EASTERN_EUROPEAN = "eastern_european"
    LATIN_AMERICAN_CARIBBEAN = "latin_american_caribbean"
    WESTERN_EUROPEAN_OTHER = "western_european_other"
    OTHER = "other"
    """Not a Member State, so in no group: an observer State or a territory (the registry
    checks only a code's shape, and a mandate may concern a territory)."""


_A, _AP, _EE, _LA, _WE, _ = tuple(Group)

_TABLE: tuple[tuple[str, str, Group], ...] = (
    ("DZA", "Algeria", _A), ("AGO", "Angola", _A), ("BEN", "Benin", _A),
    ("BWA", "Botswana", _A), ("BFA", "Burkina Faso", _A), ("BDI", "Burundi", _A),
    ("CPV", "Cabo Verde", _A), ("CMR", "Cameroon", _A),
    ("CAF", "Central African Republic", _A), ("TCD", "Chad", _A), ("COM", "Comoros", _A),
    ("COG", "Congo", _A), ("CIV", "Côte d'Ivoire", _A),
    ("COD", "Democratic Republic of the Congo", _A), ("DJI", "Djibouti", _A),
    ("EGY", "Egypt", _A), ("GNQ", "Equatorial Guinea", _A), ("ERI", "Eritrea", _A),
    ("SWZ", "Eswatini", _A), ("ETH", "Ethiopia", _A), ("GAB", "Gabon", _A),
    ("GMB", "Gambia", _A), ("GHA", "Ghana", _A), ("GIN", "Guinea", _A),
    ("GNB", "Guinea-Bissau", _A), ("KEN", "Kenya", _A), ("LSO", "Lesotho", _A),
    ("LBR", "Liberia", _A), ("LBY", "Libya", _A), ("MDG", "Madagascar", _A),
    ("MWI", "Malawi", _A), ("MLI", "Mali", _A), ("MRT", "Mauritania", _A),
    ("MUS", "Mauritius", _A), ("MAR", "Morocco", _A), ("MOZ", "Mozambique", _A),
    ("NAM", "Namibia", _A), ("NER", "Niger", _A), ("NGA", "Nigeria", _A),
    ("RWA", "Rwanda", _A), ("STP", "Sao Tome and Principe", _A), ("SEN", "Senegal", _A),
    ("SYC", "Seychelles", _A), ("SLE", "Sierra Leone", _A), ("SOM", "Somalia", _A),
    ("ZAF", "South Africa", _A), ("SSD", "South Sudan", _A), ("SDN", "Sudan", _A),
    ("TGO", "Togo", _A), ("TUN", "Tunisia", _A), ("UGA", "Uganda", _A),
    ("TZA", "United Republic of Tanzania", _A), ("ZMB", "Zambia", _A),
    ("ZWE", "Zimbabwe", _A),
    ("AFG", "Afghanistan", _AP), ("BHR", "Bahrain", _AP), ("BGD", "Bangladesh", _AP),
    ("BTN", "Bhutan", _AP), ("BRN", "Brunei Darussalam", _AP), ("KHM", "Cambodia", _AP),
    ("CHN", "China", _AP), ("CYP", "Cyprus", _AP),
    ("PRK", "Democratic People's Republic of Korea", _AP), ("FJI", "Fiji", _AP),
    ("IND", "India", _AP), ("IDN", "Indonesia", _AP),
    ("IRN", "Iran (Islamic Republic of)", _AP), ("IRQ", "Iraq", _AP), ("JPN", "Japan", _AP),
    ("JOR", "Jordan", _AP), ("KAZ", "Kazakhstan", _AP), ("KIR", "Kiribati", _AP),
    ("KWT", "Kuwait", _AP), ("KGZ", "Kyrgyzstan", _AP),
    ("LAO", "Lao People's Democratic Republic", _AP), ("LBN", "Lebanon", _AP),
    ("MYS", "Malaysia", _AP), ("MDV", "Maldives", _AP), ("MHL", "Marshall Islands", _AP),
    ("FSM", "Micronesia (Federated States of)", _AP), ("MNG", "Mongolia", _AP),
    ("MMR", "Myanmar", _AP), ("NRU", "Nauru", _AP), ("NPL", "Nepal", _AP),
    ("OMN", "Oman", _AP), ("PAK", "Pakistan", _AP), ("PLW", "Palau", _AP),
    ("PNG", "Papua New Guinea", _AP), ("PHL", "Philippines", _AP), ("QAT", "Qatar", _AP),
    ("KOR", "Republic of Korea", _AP), ("WSM", "Samoa", _AP), ("SAU", "Saudi Arabia", _AP),
    ("SGP", "Singapore", _AP), ("SLB", "Solomon Islands", _AP), ("LKA", "Sri Lanka", _AP),
    ("SYR", "Syrian Arab Republic", _AP), ("TJK", "Tajikistan", _AP),
    ("THA", "Thailand", _AP), ("TLS", "Timor-Leste", _AP), ("TON", "Tonga", _AP),
    ("TKM", "Turkmenistan", _AP), ("TUV", "Tuvalu", _AP),
    ("ARE", "United Arab Emirates", _AP), ("UZB", "Uzbekistan", _AP),
    ("VUT", "Vanuatu", _AP), ("VNM", "Viet Nam", _AP), ("YEM", "Yemen", _AP),
    ("ALB", "Albania", _EE), ("ARM", "Armenia", _EE), ("AZE", "Azerbaijan", _EE),
    ("BLR", "Belarus", _EE), ("BIH", "Bosnia and Herzegovina", _EE),
    ("BGR", "Bulgaria", _EE), ("HRV", "Croatia", _EE), ("CZE", "Czechia", _EE),
    ("EST", "Estonia", _EE), ("GEO", "Georgia", _EE), ("HUN", "Hungary", _EE),
    ("LVA", "Latvia", _EE), ("LTU", "Lithuania", _EE), ("MNE", "Montenegro", _EE),
    ("MKD", "North Macedonia", _EE), ("POL", "Poland", _EE),
    ("MDA", "Republic of Moldova", _EE), ("ROU", "Romania", _EE),
    ("RUS", "Russian Federation", _EE), ("SRB", "Serbia", _EE), ("SVK", "Slovakia", _EE),
    ("SVN", "Slovenia", _EE), ("UKR", "Ukraine", _EE),
    ("ATG", "Antigua and Barbuda", _LA), ("ARG", "Argentina", _LA),
    ("BHS", "Bahamas", _LA), ("BRB", "Barbados", _LA), ("BLZ", "Belize", _LA),
    ("BOL", "Bolivia (Plurinational State of)", _LA), ("BRA", "Brazil", _LA),
    ("CHL", "Chile", _LA), ("COL", "Colombia", _LA), ("CRI", "Costa Rica", _LA),
    ("CUB", "Cuba", _LA), ("DMA", "Dominica", _LA), ("DOM", "Dominican Republic", _LA),
    ("ECU", "Ecuador", _LA), ("SLV", "El Salvador", _LA), ("GRD", "Grenada", _LA),
    ("GTM", "Guatemala", _LA), ("GUY", "Guyana", _LA), ("HTI", "Haiti", _LA),
    ("HND", "Honduras", _LA), ("JAM", "Jamaica", _LA), ("MEX", "Mexico", _LA),
    ("NIC", "Nicaragua", _LA), ("PAN", "Panama", _LA), ("PRY", "Paraguay", _LA),
    ("PER", "Peru", _LA), ("KNA", "Saint Kitts and Nevis", _LA),
    ("LCA", "Saint Lucia", _LA), ("VCT", "Saint Vincent and the Grenadines", _LA),
    ("SUR", "Suriname", _LA), ("TTO", "Trinidad and Tobago", _LA), ("URY", "Uruguay", _LA),
    ("VEN", "Venezuela (Bolivarian Republic of)", _LA),
    ("AND", "Andorra", _WE), ("AUS", "Australia", _WE), ("AUT", "Austria", _WE),
    ("BEL", "Belgium", _WE), ("CAN", "Canada", _WE), ("DNK", "Denmark", _WE),
    ("FIN", "Finland", _WE), ("FRA", "France", _WE), ("DEU", "Germany", _WE),
    ("GRC", "Greece", _WE), ("ISL", "Iceland", _WE), ("IRL", "Ireland", _WE),
    ("ISR", "Israel", _WE), ("ITA", "Italy", _WE), ("LIE", "Liechtenstein", _WE),
    ("LUX", "Luxembourg", _WE), ("MLT", "Malta", _WE), ("MCO", "Monaco", _WE),
    ("NLD", "Netherlands (Kingdom of the)", _WE), ("NZL", "New Zealand", _WE),
    ("NOR", "Norway", _WE), ("PRT", "Portugal", _WE), ("SMR", "San Marino", _WE),
    ("ESP", "Spain", _WE), ("SWE", "Sweden", _WE), ("CHE", "Switzerland", _WE),
    ("TUR", "Türkiye", _WE),
    ("GBR", "United Kingdom of Great Britain and Northern Ireland", _WE),
    ("USA", "United States of America", _WE),
)  # fmt: skip

STATES: Mapping[str, tuple[str, Group]] = {code: (name, g) for code, name, g in _TABLE}
"""Each Member State's alpha-3 code: its English short name and its regional group."""

GROUP_NOTES: Mapping[str, str] = {
    "TUR": "also in the Asia-Pacific Group; counts in WEOG for elections",
    "ISR": "a member of WEOG",
    "USA": "an observer in WEOG, counted in it for elections",
    "KIR": "in the Asia-Pacific Group (long in none)",
}
"""The States whose place is not plain (a group of two, an observer, a late member)."""


def group_of(country: str) -> Group:
    """The regional group of a Member State; :attr:`Group.OTHER` for any other code (an
    observer State, a territory), so that one such request never stops a report."""
    found = STATES.get(country)
    return found[1] if found else Group.OTHER


def check_member_state(country: str) -> str:
    """Refuse a code that is not a Member State's."""
    if country not in STATES:
        raise InvalidInput(
            "country", f"{country!r} is not the ISO 3166-1 alpha-3 code of a Member State"
        )
    return country


@cache
def _names() -> Mapping[str, Mapping[str, str]]:
    text = resources.files("suffrage.assistance").joinpath("state_names.json").read_text("utf-8")
    names: Mapping[str, Mapping[str, str]] = json.loads(text)["names"]
    return names


def name_of(country: str, language: str = "en") -> str:
    """The short name of a Member State in one of the six languages (the code itself if it is
    not a Member State's)."""
    if language not in LANGUAGES:
        raise InvalidInput("language", f"{language!r} is not one of {', '.join(LANGUAGES)}")
    found = _names().get(country)
    return found[language] if found else country


def code_of(text: str) -> str:
    """What someone typed for a country: a code (in any case), or a Member State's short name
    in any of the six languages (its code then); anything else is returned as typed, upper
    case, for the code's own check to refuse or accept (a territory under a mandate)."""
    typed = " ".join(text.split())
    wanted = typed.casefold()
    for code, names in _names().items():
        if any(name.casefold() == wanted for name in names.values()):
            return code
    return typed.upper()
