"""Shared fixtures: a tiny fake data domain so the curation machinery is tested in isolation."""

from __future__ import annotations

import types
from pathlib import Path

import pandas as pd
import pytest

from kzanalysis import curate, specs
from kzanalysis.curate._io import require
from kzanalysis.schema import Field, Source, TableSpec
from tests.reliability.conftest import (  # noqa: F401  (xdist controller: the counts section)
    pytest_runtest_logreport,
    pytest_terminal_summary,
)

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


# Fixture notebooks are inputs of the build tests, not notebooks to check with nbval.
collect_ignore_glob = ["fixtures/*"]
