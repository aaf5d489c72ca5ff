"""AidData Global Chinese Development Finance snapshots → tidy rows.

* GCDF 3.0 as the odadata package summed it (``cow_gcdf.csv``): one row per recipient (COW
  code) and year that has at least one commitment recommended for aggregates, amounts in
  whole constant 2021 US dollars per flow class (``oda``/``oof``/``vof``, ``_amt`` and
  ``_adj``). Kept: the five Central Asian states and Russia. A year without a row becomes
  rows with ``commitment_recorded`` False and empty amounts (no recorded commitment), so it
  is never confused with a recorded zero.
* GCDF 2.0 geolocated projects (``final_df.csv``): project detail for the five states.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kzanalysis.curate._io import fail
from kzanalysis.specs.investment_codes import (
    COW_RECIPIENTS,
    GCDF3_FLOW_CLASSES,
    GCDF_RECIPIENTS,
)

GCDF3_COLUMNS = (
    "ccode",
    "year",
    *(f"{c}_{k}" for c in ("oof", "oda", "vof") for k in ("amt", "adj")),
)

GCDF2_COLUMNS: dict[str, str] = {
    "AidData TUFF Project ID": "project_id",
    "Recipient": "recipient_name",
    "Title": "title",
    "Funding Agencies": "funding_agencies",
    "Flow Type": "flow_type",
    "Flow Class": "flow_class",
    "AidData Sector Name": "sector",
    "Status": "status",
    "Commitment Year": "commitment_year",
    "Amount (Constant USD2017)": "amount_usd2017_mn",
    "Recommended For Aggregates": "recommended_for_aggregates",
    "Umbrella": "umbrella",
    "finance_type": "finance_type",
}

_YES_NO = {"Yes": True, "No": False}


def _millions(dollars: pd.Series) -> pd.Series:
    """Whole dollars → millions, rounded to 6 decimals (1 dollar)."""
    return (dollars.astype("float64") / 1e6).round(6)


def parse_gcdf3(path: Path, years: tuple[int, int]) -> tuple[pd.DataFrame, list[str]]:
    """Read odadata's ``cow_gcdf.csv`` into one row per recipient, year and flow class.

    Args:
        path: The CSV file.
        years: First and last year of GCDF 3.0's coverage: every kept recipient gets every
            year, recorded or not.

    Returns:
        The rows (``recipient_iso3, year, flow_class, commitment_recorded,
        commitment_usd2021_mn, adjusted_commitment_usd2021_mn``) and one log line per
        recipient with its years without a row.

    Raises:
        RawDataError: on other columns, duplicate recipient-years, missing or negative
            amounts, or a kept recipient's year outside ``years``.
    """
    try:
        raw = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise fail(path, f"cannot read the CSV ({exc})") from None
    if tuple(raw.columns) != GCDF3_COLUMNS:
        raise fail(
            path,
            f"columns {list(raw.columns)}, expected {list(GCDF3_COLUMNS)}",
            "check that the file is odadata's data/cow_gcdf.csv",
        )
    if raw.isna().any().any():
        raise fail(path, "empty cells (odadata fills missing amounts with 0)")
    if raw.duplicated(["ccode", "year"]).any():
        raise fail(path, "a recipient (ccode) and year appear on more than one row")
    amounts = list(GCDF3_COLUMNS[2:])
    if (raw[amounts] < 0).any().any():
        raise fail(path, "negative amounts (commitments cannot be negative)")
    kept = raw[raw["ccode"].isin(list(COW_RECIPIENTS))].copy()
    outside = kept[(kept["year"] < years[0]) | (kept["year"] > years[1])]
    if len(outside):
        raise fail(
            path,
            f"years outside {years[0]}–{years[1]}: {sorted(set(outside['year']))}",
            "extend GCDF3_YEARS in kzanalysis/specs/investment.py if AidData's coverage grew",
        )
    missing = sorted(set(COW_RECIPIENTS) - set(kept["ccode"]))
    if missing:
        raise fail(path, f"no rows for the recipients with COW codes {missing}")
    kept["recipient_iso3"] = kept["ccode"].map(COW_RECIPIENTS)
    records = []
    log = []
    for iso3 in COW_RECIPIENTS.values():
        rows = kept[kept["recipient_iso3"] == iso3].set_index("year")
        absent = [y for y in range(years[0], years[1] + 1) if y not in rows.index]
        log.append(
            f"{path.name}: {iso3} has no row for "
            + (", ".join(map(str, absent)) if absent else "no year")
            + " (no recorded commitment; amounts left empty, commitment_recorded False)"
        )
        for year in range(years[0], years[1] + 1):
            for prefix, label in GCDF3_FLOW_CLASSES.items():
                recorded = year in rows.index
                records.append(
                    {
                        "recipient_iso3": iso3,
                        "year": year,
                        "flow_class": label,
                        "commitment_recorded": recorded,
                        "amt": rows.at[year, f"{prefix}_amt"] if recorded else None,
                        "adj": rows.at[year, f"{prefix}_adj"] if recorded else None,
                    }
                )
    frame = pd.DataFrame.from_records(records)
    frame["commitment_usd2021_mn"] = _millions(frame.pop("amt"))
    frame["adjusted_commitment_usd2021_mn"] = _millions(frame.pop("adj"))
    return frame, log


def parse_gcdf2(path: Path) -> pd.DataFrame:
    """Read the GCDF 2.0 geolocated projects of the five Central Asian states.

    Returns:
        One row per project: ``project_id`` (text), ``recipient_iso3`` and the renamed
        columns of :data:`GCDF2_COLUMNS`; amounts in million constant 2017 US dollars,
        Yes/No as booleans, text stripped.

    Raises:
        RawDataError: on missing columns, ``id`` differing from the project id, duplicate
            ids, or values other than Yes/No in the Yes/No columns.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise fail(path, f"cannot read the CSV ({exc})") from None
    absent = [c for c in ("id", *GCDF2_COLUMNS) if c not in raw.columns]
    if absent:
        raise fail(path, f"missing columns {absent}", "check that the file is final_df.csv")
    ca = raw[raw["Recipient"].isin(list(GCDF_RECIPIENTS))]
    if (ca["id"] != ca["AidData TUFF Project ID"]).any():
        raise fail(path, "column 'id' differs from 'AidData TUFF Project ID'")
    frame = ca[list(GCDF2_COLUMNS)].rename(columns=GCDF2_COLUMNS)
    frame = frame.apply(lambda col: col.str.strip())
    if frame["project_id"].duplicated().any():
        raise fail(path, "duplicate project ids")
    for col in ("recommended_for_aggregates", "umbrella"):
        bad = sorted(set(frame[col]) - set(_YES_NO))
        if bad:
            raise fail(path, f"column {col!r} holds {bad}, expected Yes or No")
        frame[col] = frame[col].map(_YES_NO)
    try:
        frame["commitment_year"] = frame["commitment_year"].astype(int)
        amount = pd.to_numeric(frame["amount_usd2017_mn"].replace("", None), errors="raise")
    except ValueError as exc:
        raise fail(path, f"a commitment year or amount is not a number ({exc})") from None
    frame["amount_usd2017_mn"] = _millions(amount)
    frame.insert(1, "recipient_iso3", frame["recipient_name"].map(GCDF_RECIPIENTS))
    return frame.reset_index(drop=True)
