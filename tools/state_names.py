"""Write ``src/suffrage/assistance/state_names.json``: the short names of the 193 Member
States in the six UN languages (spec/assistance.md#11.1).

The names are the UN Statistics Division's (the M49 standard, names based on UNTERM) as
gathered in the public-domain table ``data/country-codes.csv`` of
https://github.com/datasets/country-codes (its ``official_name_<lang>`` columns). English
names stay those of ``regions.py`` (UNTERM short forms). Run it when the UN renames a State:

    python tools/state_names.py COUNTRY-CODES.CSV SOURCE-COMMIT

It refuses a table that lacks a Member State or a name, so a half-written file never lands.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

from suffrage.assistance.regions import STATES
from suffrage.i18n import LANGUAGES

OUT = Path(__file__).resolve().parents[1] / "src/suffrage/assistance/state_names.json"
COLUMN = {"ar": "ar", "zh": "cn", "fr": "fr", "ru": "ru", "es": "es"}
CORRECTIONS = {("NLD", "ar"): ("_", "-")}
"""The published Arabic name of the Netherlands has "_" where every other inverted Arabic
short name has "-"."""


def main(source: Path, commit: str) -> None:
    raw = source.read_bytes()
    rows = {r["ISO3166-1-Alpha-3"]: r for r in csv.DictReader(raw.decode("utf-8").splitlines())}
    names: dict[str, dict[str, str]] = {}
    for code in sorted(STATES):
        row = rows.get(code)
        if row is None:
            raise SystemExit(f"{source}: no row for the Member State {code}")
        entry = {"en": STATES[code][0]}
        for language, column in COLUMN.items():
            name = " ".join(row[f"official_name_{column}"].split())
            if not name:
                raise SystemExit(f"{source}: {code} has no name in {language}")
            if (code, language) in CORRECTIONS:
                name = name.replace(*CORRECTIONS[code, language])
            entry[language] = name
        names[code] = {language: entry[language] for language in LANGUAGES}
    about = (
        "The short names of the 193 Member States in the six official languages, as the "
        "United Nations Statistics Division publishes them in the M49 standard (names based "
        "on UNTERM, the UN terminology database), taken from the public-domain compilation "
        "https://github.com/datasets/country-codes (data/country-codes.csv, columns "
        f"official_name_*, commit {commit}, SHA-256 {hashlib.sha256(raw).hexdigest()}). "
        "English names are the UNTERM short forms of regions.py. One correction: the Arabic "
        "name of the Netherlands is published as 'هولندا (مملكة _)'; the underscore is written "
        "'-' as in every other inverted Arabic short name. Written by tools/state_names.py."
    )
    lines = ["{", f' "about": {json.dumps(about, ensure_ascii=False)},', ' "names": {']
    last = len(names) - 1
    for i, (code, entry) in enumerate(names.items()):
        comma = "," if i < last else ""
        lines.append(f"  {json.dumps(code)}: {json.dumps(entry, ensure_ascii=False)}{comma}")
    lines += [" }", "}"]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2])
