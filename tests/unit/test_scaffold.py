"""``kzanalysis new chapter``: refusals, the rendered templates, writing and rolling back.

The notebook is never executed here (``scaffold.execute`` is replaced); the integration
test ``tests/integration/test_new_chapter.py`` runs the real thing in a copy of the project.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kzanalysis import chapters, pairing, scaffold
from kzanalysis import params as P
from kzanalysis.cli import app
from tests.conftest import PROJECT_ROOT

RUFF = Path(sys.executable).with_name("ruff")
CHAPTER = scaffold.NewChapter("banking_ties", "Banking ties", 6, ("KAZ", "KGZ"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal project: the real registry, the pairing rules, two numbered notebooks."""
    root = tmp_path / "proj"
    (root / "src" / "kzanalysis").mkdir(parents=True)
    shutil.copy(chapters.REGISTRY_FILE, root / scaffold.REGISTRY)
    (root / "notebooks").mkdir()
    shutil.copy(PROJECT_ROOT / "notebooks" / "jupytext.toml", root / "notebooks")
    (root / "notebooks" / "00_data_overview.ipynb").write_text("{}")
    (root / "notebooks" / "05_synthesis.py").write_text("")
    return root


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("Banking", "lower-case letters"),
        ("1banking", "starting with a letter"),
        ("bank-ties", "lower-case letters"),
        ("", "lower-case letters"),
        ("class", "Python keyword"),
        ("b" * 25, "longer than 24"),
    ],
)
def test_bad_names_are_refused(name: str, match: str) -> None:
    with pytest.raises(scaffold.ScaffoldError, match=match):
        scaffold.check_name(name)


def test_good_names_and_titles_pass() -> None:
    assert scaffold.check_name("banking_ties2") == "banking_ties2"
    assert scaffold.check_title("  Banking ties ") == "Banking ties"


@pytest.mark.parametrize("title", [None, "", "   ", "Banking\nties", "Tab\there"])
def test_empty_or_multiline_titles_are_refused(title: str | None) -> None:
    with pytest.raises(scaffold.ScaffoldError, match="--title"):
        scaffold.check_title(title)


def test_countries_are_central_asian_states() -> None:
    assert scaffold.parse_countries(None) == ("KAZ",)
    assert scaffold.parse_countries(" kaz, KGZ ") == ("KAZ", "KGZ")
    for bad, match in [("RUS", "RUS: give Central Asian"), ("", "''"), ("KAZ,kaz", "repeats")]:
        with pytest.raises(scaffold.ScaffoldError, match=match):
            scaffold.parse_countries(bad)


def _next_after_fixture() -> int:
    """One above the fixture's 05_synthesis.py and every notebook the real registry names."""
    return max([5, *(int(c.notebook[:2]) for c in chapters.chapters())]) + 1


def test_plan_numbers_the_notebook_after_the_highest(project: Path) -> None:
    chapter = scaffold.plan(project, "banking", "Banking ties", "KGZ")
    n = _next_after_fixture()
    assert n == 7  # 06_money.ipynb is in the registry
    assert (chapter.number, chapter.notebook, chapter.countries) == (
        n,
        f"{n:02d}_banking.ipynb",
        ("KGZ",),
    )
    assert chapter.class_name == "BankingParams"


def test_plan_refuses_an_existing_chapter(project: Path) -> None:
    with pytest.raises(scaffold.ScaffoldError, match="chapter 'trade' already exists"):
        scaffold.plan(project, "trade", "Trade again")


@pytest.mark.parametrize(
    "existing",
    [
        "src/kzanalysis/analysis/banking.py",
        "src/kzanalysis/analysis/banking_report.py",
        "src/kzanalysis/analysis/banking_params.py",
        "tests/unit/test_analysis_banking.py",
        "notebooks/03_banking.ipynb",  # the same name under another number
    ],
)
def test_plan_refuses_an_existing_file(project: Path, existing: str) -> None:
    path = project / existing
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    with pytest.raises(scaffold.ScaffoldError, match=f"{re.escape(existing)} already exists"):
        scaffold.plan(project, "banking", "Banking ties")


def test_plan_refuses_a_folder_without_a_registry(tmp_path: Path) -> None:
    with pytest.raises(scaffold.ScaffoldError, match="no chapter registry.*--root"):
        scaffold.plan(tmp_path, "banking", "Banking ties")


