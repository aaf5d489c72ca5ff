"""The parameter grid (``kzanalysis variants grid``) and a front page of hundreds of reports.

No kernel runs: the grid is validated by the build's own parameter check, and the front
page is rendered from synthetic state records.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kzanalysis import chapters
from kzanalysis.chapters import split_variant_name
from kzanalysis.cli import app
from kzanalysis.publish import grid
from kzanalysis.publish import index as I
from kzanalysis.publish.runner import load_resources
from kzanalysis.publish.store import save_state
from kzanalysis.publish.variants import load_variants, resolve
from kzanalysis.report.text import reader_text_problems


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The default grid written by the CLI."""
    out = tmp_path_factory.mktemp("grid") / "reports-grid.yaml"
    result = CliRunner().invoke(app, ["variants", "grid", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_labels_read_in_words_and_set_the_chapters_own_parameters():
    assert grid.label_words("w3-y2005") == "3-year windows, from 2005"
    assert grid.label_words("c90") == "90 % confidence"
    assert grid.label_words("") == "default parameters"
    assert grid.label_words("zz9") == "zz9"  # not a known tag: shown as it is
    arms = chapters.import_object(chapters.get("arms").params_model)
    money = chapters.import_object(chapters.get("money").params_model)
    assert grid.label_parameters("w3-y2005", arms, "x") == {"window": 3, "start_year": 2005}
    assert grid.label_parameters("w3", money, "x") == {"window_years": 3}
    with pytest.raises(grid.GridError, match="tag c90 sets confidence, which ArmsParams"):
        grid.label_parameters("c90", arms, "arms-c90-KAZ")
    with pytest.raises(grid.GridError, match="tag 'q1' is not one of"):
        grid.parse_label("q1")


def test_default_values_are_not_labels():
    money = chapters.import_object(chapters.get("money").params_model)  # window_years 5, 2000
    labels = grid.chapter_labels(money, {"w": (3, 5), "y": (2000, 2010)})
    assert labels == ["y2010", "w3", "w3-y2010"]


def test_generated_file_has_at_least_240_valid_unique_variants_titled_in_words(generated):
    out, output = generated
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert doc["chapter_variants"] == "all"
    variants = load_variants(out)
    names = [v.name for v in variants]
    assert len(names) >= 240 and len(set(names)) == len(names)
    assert f"{out}: {len(names)} variants" in output and "left out" not in output
    # every variant passes the build's parameter validation, with the catalog's years
    resources, _ = load_resources(Path(chapters.REGISTRY_FILE).parents[2] / "data")
    for v in variants:
        resolve(v, (), resources)
    per_chapter = Counter(split_variant_name(n).chapter for n in names)
    assert set(per_chapter) == {c.name for c in chapters.chapters()}
    labelled = [v for v in variants if split_variant_name(v.name).label]
    assert len(labelled) == len(variants) - len(chapters.default_variants())
    for v in labelled:
        # the title says the parameters in words, not the label's code
        label = split_variant_name(v.name).label
        assert v.title.endswith(f"({grid.label_words(label)})"), v.title
        assert label not in v.title and not re.search(r"\b[wyc]\d", v.title)
    arms = next(v for v in variants if v.name == "arms-w3-y2005-KAZ")
    assert arms.title == "Arms imports — Kazakhstan (3-year windows, from 2005)"
    assert arms.parameters == {"recipient": "KAZ", "window": 3, "start_year": 2005}


def test_grid_options_replace_or_drop_tags_and_refused_sets_are_listed(tmp_path):
    out = tmp_path / "g.yaml"
    result = CliRunner().invoke(
        app, ["variants", "grid", "-o", str(out), "-g", "w=", "-g", "c=", "-g", "y=2015"]
    )
    assert result.exit_code == 0, result.output
    # trade's default break years (2015, 2022) must lie after start_year: refused, and said
    assert "left out (parameters refused): trade-y2015-KAZ" in result.output
    names = [v.name for v in load_variants(out)]
    assert "arms-y2015-CA5" in names and "trade-y2015-KAZ" not in names
    bad = CliRunner().invoke(app, ["variants", "grid", "-o", str(out), "-g", "q=1"])
    assert bad.exit_code == 2 and "must be TAG=N,N" in bad.output


def synthetic_site(tmp_path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """Reports folder with stand-in reports and state records for ~250 variants."""
    reports = tmp_path / "reports"
    reports.mkdir()
    entries, _ = grid.grid_variants(grid.DEFAULT_GRID)
    defaults = chapters.default_variants()
    pairs = [(e["name"], e["title"]) for e in defaults + entries]
    for n, (name, title) in enumerate(pairs):
        failed = n % 50 == 7
        if n % 60 != 11:  # a few never built
            (reports / f"{name}.html").write_text("<html>report</html>", encoding="utf-8")
            save_state(
                reports,
                name,
                {
                    "name": name,
                    "title": title,
                    "status": "failed" if failed else "ok",
                    "error": "cell 3 raised" if failed else None,
                    "built_at": "2026-12-07 06:08:42 UTC",
                    "good_built_at": "2026-12-07 06:08:42 UTC",
                    "commit": "0123456789ab",
                    "parameters": {},
                    "data_editions": [],
                },
            )
    return reports, pairs


def test_front_page_of_hundreds_groups_parameter_sets_by_chapter_and_filters(tmp_path):
    reports, pairs = synthetic_site(tmp_path)
    assert len(pairs) >= 240
    page = I.render_index(reports, pairs, data=tmp_path)  # no claims: no ledger
    sets = page[page.index('id="parameter-sets"') : page.index('id="cite"')]
    matrix = page[page.index('id="reports"') : page.index('id="parameter-sets"')]
    # the chapter × country matrix keeps the plain reports only, as before
    assert "3-year windows" not in matrix and "-w3-" not in matrix
    assert matrix.count('class="kz-open"') <= len(chapters.default_variants())
    # one folded table per chapter that has parameter sets, in registry order
    groups = re.findall(r'<details class="kz-sets" id="sets-([a-z]+)"', sets)
    assert groups == [c.name for c in chapters.chapters() if c.name != "overview"]
    # a row per parameter set (default first, in words), a column per country or group
    arms = sets[sets.index('id="sets-arms"') :]
    arms = arms[: arms.index("</details>")]
    assert "Arms imports: 16 parameter sets, 96 reports" in arms
    rows = re.findall(r'<tr id="set-arms-([a-z0-9-]+)"><th scope="row">([^<]+)</th>', arms)
    assert rows[0] == ("default", "default parameters")
    assert ("w3-y2005", "3-year windows, from 2005") in rows and len(rows) == 16
    assert re.findall(r'<th scope="col" data-group="(\w+)">', arms) == [
        "KAZ", "KGZ", "TJK", "TKM", "UZB", "CA5"
    ]  # fmt: skip
    assert 'href="arms-w3-y2005-CA5.html"' in arms
    # every report is in exactly one cell; failures and unbuilt ones are said in words
    labelled = sum(1 for n, _ in pairs if split_variant_name(n).label)
    plain_in_sets = sum(
        1 for n, _ in pairs if not split_variant_name(n).label and not n.startswith("overview")
    )
    assert len(re.findall(r"\sdata-report>", sets)) == labelled + plain_in_sets
    assert "last build failed" in sets and "not built yet" in sets
    # filters: chapter and country, hidden until the script shows them
    assert '<div class="kz-filters" id="kz-sets-filters" hidden>' in sets
    assert '<option value="money">Money: investment and lending</option>' in sets
    assert '<option value="CA5">Central Asia (five states)</option>' in sets
    assert 'getElementById("kz-sets-chapter")' in page
    # the build status lists every report, folded
    assert page.count('<tr id="status-') == len(pairs)
    assert '<a href="#parameter-sets">Parameter sets</a>' in page
    assert reader_text_problems(sets) == []


def test_front_page_without_parameter_sets_has_no_such_section(tmp_path):
    page = I.render_index(tmp_path, [("trade-KAZ", "EAEU trade — Kazakhstan")], data=tmp_path)
    assert 'id="parameter-sets"' not in page and "#parameter-sets" not in page
