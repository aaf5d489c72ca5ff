"""load_claims reads data/claims.yaml once per version of the file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kzanalysis.claims import model
from kzanalysis.paths import PROJECT_ROOT


@pytest.fixture
def claims_file(tmp_path: Path) -> Path:
    path = tmp_path / "claims.yaml"
    shutil.copyfile(PROJECT_ROOT / "data" / "claims.yaml", path)
    return path


def test_the_same_file_is_parsed_once_and_each_caller_gets_its_own_list(claims_file, monkeypatch):
    parsed = []
    real = model._read_claims
    monkeypatch.setattr(model, "_read_claims", lambda p: parsed.append(p) or real(p))
    first, second = model.load_claims(claims_file), model.load_claims(claims_file)
    assert len(parsed) == 1 and first == second and first is not second
    first.clear()  # a caller's list is its own
    assert model.load_claims(claims_file) == second


def test_an_edit_that_keeps_size_and_modification_time_is_read_again(claims_file):
    claims = model.load_claims(claims_file)
    text = claims_file.read_text(encoding="utf-8")
    st = claims_file.stat()
    target = claims[0].id  # C01 → C98, an id the ledger does not use: same size
    swapped = text.replace(f"id: {target}", "id: C98", 1)
    assert len(swapped) == len(text) and swapped != text
    claims_file.write_text(swapped, encoding="utf-8")
    os.utime(claims_file, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert [c.id for c in model.load_claims(claims_file)] != [c.id for c in claims]


def test_a_broken_file_is_an_error_every_time_never_a_cached_answer(claims_file):
    model.load_claims(claims_file)
    claims_file.write_text("claims: {", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(model.ClaimsError, match="not valid YAML"):
            model.load_claims(claims_file)
    claims_file.unlink()
    with pytest.raises(model.ClaimsError, match="not found"):
        model.load_claims(claims_file)
