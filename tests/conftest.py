"""Shared fixtures: a tiny fake data domain so the curation machinery is tested in isolation."""

from __future__ import annotations

import os
import pickle
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kzanalysis import curate, specs
from kzanalysis.curate._io import require
from kzanalysis.schema import Field, Source, TableSpec
from tests.reliability.conftest import (  # noqa: F401  (xdist controller: the counts section)
    pytest_runtest_logreport,
    pytest_terminal_summary,
)


class _SysWritingRewrittenTests(types.ModuleType):
    """``sys`` as pytest's assertion rewriter sees it: writing bytecode is allowed."""

    dont_write_bytecode = False

    def __getattr__(self, name: str) -> Any:
        return getattr(sys, name)


if sys.dont_write_bytecode:
    # With PYTHONDONTWRITEBYTECODE=1 (set on some CI machines) pytest rewrites the asserts
    # of every test module again in every process (each xdist worker), about 4.5 s of CPU
    # each, instead of loading the rewritten code it caches in tests/**/__pycache__ (ignored
    # by git). This lets only the rewriter write its cache, as the Makefile's ``pyc``
    # target compiles the package ahead; nothing else starts writing bytecode.
    import _pytest.assertion.rewrite as _rewrite

    _rewrite.sys = _SysWritingRewrittenTests("sys")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"

FAKE_SOURCE = Source(
    id="fake_stats",
    publisher="Fake Statistics Office",
    title="Fake exports by partner",
    url="https://example.org/fake",
    terms="Free to reuse with credit (synthetic test data)",
    edition="2026-01-01",
    retrieved="written by the test",
    raw_paths=("fake/raw/exports.csv",),
)

FAKE_SPEC = TableSpec(
    name="fake_exports",
    title="Fake exports",
    description="One row per partner and year (synthetic).",
    fields=(
        Field("partner_iso3", "string", "Partner ISO3 code", enum=("CHN", "RUS")),
        Field("year", "integer", "Calendar year", unit="calendar year", minimum=1990),
        Field("value_usd_mn", "number", "Exports", unit="million US dollars", minimum=0),
        Field("note", "string", "Free text", nullable=True),
        Field("source", "string", "Source id", enum=("fake_stats",)),
    ),
    primary_key=("partner_iso3", "year"),
    sources=(FAKE_SOURCE,),
    spatial="Kazakhstan (synthetic)",
    caveats=("Synthetic.",),
)


def pytest_configure(config: pytest.Config) -> None:
    """nbval's kernels use private Unix sockets, as the build's do.

    With loopback TCP ports, a kernel started by one xdist worker can lose a port it was
    given to another worker's process and die before it replies (kernels.py says why).
    """
    if config.pluginmanager.hasplugin("nbval"):
        import nbval.kernel

        from kzanalysis.publish.kernels import IpcBlockingKernelManager

        nbval.kernel.KernelManager = IpcBlockingKernelManager


RAW_CSV = "partner,year,value_kusd\nRUS,2021,1500\nCHN,2020,2000.5\nCHN,2021,2500\n"


def build_fake(raw: Path) -> dict[str, pd.DataFrame]:
    """Curate the fake raw CSV: thousand USD → million USD."""
    src = pd.read_csv(require(raw, "fake/raw/exports.csv"))
    frame = pd.DataFrame(
        {
            "partner_iso3": src["partner"].astype("str"),
            "year": src["year"].astype("int64"),
            "value_usd_mn": (src["value_kusd"] / 1000).round(6).astype("float64"),
            "note": pd.Series([None] * len(src), dtype="str"),
            "source": "fake_stats",
        }
    )
    frame["source"] = frame["source"].astype("str")
    return {"fake_exports": frame}