def test_cli_refusals_are_one_line_with_exit_2_and_write_nothing(project: Path) -> None:
    before = sorted(p for p in project.rglob("*"))
    registry = (project / scaffold.REGISTRY).read_text()
    (project / "src/kzanalysis/analysis").mkdir()
    (project / "src/kzanalysis/analysis/taken.py").write_text("")
    cases = [
        (["Bad-Name", "--title", "x"], "is not allowed"),
        (["arms", "--title", "Arms"], "already exists in"),
        (["taken", "--title", "Taken"], "taken.py already exists"),
        (["banking", "--title", ""], "title is empty"),
        (["banking"], "title is empty"),
        (["banking", "--title", "x", "--countries", "CHN"], "Central Asian states"),
    ]
    for args, match in cases:
        result = CliRunner().invoke(app, ["new", "chapter", *args, "--root", str(project)])
        assert result.exit_code == 2, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and match in lines[0], args
    assert (project / scaffold.REGISTRY).read_text() == registry
    after = sorted(p for p in project.rglob("*") if "analysis" not in p.parts)
    assert after == [p for p in before if "analysis" not in p.parts]


# --- rendering ----------------------------------------------------------------------------


def test_templates_render_a_chapter() -> None:
    texts = scaffold.render_files(CHAPTER)
    script = texts["script"]
    assert "# # Banking ties\n" in script
    assert '# %% tags=["parameters"]\ncountry = "KAZ"\nstart_year = 2000\nend_year = 2024\n' in (
        script
    )
    assert 'validate_in_notebook(\n    "banking_ties",\n    datasets=["trade_partner_flows"]' in (
        script
    )
    assert "from kzanalysis.analysis import banking_ties as A" in script
    assert "from kzanalysis.analysis import banking_ties_report as R" in script
    findings = script.index("R.findings(shares, NAME, figure, table)")
    assert (
        findings
        < script.index("## China's and Russia's shares")
        < script.index("display(figure, table)")
    )  # key findings lead; then the section, its figure and table
    assert script.rstrip().endswith("report.references()")
    assert "say(" not in script and "show(" not in script and "print(" not in script
    assert "kzanalysis build" not in script  # no shell command in reader text
    assert "class BankingTiesParams(NotebookParams):" in texts["params"]
    assert "from kzanalysis.analysis.banking_ties_params import BankingTiesParams" in texts["test"]
    assert "trade.select_flows(flows, country, source_preference)" in texts["analysis"]
    assert 'Col("Trade turnover (US$ mn)"' in texts["report"]
    for text in texts.values():
        assert not re.search(r"\$\{?[A-Za-z_]", text), "a placeholder was left"


def test_notebook_markdown_holds_no_typed_numbers() -> None:
    nb = scaffold.notebook_from_script(
        scaffold.render_files(CHAPTER)["script"], PROJECT_ROOT / "notebooks", CHAPTER.name
    )
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert markdown and not [m for m in markdown if re.search(r"\d", m)]
    assert [c.id for c in nb.cells][:2] == ["banking_ties-00", "banking_ties-01"]
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1


def test_the_script_is_what_pairing_writes(tmp_path: Path) -> None:
    script = scaffold.render_files(CHAPTER)["script"]
    nb = scaffold.notebook_from_script(script, PROJECT_ROOT / "notebooks", CHAPTER.name)
    shutil.copy(PROJECT_ROOT / "notebooks" / "jupytext.toml", tmp_path)
    import nbformat

    path = tmp_path / CHAPTER.notebook
    path.write_text(nbformat.writes(nb) + "\n")
    assert pairing.expected_pair_text(path) == script


