"""hashing.file_version: what every "parsed once per version of the file" cache keys on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kzanalysis.hashing import file_version


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "table.csv"
    path.write_text("year,value_usd_mn\n2020,1.5\n")
    return path


def test_unchanged_file_keeps_its_version(table):
    assert file_version(table) == file_version(str(table))


def test_same_size_rewrite_with_the_modification_time_put_back_is_a_new_version(table):
    before, st = file_version(table), table.stat()
    table.write_text("year,value_usd_mn\n2020,9.5\n")
    os.utime(table, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert table.stat().st_size == st.st_size and table.stat().st_mtime_ns == st.st_mtime_ns
    assert file_version(table) != before


def test_replacing_through_a_rename_is_a_new_version(table):
    before = file_version(table)
    other = table.with_name("new.csv")
    other.write_text(table.read_text())
    os.replace(other, table)
    assert file_version(table) != before


def test_a_link_is_its_target_unless_asked_otherwise(table):
    link = table.with_name("link.csv")
    link.symlink_to(table)
    assert file_version(link) == file_version(table)
    assert file_version(link, follow_links=False) != file_version(table)


def test_a_missing_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        file_version(tmp_path / "absent.csv")
