"""``kzanalysis new chapter NAME --title TITLE``: a working chapter, scaffolded from templates.

A new chapter is five files and one registry entry, rendered from the templates in
``templates/chapter/`` (:class:`string.Template`, ``$name`` placeholders):

* ``notebooks/NN_<name>.py`` and ``.ipynb``: the notebook as a jupytext percent script and
  its paired notebook (``NN`` is the next free number), executed once so its committed
  outputs exist for nbval;
* ``src/kzanalysis/analysis/<name>.py``: the analysis module with one real example
  (China's and Russia's shares of the country's trade turnover, from
  ``trade_partner_flows``, built on :mod:`kzanalysis.analysis.trade`);
* ``src/kzanalysis/analysis/<name>_params.py``: the pydantic parameter model;
* ``tests/unit/test_analysis_<name>.py``: unit tests of both on a hand-made frame;
* an entry appended to ``src/kzanalysis/chapters.yaml`` (:func:`kzanalysis.chapters.append_entry`).

Checking the request (:func:`plan`) and rendering (:func:`render_files`,
:func:`registry_entry`) are pure or read-only; :func:`create` writes, executes the notebook
in a fresh process whose ``PYTHONPATH`` starts with ``<root>/src`` (so the kernel imports
that project's package and registry), pairs the script, and removes everything it wrote if
a step fails.
"""

from __future__ import annotations

import json
import keyword
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from kzanalysis import chapters
from kzanalysis.errors import KzAnalysisError
from kzanalysis.param_base import CA5

#: The templates of a chapter's files.
TEMPLATES = Path(__file__).with_name("templates") / "chapter"
#: The registry file, relative to the project root.
REGISTRY = Path("src") / "kzanalysis" / "chapters.yaml"
#: Curated tables the example reads (the registry entry's ``tables``).
TABLES: tuple[str, ...] = ("trade_partner_flows",)
#: Default variants of a new chapter (``--countries``).
DEFAULT_COUNTRIES: tuple[str, ...] = ("KAZ",)
#: Default period of the example (inside the trade tables' coverage).
START_YEAR, END_YEAR = 2000, 2024
#: Longest chapter name (so every generated line keeps the 100-character line length).
NAME_MAX = 24
#: Width of the wrapped chapter line in the modules' docstrings.
DOC_WIDTH = 92
#: Template of each file, by role.
FILE_TEMPLATES: dict[str, str] = {
    "script": "notebook.py.tmpl",
    "analysis": "analysis.py.tmpl",
    "report": "report.py.tmpl",
    "params": "params.py.tmpl",
    "test": "test_analysis.py.tmpl",
}
_NUMBERED = re.compile(r"^(\d{2})_")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: Run in a fresh interpreter: execute one notebook in place (``kzanalysis refresh``).
_EXECUTE = """\
import sys
from pathlib import Path
from kzanalysis.errors import KzAnalysisError
from kzanalysis.publish.refresh import refresh
try:
    print(f"{refresh(Path(sys.argv[1]), timeout=int(sys.argv[2])):.1f}")
except KzAnalysisError as exc:
    sys.exit(f"error: {exc}")
"""


class ScaffoldError(KzAnalysisError, ValueError):
    """The chapter cannot be created as asked: bad name or title, name or file taken."""


class ScaffoldFailed(KzAnalysisError):
    """Writing or executing the new chapter failed; what it wrote was removed again.

    Attributes:
        details: The full output of the failed step (shown with ``--debug``).
    """

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


@dataclass(frozen=True)
class NewChapter:
    """A chapter to create: its name, title, notebook number and default variants."""

    name: str
    title: str
    number: int
    countries: tuple[str, ...] = DEFAULT_COUNTRIES

    @property
    def stem(self) -> str:
        """``06_banking``: the notebook's file stem."""
        return f"{self.number:02d}_{self.name}"

    @property
    def notebook(self) -> str:
        """``06_banking.ipynb``: the notebook's file name (the registry's ``notebook``)."""
        return f"{self.stem}.ipynb"

    @property
    def class_name(self) -> str:
        """``central_bank`` → ``CentralBankParams``: the parameter model's class."""
        return "".join(part.capitalize() for part in self.name.split("_")) + "Params"

    @property
    def country(self) -> str:
        """The notebook's default country: the first variant."""
        return self.countries[0]

    def files(self) -> dict[str, Path]:
        """The files to create by role, relative to the project root."""
        analysis = Path("src") / "kzanalysis" / "analysis"
        return {
            "script": Path("notebooks") / f"{self.stem}.py",
            "notebook": Path("notebooks") / self.notebook,
            "analysis": analysis / f"{self.name}.py",
            "report": analysis / f"{self.name}_report.py",
            "params": analysis / f"{self.name}_params.py",
            "test": Path("tests") / "unit" / f"test_analysis_{self.name}.py",
        }


