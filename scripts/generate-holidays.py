#!/usr/bin/env python3
"""Generate Rota's public-holiday data from the `holidays` package (PyPI).

Writes two files that rota-core embeds (see crates/rota-core/src/holidays.rs):

- crates/rota-core/data/public-holidays.csv: one row per holiday, national rows once and
  each subdivision's differences from the national set (see the header this writes);
- crates/rota-core/data/public-holiday-regions.csv: the countries and subdivisions covered,
  with their names, so that a subdivision with no holiday of its own is still known.

Python is needed only to regenerate; building and testing Rota uses the committed files.
To regenerate, from the repository root:

    python3 -m venv /tmp/holidays-venv
    /tmp/holidays-venv/bin/pip install holidays==0.109
    /tmp/holidays-venv/bin/python scripts/generate-holidays.py

To move to a newer `holidays`, change HOLIDAYS_VERSION and the pip line together, run it,
and review the diff of the data files before committing.
"""

import csv
import datetime
import pathlib
import sys

import holidays
from holidays.registry import COUNTRIES as REGISTRY

HOLIDAYS_VERSION = "0.109"
FIRST_YEAR = 2020
LAST_YEAR = 2035

# The 30 largest economies by nominal GDP.
LARGEST_ECONOMIES = (
    "US CN DE JP IN GB FR IT CA BR RU KR AU MX ES ID NL SA TR CH PL TW BE SE AR IE AT TH IL NO"
).split()
# Every member of the European Union.
EU_MEMBERS = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
).split()
COUNTRIES = sorted(set(LARGEST_ECONOMIES) | set(EU_MEMBERS))

DATA = pathlib.Path(__file__).resolve().parent.parent / "crates" / "rota-core" / "data"
HOLIDAYS_FILE = DATA / "public-holidays.csv"
REGIONS_FILE = DATA / "public-holiday-regions.csv"


def language(cls):
    """English names: the country's own English if it has one, else American English."""
    if cls.default_language and cls.default_language.startswith("en"):
        return cls.default_language
    if "en_US" not in cls.supported_languages:
        sys.exit(f"{cls.__name__} has no English names")
    return "en_US"


def holiday_set(code, subdivision, lang):
    """The set of (date, name) for one country or subdivision over the year range."""
    found = holidays.country_holidays(
        code, subdiv=subdivision, years=range(FIRST_YEAR, LAST_YEAR + 1), language=lang
    )
    pairs = set()
    for date in found:
        for name in found.get_list(date):
            name = name.strip()
            if not name or '"' in name or "\n" in name:
                sys.exit(f"{code} {subdivision} {date}: unusable name {name!r}")
            pairs.add((date, name))
    return pairs


def country_name(code):
    module = next(module for module, entry in REGISTRY.items() if entry[1] == code)
    return module.replace("_", " ").title()


# Subdivisions that `holidays` defines only for school holidays: they have no public
# holiday of their own, so they are left out (the script checks that they have none).
SCHOOL_ZONES = {
    "BE": {"Flemish", "French", "German"},
    "FR": {"Zone A", "Zone B", "Zone C"},
    "NL": {"Midden", "Noord", "Zuid"},
}

# Where the first alias `holidays` gives is in a minority language, the majority's name.
SUBDIVISION_NAMES = {
    ("NO", "50"): "Trøndelag",
    ("NO", "55"): "Troms",
    ("NO", "56"): "Finnmark",
}


def subdivision_name(cls, code, subdivision):
    """The first alias `holidays` gives that is a name rather than another code."""
    if (code, subdivision) in SUBDIVISION_NAMES:
        return SUBDIVISION_NAMES[(code, subdivision)]
    aliases = getattr(cls, "subdivisions_aliases", {}) or {}
    for alias, target in aliases.items():
        if target == subdivision and not alias.isupper() and not alias.isdigit():
            return alias
    return subdivision


def main():
    if holidays.__version__ != HOLIDAYS_VERSION:
        sys.exit(f"holidays {HOLIDAYS_VERSION} is required, found {holidays.__version__}")
    supported = holidays.list_supported_countries()
    missing = [code for code in COUNTRIES if code not in supported]
    if missing:
        sys.exit(f"holidays {HOLIDAYS_VERSION} lacks {' '.join(missing)}")

    rows = []
    regions = []
    for code in COUNTRIES:
        cls = holidays.country_holidays(code).__class__
        lang = language(cls)
        national = holiday_set(code, None, lang)
        rows += [(date, code, "", "+", name) for date, name in national]
        regions.append((code, "", country_name(code)))
        for subdivision in cls.subdivisions:
            if "," in subdivision:
                sys.exit(f"{code}: subdivision code {subdivision!r} has a comma")
            own = holiday_set(code, subdivision, lang)
            if subdivision in SCHOOL_ZONES.get(code, ()):
                if own != national:
                    sys.exit(f"{code} {subdivision} now has public holidays of its own")
                continue
            regions.append((code, subdivision, subdivision_name(cls, code, subdivision)))
            rows += [(date, code, subdivision, "+", name) for date, name in own - national]
            rows += [(date, code, subdivision, "-", name) for date, name in national - own]
    rows.sort(key=lambda row: (row[1], row[2], row[0], row[3], row[4]))

    today = datetime.date.today().isoformat()
    header = [
        "Public holidays for Rota. Generated by scripts/generate-holidays.py; do not edit by hand.",
        f"Source: the Python package holidays {HOLIDAYS_VERSION} (PyPI), its default category",
        "(public holidays, with the substitute and observed days it lists), names in English.",
        f"Generated: {today}, by: python3 scripts/generate-holidays.py (with holidays=={HOLIDAYS_VERSION})",
        f"Years: {FIRST_YEAR}-{LAST_YEAR}",
        f"Countries: {' '.join(COUNTRIES)}",
        "Subdivisions and names: public-holiday-regions.csv beside this file.",
        "",
        "Rows: date,country,subdivision,change,name. A row with an empty subdivision is a",
        "national holiday. A subdivision's holidays are the national ones, plus its rows with",
        "change '+' (a holiday only there), minus its rows with change '-' (a national holiday",
        "that subdivision does not keep, matched by date and name). Two holidays on one date",
        "are two rows.",
    ]
    with HOLIDAYS_FILE.open("w", newline="", encoding="utf-8") as out:
        for line in header:
            out.write(f"# {line}".rstrip() + "\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "country", "subdivision", "change", "name"])
        for date, code, subdivision, change, name in rows:
            writer.writerow([date.isoformat(), code, subdivision, change, name])

    with REGIONS_FILE.open("w", newline="", encoding="utf-8") as out:
        out.write(
            "# Countries and subdivisions in public-holidays.csv, named as the holidays\n"
            f"# package {HOLIDAYS_VERSION} names them. Generated {today} by"
            " scripts/generate-holidays.py.\n"
            "# A row with an empty subdivision names the country.\n"
        )
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["country", "subdivision", "name"])
        writer.writerows(regions)

    subdivisions = len(regions) - len(COUNTRIES)
    print(f"{len(rows)} rows, {len(COUNTRIES)} countries, {subdivisions} subdivisions")


if __name__ == "__main__":
    main()
