"""Report look (colours, figures, tables, print, index grouping) and CLI error lines."""

from __future__ import annotations

import base64
import io
import os
import re

import pytest
from typer.testing import CliRunner

from kzanalysis import cli as kzcli
from kzanalysis.plotting import ACTOR_COLORS
from kzanalysis.publish import html
from kzanalysis.publish.index import group_by_chapter, render_index, split_name, split_title


def chart_png() -> bytes:
    """A small antialiased line chart as PNG (what the inline backend produces)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 2), dpi=100)
    ax.plot([0, 1, 2, 3], [1, 3, 2, 4], color=ACTOR_COLORS["Russia"])
    ax.plot([0, 1, 2, 3], [2, 1, 3, 1], color=ACTOR_COLORS["China"])
    ax.set_title("Shares (%)")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", transparent=True)
    plt.close(fig)
    return buffer.getvalue()


def test_css_has_every_actor_colour_of_the_figures():
    for actor, colour in ACTOR_COLORS.items():
        assert f"--kz-{actor.lower()}:{colour}" in html.CSS
    key = html.actor_key_html(ACTOR_COLORS)
    assert re.findall(r"</span>(\w+)</li>", key) == list(ACTOR_COLORS)
    assert "var(--kz-russia)" in key


def test_print_stylesheet_hides_the_interactive_parts():
    block = html.CSS[html.CSS.index("@media print") :]
    assert ".kz-table-tools" in block and "display:none" in block
    assert "tr[hidden]{display:table-row}" in block  # filtered rows still print
    assert "break-inside:avoid" in block


def test_compressed_png_is_smaller_same_size_and_opaque_white():
    from PIL import Image

    original = chart_png()
    smaller = html.compress_png(original)
    assert len(smaller) < len(original)
    before, after = Image.open(io.BytesIO(original)), Image.open(io.BytesIO(smaller))
    assert after.size == before.size and after.format == "PNG"
    rgb = after.convert("RGB")
    assert rgb.getpixel((1, 1)) == (255, 255, 255)  # transparency flattened on white, not black
    colours = {c for _, c in rgb.getcolors(maxcolors=1 << 16)}
    russia = tuple(int(ACTOR_COLORS["Russia"][i : i + 2], 16) for i in (1, 3, 5))
    assert russia in colours  # the actor colour survives the palette


def test_compress_keeps_what_it_cannot_improve():
    assert html.compress_png(b"not a png") == b"not a png"
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "x"},
            {
                "cell_type": "code",
                "outputs": [
                    {"data": {"image/png": base64.b64encode(chart_png()).decode()}},
                    {"data": {"text/plain": "1"}},
                ],
            },
        ]
    }
    saved = html.compress_notebook_images(nb)
    assert saved > 0
    png = base64.b64decode(nb["cells"][1]["outputs"][0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG") and nb["cells"][1]["outputs"][1]["data"] == {
        "text/plain": "1"
    }


def test_table_script_is_inline_and_needs_nothing_remote():
    js = html.TABLE_JS
    assert f"var MIN_ROWS = {html.SORTABLE_MIN_ROWS};" in js
    assert "kz-sortable" in js and "kz-plain" in js
    assert not re.search(r"https?://|import\(|fetch\(|XMLHttpRequest|innerHTML", js)
    template = (html.TEMPLATES_DIR / "kzreport" / "index.html.j2").read_text()
    assert "<script>{{ resources.kz.js }}</script>" in template
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", template)


def test_header_has_title_block_colour_key_and_link_to_index():
    meta = html.ReportMeta("trade-KAZ", "EAEU trade — Kazakhstan", "nb.ipynb", {}, "now", "abc")
    header = html.header_html(meta)
    assert '<div class="kz-title">EAEU trade — Kazakhstan</div>' in header
    assert "kz-actors" in header and 'href="index.html"' in header


def test_names_and_titles_split_into_chapter_and_country():
    assert split_name("trade-KAZ") == ("trade", "KAZ")
    assert split_name("overview") == ("overview", "—")
    assert split_title("EAEU trade — Kazakhstan", "trade-KAZ") == ("EAEU trade", "Kazakhstan")
    assert split_title("trade-UZB", "trade-UZB") == ("trade", "UZB")
    groups = group_by_chapter(
        [
            ("trade-KAZ", "EAEU trade — Kazakhstan"),
            ("arms-CA5", "Arms imports — Central Asia (five states)"),
            ("trade-UZB", "trade-UZB"),
        ]
    )
    assert [(c, label, [r[2] for r in rows]) for c, label, rows in groups] == [
        ("trade", "EAEU trade", ["Kazakhstan (KAZ)", "UZB"]),
        ("arms", "Arms imports", ["Central Asia (five states) (CA5)"]),
    ]


def test_index_has_one_section_per_chapter_in_registry_order(tmp_path):
    page = render_index(
        tmp_path,
        [
            ("scratch-KAZ", "Scratch — Kazakhstan"),
            ("energy-TKM", "Energy — Turkmenistan"),
            ("trade-KAZ", "EAEU trade — Kazakhstan"),
        ],
        data=tmp_path,  # no claims: the ledger is not evaluated
    )
    # one matrix row per chapter: registered chapters first, in the registry's order and
    # with its titles; others after; one column per country or group
    assert page.index('id="chapter-trade"') < page.index('id="chapter-energy"')
    assert page.index('id="chapter-energy"') < page.index('id="chapter-scratch"')
    assert '<tr id="chapter-energy"><th scope="row">Energy exports</th>' in page
    assert '<tr id="chapter-scratch"><th scope="row">Scratch</th>' in page
    assert '<th scope="col">Turkmenistan</th>' in page
    assert not re.search(r"<script[^>]*src=|https?://", page)  # nothing loaded from anywhere


@pytest.fixture
def runner_env(monkeypatch):
    monkeypatch.delenv(kzcli.DEBUG_ENV, raising=False)
    kzcli._debug["on"] = False
    yield
    kzcli._debug["on"] = False


def test_errors_are_one_line_and_debug_adds_the_traceback(runner_env):
    result = CliRunner().invoke(kzcli.app, ["params", "no_such_notebook"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: notebook 'no_such_notebook' not found")
    result = CliRunner().invoke(kzcli.app, ["--debug", "params", "no_such_notebook"])
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.output
    assert result.output.strip().splitlines()[-1] == lines[0]


def test_unexpected_errors_reach_main_as_one_line(runner_env, monkeypatch, capsys):
    def boom() -> None:
        raise RuntimeError("disk\nfull")

    monkeypatch.setattr(kzcli, "app", boom)
    monkeypatch.setattr("sys.argv", ["kzanalysis", "index"])
    with pytest.raises(SystemExit) as stop:
        kzcli.main()
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err == (
        "error: unexpected RuntimeError: disk full. Run again with --debug for the traceback "
        "and report it if it persists.\n"
    )
    monkeypatch.setattr("sys.argv", ["kzanalysis", "--debug", "index"])
    with pytest.raises(SystemExit):
        kzcli.main()
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and 'raise RuntimeError("disk' in err


def test_every_command_has_help():
    runner = CliRunner()
    main = runner.invoke(kzcli.app, ["--help"])
    assert main.exit_code == 0 and "--debug" in main.output
    for command in ("build", "params", "refresh", "index", "update", "claims", "data"):
        result = runner.invoke(kzcli.app, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage:" in result.output


def test_header_states_parameters_in_words_and_folds_how_to_rebuild():
    from kzanalysis.publish import execute
    from kzanalysis.publish.html import params_text
    from kzanalysis.report import ENV_COMMIT, ENV_VARIANT

    text = params_text({"recipient": "CA5", "start_year": 1992, "end_year": None, "window": 5})
    assert text == "Recipient: Central Asia (5 states) · Years: 1992–latest · Window: 5"
    assert "Partners: Russia, China, EU (27 members)" in params_text(
        {"partners": ["RUS", "CHN", "EU27"]}
    )
    assert "=" not in text and "None" not in text and "'" not in text
    # groups: a group named for its only member is not said twice ("Europe: Europe")
    assert params_text({"supplier_groups": {"Europe": ["Europe"]}}) == "Supplier groups: Europe"
    assert params_text({"supplier_groups": {"Nordics": ["SWE", "NOR"], "West": []}}) == (
        "Supplier groups: Nordics: Sweden, Norway; West: none"
    )
    # a value the parameter model labels is shown in its words, not as an identifier
    assert params_text({"source_preference": "imf_first_mirror"}) == (
        "Source preference: IMF DOTS first, the partners' figures in flagged years"
    )
    assert (execute.ENV_VARIANT, execute.ENV_COMMIT) == (ENV_VARIANT, ENV_COMMIT)
    with execute.report_identity("trade-KAZ", "abc123"):
        assert os.environ[ENV_VARIANT] == "trade-KAZ" and os.environ[ENV_COMMIT] == "abc123"
    assert ENV_VARIANT not in os.environ
