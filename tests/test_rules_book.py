"""Chapter 08 (What Ethereum's next rules would do), the shipped futures and the comparison's
table of them: values computed here by hand from the EIPs, never read back from the tables."""

from __future__ import annotations

import math
from pathlib import Path

import nbformat
import pytest

from divaecon import formatting as fmt
from divaecon import reports, resources, rules, tables
from divaecon.params import EthereumParams, Scenario, load_scenario
from divaecon.quote import peer_table, quote
from divaecon.tables import rules as trules

ROOT = Path(__file__).resolve().parent.parent
FUTURES = ROOT / "data" / "scenarios" / "futures"

# What each shipped future changes against the base scenario, written out here: the file's
# ethereum section and nothing else (the rule sets of chapter 08, whose labels they run).
INTENDED: dict[str, dict[str, object]] = {
    "eip8363.yaml": {"issuance_curve": "eip8363"},
    "eip8363-ember.yaml": {"issuance_curve": "eip8363", "execution_burn": "eip8375"},
    "slots-8s.yaml": {"seconds_per_slot": 8.0},
    "glamsterdam-exits.yaml": {"exit_churn_rule": "eip8061"},
    "eip7716.yaml": {"correlated_penalties": "eip7716"},
}
BURN = {"issuance_curve": "eip8363"}

# Ideal consensus yield of today's curve, per ETH a year: the base reward per increment
# 64 · 1e9 / √(D · 1e9) gwei (consensus-specs altair get_base_reward_per_increment, unfloored)
# per 1e9 gwei, times 82,181.25 epochs a year: cF / √D with cF = 64 · 82,181.25 / √1e9 ≈ 166.3.
CF = 64 * 82_181.25 / math.sqrt(1e9)
SLOTS_PER_YEAR = 365.25 * 86_400 / 12  # one block a slot at 12 s


def pp(x: float, unit: bool = True) -> str:
    """A change as the chapter prints it: percentage points, two decimals, 0.00 when it rounds to 0."""
    v = round(100 * x, 2)
    text = "0.00" if v == 0 else f"{v:+.2f}"
    return text + (" pp" if unit else "")


def shipped_base() -> Scenario:
    return load_scenario(ROOT / "data" / "scenarios" / "base.yaml")


# --- the shipped futures ------------------------------------------------------------------------


def test_futures_are_shipped_where_the_default_batch_does_not_run_them() -> None:
    assert sorted(p.name for p in FUTURES.glob("*.yaml")) == sorted(INTENDED)
    assert [p.name for p in resources.future_scenario_files()] == sorted(INTENDED)
    default_batch = [i.source for i in reports.load_scenario_inputs([])]
    assert not any("futures" in s for s in default_batch), default_batch  # no books of them by default
    inputs = reports.load_scenario_inputs([FUTURES / "eip8363.yaml"])  # but a book of any on request
    assert inputs[0].source == "data/scenarios/futures/eip8363.yaml"


@pytest.mark.parametrize("name", sorted(INTENDED))
def test_each_future_differs_from_base_in_its_rules_only(name: str) -> None:
    base, future = shipped_base(), load_scenario(FUTURES / name)
    changes = INTENDED[name]
    label = trules.label_of(changes)
    flat_base, flat_future = tables._flatten(base), tables._flatten(future)
    differ = {k for k in flat_base if flat_base[k] != flat_future[k]}
    assert differ == {f"ethereum.{k}" for k in changes}, differ
    assert future.name != base.name and future.name == name.removesuffix(".yaml")
    for k, v in changes.items():
        assert getattr(future.ethereum, k) == v
        assert getattr(base.ethereum, k) != v
    assert trules.scenario_rule_set(future) == label
    assert trules.scenario_rule_set(base) == trules.TODAY


