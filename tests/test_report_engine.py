"""The papermill engine of the report batch: the executed notebook is written once, when the run
ends (not at every cell), and still when a cell fails. Real kernel."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill
import pytest

from divaecon.reports import batch

pytestmark = [pytest.mark.kernel]


def _notebook(out: Path, fail: bool) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(f"import os\nprint('written while running:', os.path.exists({str(out)!r}))"),
        nbformat.v4.new_code_cell("raise ValueError('boom')" if fail else "print('second cell')"),
        nbformat.v4.new_code_cell("print('never reached')" if fail else "print('third cell')"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _stdout(cell: dict) -> str:
    texts = [o.get("text", "") for o in cell["outputs"] if o.get("output_type") == "stream"]
    return "".join(t if isinstance(t, str) else "".join(t) for t in texts)


def test_the_notebook_is_written_once_when_the_run_ends(tmp_path: Path) -> None:
    batch._register_engine()
    out = tmp_path / "run.ipynb"
    papermill.execute_notebook(
        _notebook(out, fail=False),
        str(out),
        kernel_name=batch.KERNEL_NAME,
        engine_name=batch.ENGINE_NAME,
        progress_bar=False,
    )
    cells = json.loads(out.read_text())["cells"]
    # papermill's own engine writes the notebook before the first cell runs: it would say True
    assert "written while running: False" in _stdout(cells[0])
    assert [_stdout(c).strip() for c in cells[1:]] == ["second cell", "third cell"]
    assert all(c["metadata"]["papermill"]["status"] == "completed" for c in cells)
    assert all(c["metadata"]["papermill"]["duration"] is not None for c in cells)  # cell timings kept


def test_a_failing_run_still_leaves_its_notebook_with_the_error(tmp_path: Path) -> None:
    batch._register_engine()
    out = tmp_path / "run.ipynb"
    with pytest.raises(papermill.PapermillExecutionError, match="boom"):
        papermill.execute_notebook(
            _notebook(out, fail=True),
            str(out),
            kernel_name=batch.KERNEL_NAME,
            engine_name=batch.ENGINE_NAME,
            progress_bar=False,
        )
    nb = json.loads(out.read_text())
    assert nb["metadata"]["papermill"]["exception"] is True
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and errors[0]["evalue"] == "boom"
    assert "never reached" not in json.dumps([c.get("outputs") for c in nb["cells"]])


def test_a_figure_in_a_kernel_is_drawn_once_for_its_svg(tmp_path: Path) -> None:
    """plotting.use_style(): a figure shown at the end of a cell is drawn as often as saving it
    to SVG by hand draws it; pyplot's own after-cell hook would add an Agg drawing first."""
    counter = (
        "import matplotlib.pyplot as plt\n"
        "draws = []\n"
        "def count(fig):\n"
        "    fig.canvas.mpl_connect('draw_event', lambda event: draws.append(fig.number))\n"
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "%matplotlib inline\nfrom divaecon import plotting\nplotting.use_style()\n" + counter
        ),
        nbformat.v4.new_code_cell(  # by hand: save to SVG, then close (nothing left to show)
            "import io\nfig, ax = plt.subplots(layout='constrained')\ncount(fig)\nax.plot([1, 2, 3])\n"
            "fig.savefig(io.StringIO(), format='svg')\nby_hand = len(draws)\nplt.close(fig)\ndraws.clear()"
        ),
        nbformat.v4.new_code_cell("fig, ax = plt.subplots(layout='constrained')\ncount(fig)\nax.plot([1, 2, 3]);"),
        nbformat.v4.new_code_cell("print('by hand', by_hand, 'shown', len(draws))"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out = tmp_path / "draws.ipynb"
    papermill.execute_notebook(nb, str(out), kernel_name=batch.KERNEL_NAME, progress_bar=False)
    cells = json.loads(out.read_text())["cells"]
    assert any(o.get("data", {}).get("image/svg+xml") for o in cells[2]["outputs"])  # it was shown, as SVG
    words = _stdout(cells[3]).split()
    by_hand, shown = int(words[2]), int(words[4])
    assert by_hand >= 1 and shown == by_hand
