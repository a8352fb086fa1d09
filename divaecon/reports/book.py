"""A scenario's book: one notebook assembled from the front notebook and the topic notebooks.

The book is run by papermill in one kernel (one start, one round of imports, for every topic),
exported once and printed as one PDF with a cover, an executive summary, contents and a chapter
per topic. Assembly, cell by cell:

- the front notebook (:data:`~divaecon.reports.inputs.FRONT_NOTEBOOK`: cover and executive
  summary) comes first; its ``parameters`` cell is the book's, so papermill injects the
  scenario once;
- each topic notebook follows as a chapter (its first cell tagged ``chapter``); its own
  ``parameters`` cell becomes a plain cell (tag ``topic-parameters``) that keeps the topic's
  other parameters (``grid_points``, ``mc_seeds`` ...) with the ``--quick`` values where asked
  and leaves out the ones the book already set;
- every cell records the notebook it came from (``metadata.divaecon.topic``), so ``--split``
  can cut the executed book back into one document per topic without running anything again.

The topic notebooks stay what a user opens and edits in JupyterLab; the assembled book is an
output (kept, executed, beside the PDF).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from divaecon.errors import DivaeconError
from divaecon.reports.inputs import QUICK_PARAMETERS, SCENARIO_PARAMETER, declared_parameters

META_KEY = "divaecon"
"""Cell metadata key holding ``{"topic": <notebook stem>}``."""


def _tags(cell: Any) -> list[str]:
    tags: list[str] = cell.metadata.setdefault("tags", [])
    return tags


def topic_parameters_source(source: str, shared: set[str], quick: bool, notebook: str) -> str:
    """A topic's ``parameters`` cell for the book: its statements without the names the book
    sets (``shared``), then the ``--quick`` values of the parameters it declares."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise DivaeconError(f"{notebook}: the parameters cell is not valid Python ({exc.msg})") from None
    lines = source.splitlines()
    keep: list[str] = [f"# Parameters of {notebook} (the scenario comes from the book's parameters cell)"]
    names: list[str] = []
    for stmt in tree.body:
        target = (
            stmt.target
            if isinstance(stmt, ast.AnnAssign)
            else (stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None)
        )
        if not isinstance(target, ast.Name):
            raise DivaeconError(f"{notebook}: the parameters cell may only assign plain names")
        if target.id in shared:
            continue
        names.append(target.id)
        keep.extend(lines[stmt.lineno - 1 : (stmt.end_lineno or stmt.lineno)])
    if quick:
        for name in names:
            if name in QUICK_PARAMETERS:
                keep.append(f"{name} = {QUICK_PARAMETERS[name]!r}  # --quick")
    return "\n".join(keep)


def assemble_book(
    front: Path, topics: Sequence[Path], quick: bool = False, declared: Mapping[Path, Mapping[str, Any]] | None = None
) -> Any:
    """The book notebook (an ``nbformat`` NotebookNode) for ``front`` then ``topics``."""
    import nbformat

    declared = declared or {}
    front_nb = nbformat.read(str(front), as_version=4)
    shared = set(declared.get(front) or declared_parameters(front))
    if SCENARIO_PARAMETER not in shared:
        raise DivaeconError(f"{front.name}: its parameters cell must declare {SCENARIO_PARAMETER}")
    book = nbformat.v4.new_notebook(metadata=front_nb.metadata)
    for cell in front_nb.cells:
        cell.metadata[META_KEY] = {"topic": front.stem}
        book.cells.append(cell)
    for topic in topics:
        nb = nbformat.read(str(topic), as_version=4)
        for i, cell in enumerate(nb.cells):
            tags = _tags(cell)
            if "parameters" in tags:
                tags.remove("parameters")
                tags.append("topic-parameters")
                cell.source = topic_parameters_source(cell.source, shared, quick, topic.name)
            if i == 0:
                tags.append("chapter")
            cell.metadata[META_KEY] = {"topic": topic.stem}
            book.cells.append(cell)
    for i, cell in enumerate(book.cells):  # ids unique across the assembled notebooks
        cell["id"] = f"book-{i:03d}"
    return book


def split_book(book: Any) -> dict[str, Any]:
    """The executed book cut back into one notebook per topic (front matter left out)."""
    import copy

    import nbformat

    parts: dict[str, Any] = {}
    order: list[str] = []
    for cell in book.cells:
        topic = cell.metadata.get(META_KEY, {}).get("topic")
        if topic is None:
            continue
        if topic not in parts:
            parts[topic] = nbformat.v4.new_notebook(metadata=copy.deepcopy(book.metadata))
            order.append(topic)
        c = copy.deepcopy(cell)
        tags = c.metadata.get("tags", [])
        if "chapter" in tags:
            tags.remove("chapter")
        parts[topic].cells.append(c)
    return {t: parts[t] for t in order[1:]} if order else {}
