"""Tests of kzanalysis.claims.report: the generated README ledger block."""

from __future__ import annotations

import pytest

from kzanalysis.claims import report as R
from kzanalysis.claims.model import (
    Claim,
    ClaimResult,
    Measurement,
    Part,
    PartResult,
    Tolerance,
)
from kzanalysis.paths import PROJECT_ROOT


def result(cid: str, verdict: str, thesis: str, value, unit: str = "%") -> ClaimResult:
    part = Part(label="share | 2020", thesis=1.0, unit=unit, tolerance=Tolerance(kind="exact"))
    claim = Claim(
        id=cid, chapter=2, claim="c", thesis_value=thesis, metric="trade.x", parts=(part,)
    )
    return ClaimResult(claim, verdict, "e", [PartResult(part, Measurement(value, "ev"), verdict)])


RESULTS = [
    result("C02", "contradicted", "about\n20 %", 12.5),
    result("C01", "supported", "1 %", 1.0),
]


def test_ledger_markdown_counts_every_verdict_and_escapes_cells():
    text = R.ledger_markdown(RESULTS)
    lines = text.splitlines()
    assert "**2 claims**, verdicts computed from the curated data:" in lines
    assert lines[lines.index("- supported: 1") : lines.index("- untestable: 0") + 1] == [
        "- supported: 1",
        "- partly supported: 0",
        "- contradicted: 1",
        "- untestable: 0",
    ]
    table = [line for line in lines if line.startswith("| C")]
    assert table == [  # sorted by id; pipes escaped, line breaks folded
        "| C01 | 2 | supported | supported | to 2021 | 1 % | share \\| 2020: 1 | % |",
        "| C02 | 2 | contradicted | contradicted | to 2021 | about 20 % "
        "| share \\| 2020: 12.5 | % |",
    ]
    assert "the latest data (now): 0." in text


def test_ledger_markdown_lists_the_verdicts_that_changed_since_the_thesis():
    now, then = result("C03", "supported", "x", 1.0), result("C03", "contradicted", "x", 2.0)
    now.written, now.change = then, "Did not hold when written (to 2021); holds now."
    lines = R.ledger_markdown([now]).splitlines()
    assert "- C03: Did not hold when written (to 2021); holds now." in lines
    assert "| C03 | 2 | supported | contradicted | to 2021 | x | share \\| 2020: 1 | % |" in lines


def test_replace_block_keeps_markers_and_surroundings(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(f"# T\n\nbefore\n\n{R.START}\nold text\n{R.END}\n\nafter\n", encoding="utf-8")
    assert R.update_file(path, "NEW\nBLOCK\n") is True
    assert path.read_text(encoding="utf-8") == (
        f"# T\n\nbefore\n\n{R.START}\nNEW\nBLOCK\n{R.END}\n\nafter\n"
    )
    assert R.update_file(path, "NEW\nBLOCK\n") is False  # second run: nothing to change
    assert R.is_current(path.read_text(encoding="utf-8"), "NEW\nBLOCK")
    assert not R.is_current(path.read_text(encoding="utf-8"), "OTHER")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no markers here\n", "marker <!-- ledger:start --> and <!-- ledger:end --> not found"),
        (f"{R.START}\nonly the start\n", "marker <!-- ledger:end --> not found"),
        (f"{R.END}\n{R.START}\n", "comes before"),
        (f"{R.START}\n{R.END}\n{R.START}\n{R.END}\n", "more than once"),
    ],
)
def test_missing_or_broken_markers_are_clear_errors(text, message):
    with pytest.raises(R.LedgerBlockError, match=message):
        R.replace_block(text, "x", "README.md")


def test_cli_check_and_update(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(R, "ledger_markdown", lambda results=None: "BLOCK\n")
    path = tmp_path / "README.md"
    path.write_text(f"{R.START}\nstale\n{R.END}\n", encoding="utf-8")
    assert R.main(["--check", str(path)]) == 1
    assert "stale" in capsys.readouterr().err
    assert R.main(["--update-readme", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == f"{R.START}\nBLOCK\n{R.END}\n"
    assert R.main(["--check", str(path)]) == 0
    (tmp_path / "bare.md").write_text("nothing\n", encoding="utf-8")
    assert R.main(["--check", str(tmp_path / "bare.md")]) == 2
    assert "not found" in capsys.readouterr().err


def test_project_readme_ledger_block_is_current():
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert R.current_block(text, "README.md") == R.ledger_markdown().strip("\n"), (
        "README.md's claims ledger block is stale; run "
        "`python -m kzanalysis.claims.report --update-readme README.md`"
    )


def test_table_counts_lists_every_verdict_with_zeros():
    import pandas as pd

    from kzanalysis.claims.ledger import counts_sentence, table_counts

    table = pd.DataFrame({"verdict": ["supported", "contradicted", "supported"]})
    assert table_counts(table) == {
        "supported": 2,
        "partly_supported": 0,
        "contradicted": 1,
        "untestable": 0,
    }
    assert counts_sentence(table) == (
        "3 claims: 2 supported, 0 partly supported, 1 contradicted, 0 untestable."
    )
