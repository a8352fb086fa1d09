"""Global sensitivity (divaecon.sensitivity) and ``divaecon sensitivity``.

Reference values are analytic, not taken from the code: the Ishigami function's Sobol indices
(Ishigami and Homma 1990; the variances as in Sobol' and Levitan 1999, and Saltelli et al. 2010,
Comput. Phys. Commun. 181, §5: S1 = 0.3139, 0.4424, 0 and ST = 0.5576, 0.4424, 0.2437 at a = 7,
b = 0.1) and a linear model's (S1 = ST = a_i² Var(X_i) / Σ a_j² Var(X_j)).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

from divaecon import sensitivity as sens
from divaecon.cli import cli
from divaecon.errors import ParameterError
from divaecon.params import Scenario
from divaecon.uncertainty import UncertainInput


def _uniform(name: str, lo: float, hi: float) -> UncertainInput:
    dist = stats.uniform(lo, hi - lo)
    return UncertainInput(name, "uniform", "assumption", "test", (lo + hi) / 2, {"low": lo, "high": hi}, dist, lo, hi)


def test_sobol_reproduces_ishigami_within_intervals() -> None:
    a, b = 7.0, 0.1
    pi = np.pi
    # analytic variances (Sobol' and Levitan 1999): V1, V2, V13 and the total V
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    s1 = [v1 / v, v2 / v, 0.0]
    st = [(v1 + v13) / v, v2 / v, v13 / v]
    assert s1[0] == pytest.approx(0.3139, abs=1e-4) and st[2] == pytest.approx(0.2437, abs=1e-4)  # the published values
    inputs = [_uniform(f"x{i}", -pi, pi) for i in (1, 2, 3)]

    def ishigami(x: np.ndarray) -> np.ndarray:
        return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])

    got = sens.sobol_indices(ishigami, inputs, samples=4096, seed=7)
    for i in range(3):
        assert abs(got["S1"][i] - s1[i]) <= got["S1_conf"][i]
        assert abs(got["ST"][i] - st[i]) <= got["ST_conf"][i]


def test_linear_model_and_an_input_it_ignores() -> None:
    # y = 1·x1 + 2·x2 + 0·x3 with x_i ~ U(0, 1): Var shares 1/5 and 4/5, x3 none
    inputs = [_uniform(f"x{i}", 0.0, 1.0) for i in (1, 2, 3)]
    got = sens.sobol_indices(lambda x: x[:, 0] + 2 * x[:, 1], inputs, samples=2048, seed=3)
    for i, share in enumerate((0.2, 0.8, 0.0)):
        assert abs(got["S1"][i] - share) <= max(got["S1_conf"][i], 0.02)
        assert abs(got["ST"][i] - share) <= max(got["ST_conf"][i], 0.02)
    assert abs(got["ST"][2]) < 0.01


@pytest.fixture(scope="module")
def base_result() -> sens.SensitivityResult:
    return sens.sensitivity(Scenario(), samples=32, band_samples=128, num_resamples=50)


def test_required_collateral_ignores_reward_side_inputs(base_result: sens.SensitivityResult) -> None:
    # the risk model reads no cost, no execution reward per block, no stake growth: their total
    # index on the required collateral is 0 (no variation at all, not merely small)
    df = base_result.indices
    rows = df[
        (df["output"] == "required_collateral_loss_probability") & df["input"].str.startswith(("costs.", "simulation."))
    ]
    assert len(rows) >= 3
    assert np.all(np.abs(rows["ST"]) < 1e-12)
    # and the break-even count reads none of the risk rates
    rows = df[(df["output"] == "break_even_key_shares") & df["input"].str.startswith("risk.")]
    assert np.all(np.abs(rows["ST"]) < 1e-12)


def test_bands_bracket_the_base_and_same_seed_same_numbers(base_result: sens.SensitivityResult) -> None:
    req = base_result.band("required_collateral_loss_probability")
    assert req["p5"] < req["p50"] < req["p95"]
    assert req["p5"] <= req["base"] <= req["p95"]
    again = sens.sensitivity(Scenario(), samples=32, band_samples=128, num_resamples=50)
    assert again.indices.equals(base_result.indices)
    assert again.bands.equals(base_result.bands)
    other = sens.sensitivity(Scenario(), samples=32, band_samples=128, num_resamples=50, seed=1)
    assert not other.bands.equals(base_result.bands)


def test_morris_screening_runs_and_ranks_the_leak_high() -> None:
    res = sens.sensitivity(
        Scenario(), outputs=["required_collateral_loss_probability"], method="morris", samples=16, band_samples=64
    )
    df = res.indices.sort_values("mu_star", ascending=False)
    assert set(df.columns) >= {"mu_star", "mu_star_conf", "sigma"}
    # the base book's required collateral is set by inactivity leaks (risk chapter's by-class table)
    assert df["input"].iloc[:5].str.contains("leak").any()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"outputs": ["nope"]}, "nope"),
        ({"samples": 4}, "at least"),
        ({"samples": 100}, "power of 2"),
        ({"samples": 1 << 20}, "fit this machine"),
        ({"method": "fast"}, "method"),
        ({"seed": -1}, "seed"),
        ({"inputs": ["risk.leak_rate_per_year"]}, "two"),
    ],
)
def test_bad_requests(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        sens.sensitivity(Scenario(), **{"samples": 16, **kwargs})  # type: ignore[arg-type]


def test_cli_json_has_indices_and_bands() -> None:
    out = CliRunner().invoke(cli, ["sensitivity", "--samples", "16", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    req = data["outputs"]["required_collateral_loss_probability"]
    assert {"p5", "p50", "p95", "base"} <= set(req["band"])
    assert len(req["indices"]) == len(data["inputs"]) >= 16
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(req["indices"][0])


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--output", "nope"], "output = 'nope'"),
        (["--samples", "3"], "samples = 3"),
        (["--method", "fast"], "--method"),
        (["--scheduler", "local"], "--scheduler local: only the simulated outputs"),
    ],
)
def test_cli_bad_input_one_line(args: list[str], match: str) -> None:
    import contextlib
    import io

    from divaecon.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["sensitivity", *args])
    assert code == 2
    assert match in err.getvalue() and err.getvalue().count("\n") == 1


def test_simulated_outputs_on_a_small_sample() -> None:
    # the simulation's APY and cash drag at every point (one simulated network each), seeded
    res = sens.sensitivity(
        Scenario(),
        outputs=["simulated_staker_apy", "simulated_cash_drag"],
        method="morris",
        samples=8,
        band_samples=16,
        num_resamples=20,
    )
    band = res.band("simulated_staker_apy")
    assert 0.0 < band["p5"] <= band["p50"] <= band["p95"] < 0.1
    # the risk rates do not enter the simulation: their elementary effects are 0
    df = res.indices[(res.indices["output"] == "simulated_cash_drag") & res.indices["input"].str.startswith("risk.")]
    assert np.all(df["mu_star"] == 0.0)


@pytest.mark.dask
@pytest.mark.xdist_group("dask")
def test_simulated_outputs_on_dask_equal_the_in_process_run() -> None:
    from dask.distributed import Client, LocalCluster

    kwargs: dict[str, object] = {
        "outputs": ["simulated_staker_apy", "simulated_cash_drag"],
        "method": "morris",
        "samples": 8,
        "band_samples": 16,
        "num_resamples": 20,
    }
    here = sens.sensitivity(Scenario(), **kwargs)  # type: ignore[arg-type]
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        there = sens.sensitivity(Scenario(), client=client, **kwargs)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(here.indices, there.indices, check_exact=True)
    pd.testing.assert_frame_equal(here.bands, there.bands, check_exact=True)


def test_a_step_hook_runs_here_only() -> None:
    from divaecon.errors import DivaeconError
    from divaecon.simulate import simulate

    with pytest.raises(DivaeconError, match="on_step"):
        simulate(Scenario(), days=2, on_step=lambda day, state: None, client="local")


def test_book_band_is_the_summary_band() -> None:
    scenario = Scenario()
    book = sens.book_sensitivity(scenario).band("required_collateral_loss_probability")
    summary = sens.required_collateral_band(scenario)
    for k in ("p5", "p50", "p95"):
        assert book[k] == pytest.approx(summary[k], rel=1e-6)


def test_band_at_the_ceiling_is_said_to_be_the_ceiling() -> None:
    from divaecon import tables
    from divaecon.tables.sensitivity import collateral_ceiling_note

    scenario = Scenario()
    # a loss is at most the 32 ETH stake and reaches 11 key shares' collateral: 32 / 11 divETH
    assert tables.collateral_ceiling(scenario) == pytest.approx(32 / 11, rel=1e-15)
    top = {"base": 2.19, "p5": 1.0, "p50": 2.19, "p95": 32 / 11}
    below = top | {"p95": 2.5}
    assert "ceiling" in tables.band_text(top, "divETH", 32 / 11)
    assert "ceiling" not in tables.band_text(below, "divETH", 32 / 11)
    assert collateral_ceiling_note(below, 32 / 11) == ""
    # the base scenario's band reaches it (the leak's draws that need the whole stake covered)
    band = sens.required_collateral_band(scenario)
    assert band["p95"] == pytest.approx(32 / 11, rel=1e-3)
    summary = tables.executive_summary(scenario)
    assert summary["what it means"].str.contains("the top is the ceiling").any()


NOTEBOOK = __import__("pathlib").Path(__file__).resolve().parent.parent / "notebooks" / "09_sensitivity.ipynb"


def test_exploration_notebook_committed_without_outputs() -> None:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.kernel
def test_exploration_notebook_runs(tmp_path: object) -> None:
    import papermill

    from divaecon import reports

    out = __import__("pathlib").Path(str(tmp_path)) / "09.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"samples": 16},
        kernel_name=reports.KERNEL_NAME,
        progress_bar=False,
        cwd=str(NOTEBOOK.parent),
    )
    text = out.read_text()
    assert "P5" in text and "total (ST)" in text


def test_grouped_sobol_on_a_linear_model() -> None:
    # y = x1 + 2 x2 (x3 ignored), groups {x1, x2} and {x3}: the first group holds all the variance
    inputs = [_uniform(f"x{i}", 0.0, 1.0) for i in (1, 2, 3)]

    def group(name: str) -> str:
        return "a" if name in ("x1", "x2") else "b"

    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {**sens._problem(inputs), "groups": [group(i.name) for i in inputs]}
    unit = sobol_sample.sample(problem, 1024, calc_second_order=False, seed=1)
    res = sobol_analyze.analyze(problem, unit[:, 0] + 2 * unit[:, 1], calc_second_order=False, seed=1)
    assert res["ST"][0] == pytest.approx(1.0, abs=max(res["ST_conf"][0], 0.02))
    assert abs(res["ST"][1]) < 0.01
    # and the books' grouping names every risk input
    assert all(sens.risk_group(n) != "other" for n in sens.risk_inputs(Scenario()))
    book = sens.book_sensitivity(Scenario(), samples=16)
    assert set(book.inputs) <= {g for g, _ in sens.RISK_GROUPS}