def test_futures_in_the_comparison() -> None:
    futures = reports.futures_for_notebook()
    table = tables.futures_comparison(futures, shipped_base())
    assert list(table.columns) == ["base", "eip8363", "slots-8s", "eip8363-ember", "glamsterdam-exits", "eip7716"]
    rules_row = table.loc["Ethereum's rules (chapter 08's rule set)"]
    assert rules_row["base"] == trules.TODAY
    for name, changes in INTENDED.items():
        assert rules_row[load_scenario(FUTURES / name).name] == trules.label_of(changes)
    staker = table.loc["divETH staker APR"]
    for s in futures:
        assert staker[s.name] == fmt.pct(quote(s).staker_apr)
    nb = nbformat.read(ROOT / "notebooks" / "90_comparison.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells)
    assert "tables.futures_comparison(reports.futures_for_notebook(futures_files)" in code
    # a list of files given to the notebook replaces the shipped futures
    picked = reports.futures_for_notebook(f"[{str(FUTURES / 'slots-8s.yaml')!r}]")
    assert [s.name for s in picked] == ["slots-8s"]


def test_futures_files_parameter_refuses_what_is_not_a_list() -> None:
    from divaecon.errors import DivaeconError

    with pytest.raises(DivaeconError, match="futures_files: a YAML list"):
        reports.futures_for_notebook("a: 1")


# --- the rule sets applied to a scenario ---------------------------------------------------------


def test_today_puts_a_future_back_to_todays_rules() -> None:
    future = load_scenario(FUTURES / "eip8363-ember.yaml")
    today = trules.rule_set_scenario(future, trules.TODAY)
    defaults = EthereumParams()
    for k in trules.rule_fields():
        assert getattr(today.ethereum, k) == getattr(defaults, k), k
    assert today.ethereum.total_staked_eth == future.ethereum.total_staked_eth
    assert today.diva == future.diva and today.risk == future.risk


def test_rule_set_scenario_changes_only_its_fields() -> None:
    base = Scenario().override(collateral_per_key_share_eth=0.5, total_staked_eth=30e6)
    for label, over in rules.RULE_SETS.items():
        s = trules.rule_set_scenario(base, label)
        assert s.diva == base.diva and s.peers == base.peers and s.costs == base.costs
        assert s.ethereum.total_staked_eth == 30e6
        for k, v in over.items():
            assert getattr(s.ethereum, k) == v


def test_unknown_rule_set_is_refused() -> None:
    from divaecon.errors import DivaeconError

    with pytest.raises(DivaeconError, match=r"rule set 'EIP-9999': unknown; allowed: Today's rules, "):
        trules.rule_set_scenario(Scenario(), "EIP-9999")


def test_a_scenario_with_rules_of_its_own_gets_its_own_column() -> None:
    own = Scenario().override(**{"ethereum.issuance_curve": "tempered", "ethereum.execution_burn": "eip8375"})
    assert trules.scenario_rule_set(own) is None
    assert trules.rule_set_labels(own)[0] == trules.OWN_RULES
    diva = tables.diva_rules_table(own)
    assert diva["rule set"].iloc[0] == trules.OWN_RULES
    assert diva["divETH staker APR"].iloc[0] == fmt.pct(quote(own).staker_apr)


# --- chapter 08's tables, against the package's quote and by hand -------------------------------


def test_diva_table_is_the_quote_under_each_rule_set() -> None:
    base = shipped_base()
    table = tables.diva_rules_table(base)
    assert table["rule set"].tolist()[0] == f"{trules.TODAY} (this scenario)"
    assert table["rule set"].tolist()[1:] == list(rules.RULE_SETS)[1:]
    today = quote(base).staker_apr
    for (label, over), (_, row) in zip(rules.RULE_SETS.items(), table.iterrows(), strict=True):
        q = quote(base.override(**over))
        assert row["divETH staker APR"] == fmt.pct(q.staker_apr)
        assert row["operator APR, assigned"] == fmt.pct(q.operator_apr_assigned)
        assert row["against today"] == pp(q.staker_apr - today), label
        assert row["break-even key shares per node"] == fmt.count(q.break_even_key_shares)


def test_peer_tables_today_and_changes() -> None:
    base = shipped_base()
    staker = tables.peers_rules_table(base, "staker_apr")
    today = peer_table(base)
    assert staker["set-up"].tolist() == today["name"].tolist()
    assert staker.iloc[:, 1].tolist() == [fmt.pct(x) for x in today["staker_apr"]]
    burn = peer_table(base.override(**BURN))
    changes = [pp(b - a, unit=False) for a, b in zip(today["staker_apr"], burn["staker_apr"], strict=True)]
    assert all(c.startswith("-") for c in changes)  # the burn takes from every set-up
    assert staker["EIP-8363 [pp]"].tolist() == changes
    assert list(staker.columns)[:2] == ["set-up", "today (this scenario)"]
    operator = tables.peers_rules_table(base, "operator_apr")
    own_capital = today[today["operator_apr"].notna()]
    assert operator["set-up"].tolist() == own_capital["name"].tolist()  # no row for set-ups without capital


def test_transition_by_hand() -> None:
    """EIPS/eip-8363.md: BRF = 64 + (64 · remaining + duration // 2) // duration, remaining =
    123,300 − epochs since the fork; 225 epochs a day at 12 s slots, 365.25 / 12 days a month."""
    path = trules.transition_path(shipped_base())
    per_month = 225 * 365.25 / 12

    def brf(month: int) -> int:
        remaining = max(0, 123_300 - math.floor(month * per_month))
        return 64 + (64 * remaining + 61_650) // 123_300

    assert brf(0) == 128 and brf(9) == 96 and brf(18) == 64  # by hand: 4,008,210 // 123,300 = 32 at month 9
    for month in (0, 1, 9, 12, 17, 18, 24):
        row = path[path["month"] == month].iloc[0]
        assert row["base_reward_factor"] == brf(month), month
    assert path["base_reward_factor"].is_monotonic_decreasing
    assert path["month"].max() >= 19  # the whole transition (18.0 months) and after
    # after the transition, Diva's staker APR is the quote's steady state under EIP-8363
    steady = quote(shipped_base().override(**BURN)).staker_apr
    assert path["diva_staker_apr"].iloc[-1] == pytest.approx(steady, rel=1e-12)
    # at the fork the base reward factor is doubled: more is paid than at the steady state
    assert path["diva_staker_apr"].iloc[0] > steady


def test_stake_at_alternative_rate_todays_curve_by_hand() -> None:
    """Today's curve: cF/√D + e·B/D = r, with x = 1/√D: e·B·x² + cF·x − r = 0 (e ETH a block,
    B blocks a year), x = (−cF + √(cF² + 4·e·B·r)) / (2·e·B); the spec floors the base reward
    to whole gwei (64e9 // isqrt(D · 1e9), consensus-specs altair), which this bisection on the
    floored yield keeps."""
    base = shipped_base()
    r = base.ethereum.staking_alternative_rate
    e = base.ethereum.el_reward_per_block_eth
    eb = e * SLOTS_PER_YEAR
    x = (-CF + math.sqrt(CF**2 + 4 * eb * r)) / (2 * eb)
    smooth = 1 / x**2

    def floored_yield(d: float) -> float:
        return (64 * 10**9 // math.isqrt(int(d * 1e9))) * 82_181.25 / 1e9 + eb / d

    lo, hi = 0.5 * smooth, 2.0 * smooth
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if floored_yield(mid) > r else (lo, mid)
    assert abs(lo - smooth) / smooth < 0.01  # the floor moves it by well under 1 %
    table = tables.stake_at_alternative_table(base)
    col = next(c for c in table.columns if c.startswith("stake where it pays"))
    assert table[col].iloc[0] == f"{lo / 1e6:,.1f}M ETH"
    assert float(rules.stake_at_yield(r, base.ethereum)) == pytest.approx(lo, rel=1e-4)


def test_yield_curves_by_hand() -> None:
    """The figure's curves at hand-computed points: at D = 60.25M ETH EIP-8363 burns every
    consensus reward (b = min(1, (D / 60.25M)^1.5) = 1, EIPS/eip-8363.md); the tempered curve at
    D = 2²⁵ ETH pays half of today's (ethresear.ch t/18448 §5.5)."""
    base = shipped_base()
    burn = trules.curve_scenario(base, "eip8363").ethereum
    tempered = trules.curve_scenario(base, "tempered").ethereum
    today = trules.curve_scenario(base, "current").ethereum
    assert float(rules.consensus_yield(60_250_000.0, burn)) == pytest.approx(0.0, abs=1e-12)
    k = 2.0**25
    assert float(rules.consensus_yield(k, tempered)) == pytest.approx(0.5 * CF / math.sqrt(k), rel=2e-3)
    assert float(rules.consensus_yield(k, today)) == pytest.approx(CF / math.sqrt(k), rel=2e-3)
    # the staking yield adds what the proposer keeps of e ETH a block
    y = float(trules.staking_yield(39.2e6, today))
    assert y == pytest.approx(CF / math.sqrt(39.2e6) + 0.029 * SLOTS_PER_YEAR / 39.2e6, rel=2e-3)


def test_figures_have_units_and_sources() -> None:
    from divaecon import plotting

    base = shipped_base()
    for fig in (plotting.yield_vs_stake_by_curve(base), plotting.eip8363_transition(base)):
        texts = " ".join(t.get_text() for t in fig.texts)
        assert "Source: divaecon model; EIPS/eip-8363.md" in texts
        for ax in fig.axes:
            assert "[" in ax.get_ylabel() or "right" in ax.get_ylabel(), ax.get_ylabel()
        import matplotlib.pyplot as plt

        plt.close(fig)


# --- the chapter in every book --------------------------------------------------------------------


def test_chapter_08_is_in_every_book() -> None:
    assert reports.REPORT_NOTEBOOKS[-1] == "08_next_rules"
    nb = nbformat.read(ROOT / "notebooks" / "08_next_rules.ipynb", as_version=4)
    assert nb.cells[0].source.startswith("# 08 · What Ethereum's next rules would do")
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "scenario_yaml" in params[0].source and "scenario_path" in params[0].source
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_executive_summary_has_the_rules_line() -> None:
    base = shipped_base()
    summary = tables.executive_summary(base)
    row = summary[summary["figure"] == "divETH staker APR under EIP-8363"]
    assert len(row) == 1
    assert row["value"].iloc[0] == fmt.pct(quote(base.override(**BURN)).staker_apr)


def test_diva_under_eip8363_and_ember_by_hand() -> None:
    """Diva's staker APR in chapter 08's table, computed here from the EIPs and the specs: 11 of
    16 nodes at 95 % (a = P(Bin(16, 0.95) ≥ 11)); ideal consensus y = (64e9 // isqrt(39.2e6 · 1e9))
    · 82,181.25 / 1e9 (consensus-specs altair), a validator at availability a earning
    y (106 a − 42) / 64; EIP-8363 burns b · y whether or not the duties were done, b =
    (39.2M / 60.25M)^1.5 (EIPS/eip-8363.md); execution 0.029 ETH a block × 2,629,800 blocks a
    year × a / 39.2M, of which eMBER leaves 2/3 (EIP-8375); stakers keep 90 % (Diva docs)."""
    a = sum(math.comb(16, k) * 0.95**k * 0.05 ** (16 - k) for k in range(11, 17))
    y = (64 * 10**9 // math.isqrt(39_200_000 * 10**9)) * 82_181.25 / 1e9
    b = (39.2 / 60.25) ** 1.5
    cl = y * (106 * a - 42) / 64
    el = 0.029 * 2_629_800 * a / 39.2e6
    burn = 0.9 * (cl - b * y + el)
    both = 0.9 * (cl - b * y + el * 2 / 3)
    ember = 0.9 * (cl + el * 2 / 3)
    assert f"{100 * burn:.2f} %" == "1.31 %" and f"{100 * ember:.2f} %" == "2.51 %"
    table = tables.diva_rules_table(shipped_base()).set_index("rule set")["divETH staker APR"]
    assert table[trules.label_of(BURN)] == f"{100 * burn:.2f} %"
    assert table[trules.label_of({**BURN, "execution_burn": "eip8375"})] == f"{100 * both:.2f} %"
    assert table[trules.label_of({"execution_burn": "eip8375"})] == f"{100 * ember:.2f} %"


def test_eip7716_note_says_what_the_figures_leave_out() -> None:
    """The chapter says EIP-7716 moves none of its figures (the risk model leaves the factor out):
    its row must then equal today's, and the factor it quotes must grow with the outage's share."""
    base = shipped_base()
    label = trules.label_of({"correlated_penalties": "eip7716"})
    r = trules.rule_set_results(base).set_index("rule_set")
    assert (r.loc[label] == r.loc[trules.TODAY]).all()
    text = tables.eip7716_markdown(base)
    import html
    import re

    factors = [
        float(x)
        for x in re.findall(r"× (\d\.\d{3})", html.unescape(re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)))
    ]
    assert len(factors) == 3 and 1.0 < factors[0] < factors[1] < factors[2] <= 4.0  # EIP-7716 caps the factor at 4
