"""``divaecon app``: the notebook it serves and the refusals before Voilà starts."""

from __future__ import annotations

import socket
from pathlib import Path

import nbformat
import pytest

from divaecon import resources
from divaecon.app import app_notebook, serve_app
from divaecon.cli import main
from divaecon.errors import DivaeconError

# -- notebook ----------------------------------------------------------------------------------


def test_notebook_is_thin_stripped_and_matches_the_app() -> None:
    nb = nbformat.read(resources.notebook_dir() / "00_explore.ipynb", as_version=4)
    app = app_notebook()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source for c in nb.cells] == [c.source for c in app.cells]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "dashboard(" in code[-1].source
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_app_notebook_takes_a_scenario_path_as_text_only(tmp_path: Path) -> None:
    import ast

    odd = tmp_path / "it's \"odd\"; __import__('os').system('x') #.yaml"
    cell = app_notebook(odd).cells[1].source
    tree = ast.parse(cell)
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)  # one assignment, no call
    assert ast.literal_eval(tree.body[0].value) == str(odd.resolve())
    assert "scenario_path = None" in app_notebook().cells[1].source
    # only the parameters cell changes: the notebook is the one users open in JupyterLab
    assert [c.source for i, c in enumerate(app_notebook(odd).cells) if i != 1] == [
        c.source for i, c in enumerate(app_notebook().cells) if i != 1
    ]


def test_cli_app_bad_scenario_is_one_line_error_before_starting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("diva:\n  collateral_per_key_share_eth: -1\n")
    assert main(["app", "--scenario", str(bad), "--port", "1"]) == 2  # port 1 would fail later
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "collateral_per_key_share_eth" in err and "-1" in err


@pytest.mark.parametrize("port", [0, -1, 65_536])
def test_serve_app_rejects_bad_port(port: int) -> None:
    with pytest.raises(DivaeconError, match="--port"):
        serve_app(port=port, token="a-good-token")


@pytest.mark.parametrize("token", ["", "short", "has space in it", "semi;colon;token"])
def test_serve_app_rejects_bad_token(token: str) -> None:
    with pytest.raises(DivaeconError, match="--token"):
        serve_app(port=8866, token=token)


def test_cli_app_busy_port_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert main(["app", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"divaecon: error: --port = {port}: 127.0.0.1:{port} is not available")