def test_parameters_cell_matches_the_rendered_model(tmp_path: Path) -> None:
    texts = scaffold.render_files(CHAPTER)
    module_path = tmp_path / "banking_ties_params.py"
    module_path.write_text(texts["params"])
    spec = importlib.util.spec_from_file_location("banking_ties_params", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.BankingTiesParams
    nb = scaffold.notebook_from_script(texts["script"], PROJECT_ROOT / "notebooks", CHAPTER.name)
    defaults = P.notebook_defaults(nb, "rendered")
    assert defaults == {name: f.default for name, f in model.model_fields.items()}
    assert model(country="kgz").country == "KGZ"
    with pytest.raises(P.ParameterError, match="outside the data coverage 2005–2020"):
        P.validate(model, {"start_year": 2000}, "rendered", coverage=(2005, 2020))


#: The longest name and a long title with characters that need escaping in docstrings.
LONGEST = scaffold.NewChapter(
    "b" * scaffold.NAME_MAX,
    'Banks, "shadow" banks and the \\ of Russian and Chinese lending to Central Asia, 1992-2024',
    99,
)


@pytest.mark.skipif(not RUFF.exists(), reason="ruff not installed in the venv")
@pytest.mark.parametrize("chapter", [CHAPTER, LONGEST], ids=["short", "longest"])
def test_rendered_files_pass_ruff(tmp_path: Path, chapter: scaffold.NewChapter) -> None:
    """In place in a copy of the sources (ruff sorts imports of existing modules as ours)."""
    shutil.copytree(
        PROJECT_ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    paths = []
    for role, text in scaffold.render_files(chapter).items():
        path = tmp_path / chapter.files()[role]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(str(path.relative_to(tmp_path)))
    for args in (["check"], ["format", "--check", "--diff"]):
        result = subprocess.run(
            [str(RUFF), *args, *paths], cwd=tmp_path, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "title", ["Banking ties", "Banks: 'ties' #1", '"Quoted" title', "Ties — Russia & China"]
)
def test_registry_entry_reads_back(title: str) -> None:
    chapter = scaffold.NewChapter("banking", title, 7, ("KAZ", "UZB"))
    text = scaffold.registry_entry(chapter)
    assert text.startswith("  # ")
    (raw,) = yaml.safe_load("chapters:\n" + text)["chapters"]
    assert raw == {
        "name": "banking",
        "title": title,
        "notebook": "07_banking.ipynb",
        "params_model": "kzanalysis.analysis.banking_params:BankingParams",
        "analysis": "kzanalysis.analysis.banking",
        "metrics": None,
        "domain": None,
        "tables": ["trade_partner_flows"],
        "identity": "country",
        "variants": ["KAZ", "UZB"],
    }


def test_next_steps_name_the_three_files_to_edit() -> None:
    text = "\n".join(scaffold.next_steps(CHAPTER))
    for path in ("notebooks/06_banking_ties.py", "src/kzanalysis/analysis/banking_ties.py"):
        assert path in text
    assert "tests/unit/test_analysis_banking_ties.py" in text
    assert "kzanalysis build banking_ties-KAZ" in text and "make pair" in text


# --- writing (execution replaced) -----------------------------------------------------------


def test_create_writes_the_files_and_the_registry_entry(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executed = []
    monkeypatch.setattr(scaffold, "execute", lambda root, nb, timeout: executed.append(nb) or 1.0)
    chapter = scaffold.plan(project, "banking", "Banking ties")
    created = scaffold.create(project, chapter)
    n = f"{_next_after_fixture():02d}"
    assert [p.relative_to(project).as_posix() for p in created] == [
        f"notebooks/{n}_banking.ipynb",
        f"notebooks/{n}_banking.py",
        "src/kzanalysis/analysis/banking.py",
        "src/kzanalysis/analysis/banking_report.py",
        "src/kzanalysis/analysis/banking_params.py",
        "tests/unit/test_analysis_banking.py",
    ]
    assert executed == [project / "notebooks" / f"{n}_banking.ipynb"]
    assert pairing.pair_problems(project / "notebooks" / f"{n}_banking.ipynb") == []
    doc = yaml.safe_load((project / scaffold.REGISTRY).read_text())
    assert doc["chapters"][-1]["name"] == "banking"
    assert [c["name"] for c in doc["chapters"][:-1]] == [c.name for c in chapters.chapters()]
    with pytest.raises(scaffold.ScaffoldError, match="'banking' already exists"):
        scaffold.plan(project, "banking", "Banking ties")


def test_error_line_names_the_exception() -> None:
    output = "Traceback …\n  File x\nDataIntegrityError: catalog not found.\n; file unchanged\n"
    assert scaffold.error_line(output) == "DataIntegrityError: catalog not found."
    assert scaffold.error_line("\x1b[0;31mKeyError\x1b[0m: 'x'\n; end") == "KeyError: 'x'"
    assert scaffold.error_line("killed\n\n") == "killed"
    assert scaffold.error_line("") == "no message"


def test_a_failed_execution_leaves_nothing_behind(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(root: Path, nb: Path, timeout: int) -> float:
        raise scaffold.ScaffoldFailed("executing 06_banking.ipynb failed (KeyError: 'x')")

    monkeypatch.setattr(scaffold, "execute", fail)
    registry = (project / scaffold.REGISTRY).read_text()
    files_before = sorted(p for p in project.rglob("*") if p.is_file())
    chapter = scaffold.plan(project, "banking", "Banking ties")
    with pytest.raises(scaffold.ScaffoldFailed, match=r"KeyError: 'x'\); nothing was created"):
        scaffold.create(project, chapter)
    assert (project / scaffold.REGISTRY).read_text() == registry
    assert sorted(p for p in project.rglob("*") if p.is_file()) == files_before