# --- checking the request (read-only) -------------------------------------------------


def check_name(name: str) -> str:
    """``name`` if it can name a chapter (a variant prefix and a Python module).

    Raises:
        ScaffoldError: saying what is wrong and what a good name looks like.
    """
    if not chapters.NAME_RE.match(name):
        raise ScaffoldError(
            f"chapter name {name!r} is not allowed: use lower-case letters, digits and _, "
            "starting with a letter (e.g. banking or central_bank)"
        )
    if keyword.iskeyword(name):
        raise ScaffoldError(
            f"chapter name {name!r} is a Python keyword and cannot name a module; "
            "choose another name"
        )
    if len(name) > NAME_MAX:
        raise ScaffoldError(
            f"chapter name {name!r} is longer than {NAME_MAX} characters; choose a shorter one"
        )
    return name


def check_title(title: str | None) -> str:
    """The title without surrounding spaces.

    Raises:
        ScaffoldError: if it is empty or spans several lines.
    """
    text = (title or "").strip()
    if not text:
        raise ScaffoldError(
            "the chapter title is empty; give its heading with --title, e.g. --title 'Banking ties'"
        )
    if _CONTROL.search(text):
        raise ScaffoldError(
            f"the chapter title {text!r} contains line breaks or control characters; "
            "give a one-line --title"
        )
    return text


