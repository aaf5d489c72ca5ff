"""pyproject.toml, environment.yml and requirements.lock must agree on dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import PROJECT_ROOT

NAME = re.compile(r"^([A-Za-z0-9_.\-]+)")


def normalise(requirement: str) -> str:
    """Package name of a requirement string, PEP 503-normalised, extras dropped."""
    match = NAME.match(requirement.strip())
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def pyproject_deps() -> dict[str, str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs.extend(extra)
    return {normalise(r): r for r in reqs}


def conda_deps() -> dict[str, str]:
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    names = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and normalise(dep) not in ("python", "pip"):
            names[normalise(dep)] = dep
    return names


def test_environment_yml_matches_pyproject() -> None:
    py, conda = pyproject_deps(), conda_deps()
    assert sorted(py.keys() - conda.keys()) == [], "in pyproject.toml, not in environment.yml"
    assert sorted(conda.keys() - py.keys()) == [], "in environment.yml, not in pyproject.toml"


def test_lower_bounds_agree() -> None:
    py, conda = pyproject_deps(), conda_deps()
    for name, req in py.items():
        bound = re.search(r">=\s*([0-9][^,;\s]*)", req)
        conda_bound = re.search(r">=\s*([0-9][^,;\s]*)", conda[name])
        assert (bound and bound.group(1)) == (conda_bound and conda_bound.group(1)), name


def test_lock_pins_every_dependency_with_hashes() -> None:
    lock = (PROJECT_ROOT / "requirements.lock").read_text()
    pinned = {normalise(m) for m in re.findall(r"^([A-Za-z0-9_.\-]+)==", lock, flags=re.M)}
    assert sorted(pyproject_deps().keys() - pinned) == []
    assert "--hash=sha256:" in lock
    assert "rfc3987-syntax==" not in lock  # excluded on purpose: 3 s import (see README)