@pytest.fixture
def fake_domain(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """Replace the real domains with one fake domain holding ``fake_exports``."""
    module = types.ModuleType("kzanalysis.curate.fake")
    module.TABLES = (FAKE_SPEC,)
    module.build = build_fake
    for registry in (curate, specs):  # the parsers (curation runs) and the declarations
        monkeypatch.setattr(registry, "DOMAINS", ("fake",))
        monkeypatch.setattr(
            registry, "domain_module", lambda d: module if d == "fake" else pytest.fail(d)
        )
    from kzanalysis import datasets

    datasets.clear_cache()
    yield module
    datasets.clear_cache()


@pytest.fixture
def fake_raw(tmp_path: Path) -> Path:
    """A raw snapshot folder with the fake upstream file."""
    raw = tmp_path / "raw"
    (raw / "fake" / "raw").mkdir(parents=True)
    (raw / "fake" / "raw" / "exports.csv").write_text(RAW_CSV, encoding="utf-8")
    return raw


@pytest.fixture
def curated(fake_domain, fake_raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A curated data/ folder made from the fake domain; KZANALYSIS_DATA_DIR points at it."""
    from kzanalysis.curate.run import curate as run_curate

    data = tmp_path / "data"
    run_curate(fake_raw, data)
    monkeypatch.setenv("KZANALYSIS_DATA_DIR", str(data))
    return data


@pytest.fixture(scope="session")
def committed_ledger(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The claims of the committed ``data/`` evaluated once per test run, for every worker.

    Builds: ``{"doc": ..., "results": ...}``, where ``doc`` is the ledger-cache document
    of :func:`kzanalysis.claims.cache.evaluate_state` (what ``kzanalysis build`` and
    ``kzanalysis claims`` compute for this data state) and ``results`` the
    :class:`~kzanalysis.claims.ledger.ClaimResult` list that evaluation returned (every
    claim of ``data/claims.yaml``, in file order, as ``ledger.evaluate_all()`` gives).

    The first xdist worker to ask evaluates and pickles both into the run's shared
    temporary folder (under a file lock, keyed by the ledger's state digest); the others
    load that file. The document is then put in this process's ledger memo, so in-process
    builds and ``kzanalysis claims`` in this worker read it instead of evaluating the same
    data state again (they still write and read the cache file of their reports folder).

    Used by test_browser_reports, test_recorded_reads (a byte-identical data copy),
    test_claims_two_verdicts, test_claims_ledger_data and the real-data tests of
    test_claims_metrics_ch1 and test_claims_metrics_ch23.
    """
    from filelock import FileLock

    from kzanalysis.claims import cache
    from kzanalysis.claims import ledger as L

    data = PROJECT_ROOT / "data"
    digest = cache.state_digest(data)
    path = _run_shared_folder(tmp_path_factory) / f"committed-ledger-{digest[:16]}.pickle"
    with FileLock(str(path) + ".lock"):
        if path.is_file():
            found = pickle.loads(path.read_bytes())
        else:
            returned: list[list[Any]] = []
            real = L.evaluate_all

            def keep(*args: Any, **kwargs: Any) -> list[Any]:
                returned.append(real(*args, **kwargs))
                return returned[-1]

            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(L, "evaluate_all", keep)
                doc = cache.evaluate_state(data, digest)
            assert len(returned) == 1, "evaluate_state no longer calls evaluate_all once"
            found = {"doc": doc, "results": returned[0]}
            path.write_bytes(pickle.dumps(found))
    cache._memo.setdefault(digest, found["doc"])  # as if this process had evaluated it
    return found


@pytest.fixture(scope="session", autouse=True)
def shared_ledger_folder(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One claims-ledger folder for the whole run (``$KZANALYSIS_LEDGER_DIR``).

    Builds into a fresh reports folder evaluate the ledger of their data state (about
    4.4 s of CPU) unless its file is in the ledger folder; with one folder per run, shared
    by every xdist worker and every ``kzanalysis`` subprocess and kernel the tests start,
    each data state is evaluated once per run. Ledger files are named by their state's
    digest, so a test with changed data gets its own. Tests of the cache's own folder
    (test_claims_cache) remove the variable.
    """
    from kzanalysis.claims import cache

    folder = _run_shared_folder(tmp_path_factory) / "ledger"
    folder.mkdir(parents=True, exist_ok=True)
    before = os.environ.get(cache.ENV_DIR)
    os.environ[cache.ENV_DIR] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(cache.ENV_DIR, None)
    else:
        os.environ[cache.ENV_DIR] = before


def _run_shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that every xdist worker sees (the run's base folder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def raw_domain_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], dict[str, pd.DataFrame]]:
    """``curate.domain_module(domain).build(SHARED_DATA)``, run once per test run and domain.

    Builds nothing until called. The first worker to ask for a domain runs its parser over
    the raw snapshots (``../shared/data``) and pickles the frames into the run's shared
    temporary folder (under a file lock); every call returns a fresh unpickled copy, so a
    caller may change its frames. The energy parse alone takes ~12 s of CPU.

    Used by test_energy_sanity and test_trade_sanity (their tables) and by
    test_committed_data's re-curation check, which thereby curates from the very frames
    the sanity tests check instead of parsing the snapshots a second time.
    """
    from filelock import FileLock

    shared = _run_shared_folder(tmp_path_factory)
    parsers = {d: curate.domain_module(d).build for d in curate.DOMAINS}  # before any patch

    def build(domain: str) -> dict[str, pd.DataFrame]:
        path = shared / f"raw-build-{domain}.pickle"
        with FileLock(str(path) + ".lock"):
            if not path.is_file():
                frames = parsers[domain](SHARED_DATA)
                path.write_bytes(pickle.dumps(frames))
            return pickle.loads(path.read_bytes())

    return build


# Fixture notebooks are inputs of the build tests, not notebooks to check with nbval.
collect_ignore_glob = ["fixtures/*"]
