"""reports.yaml is read with libyaml when it is plain, and by the strict loader otherwise.

The strict loader (pure Python) refuses anchors, aliases and duplicate keys and says on
which line; libyaml reads a plain file about five times faster (a generated grid file of
hundreds of variants is read once or twice per build). Both must give the same document,
and anything the strict loader refuses must reach it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kzanalysis.publish import variants as V

PLAIN = (
    "chapter_variants: all\n"
    "defaults: {cell_timeout: 600}\n"
    "variants:\n"
    "  - name: arms-w3-KGZ\n"
    "    notebook: 03_arms_shares.ipynb\n"
    "    title: 'Arms imports: Kyrgyzstan (3-year windows)'\n"
    "    parameters: {recipient: KGZ, window: 3, start_year: 1992, supplier_groups: {}}\n"
    "  - {name: money-y2005-UZB, notebook: 06_money.ipynb, parameters: {start_year: 2005}}\n"
)


def test_a_plain_file_reads_the_same_through_libyaml() -> None:
    assert yaml.__with_libyaml__  # the lock file's PyYAML wheel bundles it
    fast, doc = V._fast_load(PLAIN)
    assert fast
    assert doc == yaml.load(PLAIN, Loader=V.strict_loader())
    assert doc["variants"][0]["parameters"]["window"] == 3


@pytest.mark.parametrize(
    "text",
    [
        "defaults: &d {cell_timeout: 30}\nvariants: []\n",  # anchor
        "a: 1\nb: *x\n",  # alias
        "variants: []\nvariants: []\n",  # duplicate key
        "variants:\n  - !!python/object:os.system {}\n",  # unsafe tag
        "variants:\n  - {name: ok-KAZ, notebook: [\n",  # syntax error
    ],
    ids=["anchor", "alias", "duplicate-key", "tag", "syntax"],
)
def test_what_the_strict_loader_refuses_is_left_to_it(text: str, tmp_path: Path) -> None:
    assert V._fast_load(text) == (False, None)
    path = tmp_path / "reports.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(V.VariantConfigError, match=r"reports\.yaml: .*line \d"):
        V.read_yaml(path)
