"""Curation on malformed copies of the upstream files: a clear error naming the file.

Each parser that reads an upstream snapshot gets a damaged copy of its real input:
a renamed header, extra blank lines, a re-encoding (UTF-8 → Latin-1/cp1251, and the
reverse for SIPRI's Latin-1 exports), a file cut in half, an empty file, random
bytes, and for workbooks a missing sheet. The parser must either raise a
:class:`RawDataError` naming the file, or (for harmless changes such as blank lines
or an encoding it is documented to read) return exactly what it returns for the
original. Anything else (a pandas or openpyxl traceback, a silently different
table) fails. The end-to-end command ``kzanalysis data curate`` is checked too.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kzanalysis.cli import app
from kzanalysis.curate import arms, energy, polls, trade_bns, trade_dots, trade_wits
from kzanalysis.curate import energy_ei as ei
from kzanalysis.errors import RawDataError
from tests.conftest import SHARED_DATA

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"no raw snapshots at {SHARED_DATA}"),
]

BNS = (
    "trade/raw/kz_bns_marylev/"
    "bns_main_foreign_trade_indicators_by_country_file2023__sheet6_2023.csv"
)
WITS = f"{trade_wits.WITS_DIR}/{trade_wits.HS4_FILES[('CHN', 'export')]}"
DOTS_NAME, (DOTS_ISO3, DOTS_LABEL) = next(iter(trade_dots.DOTS_FILES.items()))

#: upstream file → (parser on a path, a header cell to rename)
PARSERS: dict[str, tuple[Callable[[Path], object], str]] = {
    arms.SRC_REGISTER_2026.raw_paths[0]: (
        lambda p: arms.parse_register(p, arms.SRC_REGISTER_2026),
        "Recipient",
    ),
    arms.SRC_DELIVERIES_2026.raw_paths[0]: (
        lambda p: arms.parse_deliveries(p, arms.SRC_DELIVERIES_2026),
        "Recipient",
    ),
    energy.BRENT_SOURCE.raw_paths[0]: (lambda p: energy.parse_brent_year(p, p.name), "Price"),
    energy.FX_SOURCE.raw_paths[0]: (lambda p: energy.parse_wdi_csv(p, p.name), "Country Code"),
    polls.TOPLINES: (polls.parse_toplines, "question_text"),
    polls.FLOWS: (polls.parse_flows, "origin_country_name"),
    BNS: (lambda p: trade_bns.parse_sheet(p, 2023), None),
    WITS: (lambda p: trade_wits.read_wits(p, "export", "CHN"), "PartnerISO3"),
}


def first_line_with(text: str, cell: str) -> int:
    for i, line in enumerate(text.split("\n")):
        if cell in [c.strip('"\r') for c in line.split(",")]:
            return i
    raise AssertionError(f"no header cell {cell!r}")


def rename_header(blob: bytes, cell: str | None) -> bytes:
    text = blob.decode("utf-8", errors="surrogateescape")
    lines = text.split("\n")
    if cell is None:  # no named header: blank the first non-empty row
        i = next(i for i, line in enumerate(lines) if line.strip(", \r"))
        lines[i] = "renamed," * 3
    else:
        i = first_line_with(text, cell)
        lines[i] = lines[i].replace(cell, cell + " (renamed)", 1)
    return "\n".join(lines).encode("utf-8", errors="surrogateescape")


def blank_lines(blob: bytes, _: str | None) -> bytes:
    lines = blob.split(b"\n")
    middle = len(lines) // 2
    return b"\n".join([*lines[:middle], b"", b"", *lines[middle:]]) + b"\n\n"


def reencode(blob: bytes, _: str | None) -> bytes:
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:  # a Latin-1 file (SIPRI) saved as UTF-8
        return blob.decode("latin-1").encode("utf-8")
    for codec in ("latin-1", "cp1251"):
        try:
            return text.encode(codec)
        except UnicodeEncodeError:
            continue
    return text.encode("utf-16")


MUTATIONS: dict[str, tuple[Callable[[bytes, str | None], bytes], bool]] = {
    # name: (mutation, may it be harmless?)
    "renamed header": (rename_header, False),
    "extra blank lines": (blank_lines, True),
    "other encoding": (reencode, True),
    "cut in half": (lambda b, _: b[: len(b) // 2], True),
    "empty": (lambda b, _: b"", False),
    "random bytes": (lambda b, _: bytes(range(256)) * 8, False),
}


def same(a: object, b: object) -> bool:
    if isinstance(a, pd.DataFrame):
        return isinstance(b, pd.DataFrame) and a.equals(b)
    return repr(a) == repr(b)


@pytest.fixture(scope="module")
def originals() -> dict[str, object]:
    return {rel: parse(SHARED_DATA / rel) for rel, (parse, _) in PARSERS.items()}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize("rel", list(PARSERS), ids=lambda r: Path(r).name[:40])
def test_malformed_upstream_file_is_named_or_read_the_same(
    rel, mutation, originals, tmp_path, tally
):
    parse, header = PARSERS[rel]
    change, may_be_harmless = MUTATIONS[mutation]
    path = tmp_path / Path(rel).name
    path.write_bytes(change((SHARED_DATA / rel).read_bytes(), header))
    try:
        result = parse(path)
    except RawDataError as exc:
        assert path.name in str(exc), str(exc)
        assert "Fix:" in str(exc) or "restore" in str(exc), str(exc)
        tally("malformed upstream files named", 1)
        return
    assert may_be_harmless, f"{mutation} of {path.name} was accepted"
    if mutation == "cut in half":
        # a file cut at a line end can be a valid shorter file: it is caught by the raw
        # checksum in the catalog (`curate --check`), not by the parser
        assert isinstance(result, pd.DataFrame) and len(result) <= len(originals[rel])
    else:
        assert same(result, originals[rel]), f"{mutation} of {path.name} changed the table"
    tally("malformed upstream files read unchanged", 1)


def test_workbook_with_a_missing_sheet_or_garbage_is_named(tmp_path, tally):
    import openpyxl

    src = SHARED_DATA / trade_dots.DOTS_DIR / DOTS_NAME
    book = openpyxl.load_workbook(src)
    del book[book.sheetnames[0]]
    missing = tmp_path / DOTS_NAME
    book.save(missing)
    with pytest.raises(RawDataError, match=rf"{DOTS_NAME}: sheet .* missing"):
        trade_dots.parse_workbook(missing, DOTS_ISO3, DOTS_LABEL)
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(src.read_bytes()[:2000])
    with pytest.raises(RawDataError, match="garbage.xlsx"):
        trade_dots.parse_workbook(garbage, DOTS_ISO3, DOTS_LABEL)
    with pytest.raises(RawDataError, match="garbage.xlsx"):
        ei.read_workbook(garbage)
    tally("malformed upstream files named", 3)


def test_data_curate_command_names_the_bad_file_and_leaves_data_alone(tmp_path, tally):
    raw = tmp_path / "raw"
    raw.mkdir()
    for domain in ("energy", "arms", "polls"):
        (raw / domain).symlink_to(SHARED_DATA / domain)
    shutil.copytree(SHARED_DATA / "trade", raw / "trade")
    bad = raw / WITS  # read first: the run stops early
    bad.write_bytes(rename_header(bad.read_bytes(), "PartnerISO3"))
    out = tmp_path / "data"
    out.mkdir()
    (out / "keep.csv").write_text("x\n")
    result = CliRunner().invoke(app, ["data", "curate", "--raw", str(raw), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert Path(WITS).name in result.output and "Fix:" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["keep.csv"]
    tally("malformed upstream files named", 1)
