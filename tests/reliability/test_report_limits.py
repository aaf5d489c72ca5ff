"""Size limits: huge output fails neither the build machine nor the reader.

A cell's stream output is capped while it arrives (the executed notebook stays small)
and again when the report is rendered, with a visible note; a report still above its
variant's ``max_report_mb`` (default 5 MB) fails that variant and keeps the last good
report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from kzanalysis.publish import html
from kzanalysis.publish.execute import DEFAULT_MAX_REPORT_MB, Job, ReportTooLarge, check_size
from kzanalysis.publish.runner import max_report_mb
from tests.reliability.project import (
    assert_consistent,
    build,
    code,
    line_of,
    make_project,
    notebook,
    state,
)

MB = 1_000_000


def stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


def test_stream_output_of_a_cell_is_cut_at_the_cap_with_a_note_and_its_end():
    outputs = [stream("a" * 150_000), stream("b" * 150_000, "stderr"), stream("c" * 10)]
    dropped = html.cap_cell_outputs(outputs)
    assert dropped == 100_010 - html.TAIL_CHARS
    head, note, tail = outputs[:2], outputs[2], outputs[3]
    assert "".join(o["text"] for o in head) == "a" * 150_000 + "b" * 50_000
    assert "[output truncated: 98 kB not shown" in note["text"]
    assert tail["text"] == "b" * (html.TAIL_CHARS - 10) + "c" * 10  # how it ended
    assert html.cap_cell_outputs(outputs) == 0  # capped once, left alone afterwards


def test_output_arriving_piecewise_is_capped_as_it_arrives():
    outputs: list[dict] = []
    cap = html.OutputCap()
    for i in range(200):  # 20 MB in 100 kB messages, the last one ending "the end"
        out = stream("x" * 99_993 + ("the end" if i == 199 else "x" * 7))
        outputs.append(out)
        cap.add(outputs, out)
    texts = [o["text"] for o in outputs]
    assert len(outputs) == 4  # two messages kept, the note, the tail
    assert sum(len(t) for t in texts[:2]) == html.OUTPUT_CAP_CHARS
    assert texts[2].strip().startswith("[output truncated: 19.8 MB not shown")
    assert texts[3].endswith("the end") and len(texts[3]) == html.TAIL_CHARS


def test_huge_text_outputs_are_cut_and_huge_markup_is_dropped():
    plain = {"output_type": "execute_result", "data": {"text/plain": "p" * (3 * MB)}}
    markup = {
        "output_type": "display_data",
        "data": {"text/html": "<b>" * MB, "image/png": "iVBOR"},
    }
    error = {
        "output_type": "error",
        "ename": "ValueError",
        "evalue": "v" * MB,
        "traceback": ["t" * MB],
    }
    outputs = [plain, markup, error]
    assert html.cap_cell_outputs(outputs) > 0
    assert plain["data"]["text/plain"].startswith("p" * 1000)
    assert "[output truncated: 2.8 MB not shown" in plain["data"]["text/plain"]
    assert "text/html" not in markup["data"] and markup["data"]["image/png"] == "iVBOR"
    assert "output truncated: 3.0 MB not shown" in markup["data"]["text/plain"]
    assert len(error["evalue"]) < 20_000
    assert sum(len(line) for line in error["traceback"]) < html.OUTPUT_CAP_CHARS + 1_000


def test_report_size_cap_and_where_it_comes_from(tmp_path):
    assert max_report_mb(SimpleNamespace()) == DEFAULT_MAX_REPORT_MB == 5.0
    assert max_report_mb(SimpleNamespace(max_report_mb=12.5)) == 12.5
    assert max_report_mb(SimpleNamespace(max_report_mb=None)) == 5.0
    meta = html.ReportMeta("big-KAZ", "big", "big.ipynb", {}, "now", "none")
    job = Job("big-KAZ", "nb", {}, "x", "l", "r", "e", 1, 1, False, meta, max_report_mb=0.5)
    check_size("x" * 500_000, job)
    with pytest.raises(ReportTooLarge) as caught:
        check_size("é" * 300_000, job)  # bytes count, not characters
    assert str(caught.value) == (
        "report is 0.6 MB, above the 0.5 MB cap (max_report_mb in reports.yaml)"
    )


#: ``print``: 20 MB printed in 1 MB pieces; ``display``: 20 MB as 100 displayed texts of
#: 200 kB each (each within the text cap: only the report cap stops them).
BIG = notebook(
    code('mode = "small"', "parameters"),
    code(
        "from IPython.display import display\n"
        'if mode == "print":\n'
        "    for i in range(20):\n"
        '        print("x" * 1_000_000)\n'
        'if mode == "display":\n'
        "    for i in range(100):\n"
        '        display({"text/plain": "y" * 199_000}, raw=True)\n'
        'print("good output", mode)'
    ),
    datasets=["alpha"],
)

LAST_GOOD = "<!DOCTYPE html><html><body>last good {name}</body></html>\n"


def test_twenty_megabytes_of_output_never_reach_a_report(tmp_path, monkeypatch, tally):
    from kzanalysis.publish import execute

    # the executed copy keeps at most max(this, 2 x the report cap) = 10 MB of output
    monkeypatch.setattr(execute, "NOTEBOOK_OUTPUT_BUDGET_CHARS", 1 * MB)
    root = make_project(
        tmp_path / "proj",
        {"big.ipynb": BIG},
        [
            {"name": "print-KAZ", "notebook": "big.ipynb", "parameters": {"mode": "print"}},
            {"name": "display-KAZ", "notebook": "big.ipynb", "parameters": {"mode": "display"}},
            {  # a small report, a smaller cap in reports.yaml
                "name": "capped-KAZ",
                "notebook": "big.ipynb",
                "parameters": {"mode": "small"},
                "max_report_mb": 0.05,
            },
        ],
    )
    reports = root / "reports"
    (reports / ".build").mkdir(parents=True)
    good = LAST_GOOD.format(name="display-KAZ")
    (reports / "display-KAZ.html").write_text(good)
    record = {"name": "display-KAZ", "status": "ok", "fingerprint": {}, "data_editions": []}
    record["good_built_at"] = "2020-01-01 00:00:00 UTC"
    (reports / ".build" / "display-KAZ.json").write_text(json.dumps(record))
    summary = tmp_path / "summary.json"
    code_, out, exc = build(root, "--jobs", "1", "--summary-json", str(summary))
    assert exc is None and code_ == 1, out

    # printed: cut at the cap while it ran, the report shows the start and the note
    assert line_of(out, "print-KAZ").startswith("print-KAZ: built"), out
    page = (reports / "print-KAZ.html").read_text()
    assert "output truncated: 19.8 MB not shown" in page and "good output print" in page
    assert len(page.encode()) < 1 * MB
    executed = reports / ".build" / "executed" / "print-KAZ.ipynb"
    assert executed.stat().st_size < 1 * MB

    # displayed: each within the text cap; the executed copy stops keeping them at 10 MB,
    # the report would still be 10 MB: failed, last good kept
    executed = reports / ".build" / "executed" / "display-KAZ.ipynb"
    assert executed.stat().st_size < 11 * MB
    note = re.search(
        r"\[output dropped: ([\d.]+) MB not kept; this notebook's outputs passed "
        r"10.0 MB\]",
        executed.read_text(),
    )
    assert note and 9.5 < float(note.group(1)) < 10.5
    line = line_of(out, "display-KAZ")
    assert line.startswith("display-KAZ: failed (report is 10."), line
    assert "MB, above the 5 MB cap (max_report_mb in reports.yaml))" in line
    assert line.endswith("last good report kept (stale)")
    kept = (reports / "display-KAZ.html").read_text()
    assert "Stale report." in kept and "last good display-KAZ" in kept
    assert len(kept.encode()) < 100_000
    record = state(root, "display-KAZ")
    assert (record["status"], record["kind"]) == ("failed", "too-large")
    assert record["good_built_at"] == "2020-01-01 00:00:00 UTC"
    entry = {v["name"]: v for v in json.loads(summary.read_text())["variants"]}["display-KAZ"]
    assert entry["error"]["kind"] == "too-large"
    line = line_of(out, "capped-KAZ")  # the variant's own cap, from reports.yaml
    assert "MB, above the 0.05 MB cap (max_report_mb in reports.yaml))" in line, line
    assert "no earlier report" in line and not (reports / "capped-KAZ.html").exists()
    assert_consistent(reports)
    tally("execution faults survived", 3)


@pytest.fixture(autouse=True)
def _no_leftover(tmp_path: Path):
    yield
    for page in tmp_path.rglob("*.html"):  # nothing cut off half-way either
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
