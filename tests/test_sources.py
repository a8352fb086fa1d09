"""Every source the product cites is one its reader can open.

Shipped text (the package's code and docstrings, the notebooks, the data files, README.md,
ASSUMPTIONS.md, reports/README.md) cites specs, docs, RPIPs, articles and data by their public
names; it never points to the team's notes (``MODEL.md``, ``../shared``), to the seed files they
started from, or to a path on the machine it was written on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SHIPPED_DIRS = ("divaecon", "notebooks", "data")
SHIPPED_FILES = ("README.md", "ASSUMPTIONS.md", "reports/README.md")
TEXT_SUFFIXES = {".py", ".ipynb", ".md", ".csv", ".yaml", ".yml", ".txt", ".json", ".css", ".html", ".tpl"}

FORBIDDEN = {
    "MODEL.md": re.compile(r"MODEL\.md", re.IGNORECASE),
    "../shared": re.compile(r"\.\./shared"),
    "a team seed file": re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b"),
    "a path on the author's machine": re.compile(r"/work/(shared|team|main|wt-)"),
}


def shipped_files() -> list[Path]:
    files = [ROOT / f for f in SHIPPED_FILES]
    for d in SHIPPED_DIRS:
        files += [
            p
            for p in (ROOT / d).rglob("*")
            if p.is_file() and p.suffix in TEXT_SUFFIXES and "__pycache__" not in p.parts
        ]
    return sorted(files)


def test_the_scan_sees_the_shipped_files() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in shipped_files()}
    for expected in (
        "divaecon/ethereum.py",
        "divaecon/params/ethereum.py",
        "notebooks/01_staking_apr.ipynb",
        "data/staking_data_points.csv",
        "data/scenarios/base.yaml",
        "README.md",
        "ASSUMPTIONS.md",
        "reports/README.md",
    ):
        assert expected in names, expected


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_source_a_reader_cannot_reach(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"{what} (line {text.count(chr(10), 0, m.start()) + 1})"
        for what, pattern in FORBIDDEN.items()
        for m in pattern.finditer(text)
    ]
    assert not found, f"{path.relative_to(ROOT)} cites {', '.join(found)}: cite the primary source instead"


def test_the_patterns_catch_what_they_should() -> None:
    # A check that cannot fail checks nothing: each pattern matches the citation it forbids.
    samples = {
        "MODEL.md": "see MODEL.md §2",
        "../shared": "`../shared/MODEL.md`",
        "a team seed file": "seed ``000_15a32340e564db9f.txt``",
        "a path on the author's machine": "/work/shared/seeds",
    }
    for what, sample in samples.items():
        assert FORBIDDEN[what].search(sample), what
    assert not any(p.search("consensus-specs specs/altair/beacon-chain.md, RPIP-46") for p in FORBIDDEN.values())