def parse_countries(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"KAZ,kgz"`` → ``("KAZ", "KGZ")``: the default variants (Central Asian states).

    Raises:
        ScaffoldError: on an empty list, a repeated code or a code outside the five states.
    """
    if text is None:
        return DEFAULT_COUNTRIES
    items = text.split(",") if isinstance(text, str) else list(text)
    codes = [item.strip().upper() for item in items if item.strip()]
    bad = [c for c in codes if c not in CA5]
    if not codes or bad:
        shown = ", ".join(bad) if bad else repr(text)
        raise ScaffoldError(
            f"--countries {shown}: give Central Asian states as ISO3 codes separated "
            f"by commas, from {', '.join(CA5)} (e.g. --countries KAZ,KGZ)"
        )
    if len(set(codes)) != len(codes):
        raise ScaffoldError(f"--countries {text!r} repeats a country; list each once")
    return tuple(codes)


def read_registry(path: Path) -> dict[str, Any]:
    """The registry file as YAML (``chapters``, ``groups``).

    Raises:
        ScaffoldError: if it is missing or not a chapter registry.
    """
    import yaml

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScaffoldError(
            f"no chapter registry at {path}; give --root the project folder "
            "(the one with src/kzanalysis/chapters.yaml)"
        ) from None
    except (OSError, yaml.YAMLError) as exc:
        raise ScaffoldError(f"{path}: cannot read the chapter registry ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("chapters"), list):
        raise ScaffoldError(f"{path}: not a chapter registry (no 'chapters:' list)")
    return doc


def next_number(folder: Path, taken: Iterable[str] = ()) -> int:
    """The next free notebook number: one above every ``NN_`` file in ``folder`` and ``taken``.

    Raises:
        ScaffoldError: if 99 is already used.
    """
    names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    numbers = [int(m.group(1)) for n in [*names, *taken] if (m := _NUMBERED.match(n))]
    number = max(numbers, default=-1) + 1
    if number > 99:
        raise ScaffoldError(f"{folder}: notebook numbers up to 99 are used; renumber first")
    return number


def plan(
    root: Path, name: str, title: str | None, countries: str | Iterable[str] | None = None
) -> NewChapter:
    """Check a request against the project at ``root``; nothing is written.

    Raises:
        ScaffoldError: for a bad name or title, a registered name, or a file that exists.
    """
    name = check_name(name)
    title = check_title(title)
    codes = parse_countries(countries)
    doc = read_registry(root / REGISTRY)
    entries = [c for c in doc["chapters"] if isinstance(c, dict)]
    if name in {c.get("name") for c in entries}:
        raise ScaffoldError(
            f"chapter {name!r} already exists in {root / REGISTRY}; choose another NAME"
        )
    labels = doc.get("groups") or {}
    unlabelled = [c for c in codes if c not in labels]
    if unlabelled:
        raise ScaffoldError(
            f"--countries {', '.join(unlabelled)} have no label in 'groups' of "
            f"{root / REGISTRY}; add them there or choose others"
        )
    folder = root / "notebooks"
    if not (folder / "jupytext.toml").is_file():
        raise ScaffoldError(
            f"{folder / 'jupytext.toml'} is missing (the pairing rules); give --root the "
            "project folder or restore the file from git"
        )
    chapter = NewChapter(
        name, title, next_number(folder, [str(c.get("notebook", "")) for c in entries]), codes
    )
    same_name = sorted(
        p for p in folder.glob(f"[0-9][0-9]_{name}.*") if p.suffix in (".ipynb", ".py")
    )
    existing = [root / p for p in chapter.files().values() if (root / p).exists()] + same_name
    if existing:
        raise ScaffoldError(
            f"{existing[0]} already exists; choose another NAME or move that file away"
        )
    return chapter


# --- rendering (pure) -------------------------------------------------------------------


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain where YAML reads it back unchanged, else quoted."""
    import yaml

    plain = not text.startswith(("'", '"')) and " #" not in text
    try:
        plain = plain and yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def docstring_text(text: str) -> str:
    """``text`` safe inside a triple-quoted docstring (backslashes and quotes escaped)."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def doc_intro(chapter: NewChapter) -> str:
    """The docstrings' line naming the chapter, its title and notebook, wrapped."""
    text = (
        f'Chapter ``{chapter.name}``, "{chapter.title}", notebook '
        f"``notebooks/{chapter.notebook}``; created by ``kzanalysis new chapter``."
    )
    return textwrap.fill(docstring_text(text), DOC_WIDTH, break_on_hyphens=False)


def template_values(chapter: NewChapter) -> dict[str, str]:
    """The placeholders of the templates and their values for ``chapter``."""
    return {
        "name": chapter.name,
        "title": chapter.title,
        "doc_intro": doc_intro(chapter),
        "comment_title": chapter.title,
        "yaml_title": yaml_scalar(chapter.title),
        "notebook": chapter.notebook,
        "class_name": chapter.class_name,
        "country": chapter.country,
        "variants": ", ".join(chapter.countries),
        "tables": ", ".join(TABLES),
        "start_year": str(START_YEAR),
        "end_year": str(END_YEAR),
    }


def render(template: str, chapter: NewChapter) -> str:
    """Render one template file of ``templates/chapter/`` for ``chapter``."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return Template(text).substitute(template_values(chapter))


def render_files(chapter: NewChapter) -> dict[str, str]:
    """The text of every file written from a template, by role (script, analysis, …)."""
    return {role: render(template, chapter) for role, template in FILE_TEMPLATES.items()}


def registry_entry(chapter: NewChapter) -> str:
    """The YAML text appended to ``chapters.yaml`` (one ``- name: …`` item, indented).

    Raises:
        ScaffoldError: if the entry does not read back as the chapter (a bug, not input).
    """
    import yaml

    text = render("registry_entry.yaml.tmpl", chapter)
    (raw,) = yaml.safe_load("chapters:\n" + text)["chapters"]
    parsed = chapters.parse_chapter(raw, "new entry", ())
    if (parsed.name, parsed.title, parsed.variants) != (
        chapter.name,
        chapter.title,
        chapter.countries,
    ):
        raise ScaffoldError(f"the registry entry for {chapter.name!r} does not read back")
    return text


def notebook_from_script(script: str, folder: Path, name: str) -> Any:
    """The notebook (nbformat node, no outputs) of a percent script under ``folder``'s rules.

    Cell ids are ``<name>-00``, ``<name>-01`` …, like the other chapters'.
    """
    import jupytext

    from kzanalysis.pairing import PAIR_FORMAT, load_config

    nb = jupytext.reads(script, fmt=PAIR_FORMAT, config=load_config(folder))
    nb.metadata.get("jupytext", {}).pop("text_representation", None)
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{number:02d}"
    return nb


def next_steps(chapter: NewChapter) -> list[str]:
    """What to do after the scaffold: the files to edit and the commands to run."""
    files = chapter.files()
    return [
        "next, edit these files:",
        f"  {files['script']}  (the notebook; its pair {files['notebook'].name} follows "
        "with 'make pair')",
        f"  {files['analysis']}  (the analysis: pure functions the notebook calls)",
        f"  {files['report']}  (its report elements: findings, figures, tables)",
        f"  {files['test']}  (their unit tests on hand-made frames)",
        f"then: make pair; kzanalysis refresh {chapter.stem}; "
        f"kzanalysis build {chapter.name}-{chapter.country}",
        f"more variants, tables or a claims-metrics module: the {chapter.name!r} entry in "
        f"{REGISTRY}",
    ]


# --- writing ----------------------------------------------------------------------------


_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b.*")


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def error_line(output: str) -> str:
    """The line of a failed run's output that names the exception (else its last line);
    terminal colour codes (IPython tracebacks) are removed."""
    lines = [line.strip() for line in _ANSI.sub("", output).splitlines() if line.strip()]
    found = [line for line in lines if _EXCEPTION_LINE.match(line)]
    return (found or lines or ["no message"])[-1]


def execute(root: Path, notebook: Path, timeout: int = 600) -> float:
    """Execute ``notebook`` in place (``kzanalysis refresh``) in a fresh interpreter.

    ``PYTHONPATH`` starts with ``<root>/src`` and ``KZANALYSIS_CHAPTERS`` names its registry,
    so that process and its kernel import the project at ``root`` with the new chapter.

    Raises:
        ScaffoldFailed: with the last line of the error (the full output in ``details``).
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(root / "src"), env.get("PYTHONPATH", "")) if p
    )
    env["KZANALYSIS_CHAPTERS"] = str(root / REGISTRY)
    result = subprocess.run(
        [sys.executable, "-c", _EXECUTE, str(notebook), str(timeout)],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise ScaffoldFailed(
            f"executing {notebook.name} failed ({error_line(result.stderr)})",
            details=result.stderr,
        )
    return float(result.stdout.strip().splitlines()[-1])


def _write_new(path: Path, text: str, created: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:  # never overwrite
        created.append(path)
        fh.write(text)


def create(
    root: Path,
    chapter: NewChapter,
    *,
    timeout: int = 600,
    log: Callable[[str], None] = lambda line: None,
) -> list[Path]:
    """Write the chapter's files, append its registry entry, execute and pair the notebook.

    Args:
        root: The project folder.
        chapter: From :func:`plan`.
        timeout: Seconds a notebook cell may run.
        log: Called with a progress line before each slow step.

    Returns:
        The files created, in order (the notebook's script after its notebook).

    Raises:
        ScaffoldFailed: if a step fails; every file written is removed and the registry
            restored, so the project is as before.
    """
    from kzanalysis.pairing import expected_pair_text, pair_problems
    from kzanalysis.publish.store import atomic_write_text

    files = {role: root / path for role, path in chapter.files().items()}
    texts = render_files(chapter)
    entry = registry_entry(chapter)
    registry = root / REGISTRY
    before = registry.read_text(encoding="utf-8")
    created: list[Path] = []
    try:
        for role in ("analysis", "report", "params", "test"):
            _write_new(files[role], texts[role], created)
        nb = notebook_from_script(texts["script"], files["notebook"].parent, chapter.name)
        import nbformat

        _write_new(files["notebook"], nbformat.writes(nb) + "\n", created)
        chapters.append_entry(entry, registry)
        log(f"executing {chapter.notebook} once (its committed outputs, for nbval)…")
        execute(root, files["notebook"], timeout)
        _write_new(files["script"], expected_pair_text(files["notebook"]), created)
        problems = pair_problems(files["notebook"])
        if problems:
            raise ScaffoldFailed(f"pairing {chapter.notebook} failed: {problems[0]}")
    except BaseException as exc:
        for path in reversed(created):
            path.unlink(missing_ok=True)
        atomic_write_text(registry, before)
        if isinstance(exc, ScaffoldFailed):
            raise ScaffoldFailed(
                f"{exc}; nothing was created (files removed, {REGISTRY} restored)", exc.details
            ) from None
        if isinstance(exc, Exception):
            raise ScaffoldFailed(
                f"creating chapter {chapter.name!r} failed ({type(exc).__name__}: {exc}); "
                f"nothing was created (files removed, {REGISTRY} restored)"
            ) from exc
        raise
    order = ("notebook", "script", "analysis", "report", "params", "test")
    return [files[role] for role in order]
