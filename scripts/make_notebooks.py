"""Write the report notebooks 01–05 (thin, without outputs) from the cell lists below.

Run from the project root: ``.venv/bin/python scripts/make_notebooks.py``. Edit the cells here,
or edit a notebook in JupyterLab and strip its outputs before committing; tests check both
that the notebooks carry no outputs and that their ``parameters`` cell is plain values.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

PARAMS_COMMON = '''\
# Parameters: plain values only. `divaecon report` passes the validated scenario as YAML text.
scenario_yaml: str = ""  # a scenario as YAML; empty: read scenario_path
scenario_path: str = "../data/scenarios/base.yaml"  # scenario file, relative to notebooks/
'''

SETUP = '''\
from IPython.display import Markdown, display

from divaecon import data, plotting, reports

scenario = reports.scenario_for_notebook(scenario_yaml, scenario_path)
plotting.use_style()
display(Markdown(reports.scenario_header(scenario)))'''


def notebook(title: str, intro: str, params: str, cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    p = new_code_cell(PARAMS_COMMON + params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [new_markdown_cell(f"# {title}\n\n{intro}"), p, new_code_cell(SETUP)]
    for kind, text in cells:
        nb.cells.append(new_markdown_cell(text) if kind == "md" else new_code_cell(text))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:02d}"
    return nb


NB01 = notebook(
    "01 · Staking APR",
    "What an Ethereum validator earns against the total ETH staked: consensus rewards (Altair "
    "rules) and execution-layer rewards (priority fees and MEV), the split between duties, and "
    "what uptime costs. With everyone performing, a validator earns one base reward per epoch, so\n\n"
    "$$\\mathrm{APR}_{\\mathrm{CL}} = \\frac{64 \\cdot 10^9}{\\sqrt{S \\cdot 10^9}} \\cdot "
    "\\frac{82{,}181.25}{10^9} \\approx \\frac{166.3}{\\sqrt{S}}$$\n\n"
    "where $S$ is the total ETH staked (consensus-specs `specs/altair/beacon-chain.md`; MODEL.md §2).",
    "grid_points: int = 200  # points on each curve\n",
    [
        ("md", "## Key figures"),
        ("code", 'reports.show(reports.key_figures_table(scenario, ["total_staked_eth", "ideal_consensus_apr", '
                 '"consensus_apr", "execution_apr", "gross_apr", "staker_apr", "validator_availability"]))'),
        ("md", "## APR against total ETH staked\n\nThe curves are the APR of a perfectly performing "
               "validator; red points mark the stakes of dated public data points (`data/`, MODEL.md §5). "
               "The execution APR assumes the scenario's ETH per block at every stake."),
        ("code", "plotting.apr_vs_total_staked(scenario, data.staking_data_points(), points=grid_points);"),
        ("code", "reports.show(reports.staking_data_table(scenario))"),
        ("md", "## Where the APR comes from\n\nAttestations earn 54/64 of the base reward, sync-committee "
               "duty 2/64 and proposals 8/64 (altair weights); execution rewards come on top, per block proposed."),
        ("code", "plotting.reward_split(scenario, points=grid_points);"),
        ("code", "reports.show(reports.reward_split_table(scenario))"),
        ("md", "## Uptime's effect\n\nA node offline misses its rewards *and* pays the source and target "
               "penalties; a Diva validator signs while enough of its key shares' nodes are up, so its "
               "APR falls far more slowly."),
        ("code", "plotting.uptime_effect(scenario, points=grid_points);"),
        ("code", "reports.show(reports.uptime_table(scenario))"),
    ],
)

NB02 = notebook(
    "02 · Collateral and operator yield",
    "Diva's operators lock divETH collateral per key share. Queued collateral earns what divETH "
    "earns; once assigned it also earns the operators' 10 % of the validator's rewards, split over "
    "16 key shares. For a gross rate $r$ and $c$ divETH per key share (Diva docs "
    "`21-economics.md`, `40-staking-rewards.md`; MODEL.md §1):\n\n"
    "$$\\mathrm{APR}_{\\text{queued}} = 0.9\\,r, \\qquad \\mathrm{APR}_{\\text{assigned}} = 0.9\\,r + "
    "\\frac{0.2\\,r}{c}.$$",
    "grid_points: int = 60  # points per curve and cells per heatmap axis (at most 40)\n",
    [
        ("md", "## Key figures"),
        ("code", 'reports.show(reports.key_figures_table(scenario, ["gross_apr", "staker_apr", '
                 '"operator_apr_queued", "operator_apr_assigned", "operator_reward_per_key_share_eth_per_year", '
                 '"collateral_locked_eth", "collateral_ratio", "operator_cost_usd_per_year", '
                 '"break_even_key_shares"]))'),
        ("md", "## Operator APR against collateral per key share\n\nLess collateral per key share "
               "raises the assigned APR as $1/c$; the reward per key share is pooled over the network, "
               "so it does not depend on the network's size."),
        ("code", "plotting.operator_yield_lines(scenario, points=grid_points);"),
        ("code", "reports.show(reports.collateral_table(scenario))"),
        ("md", "## Collateral × network size\n\nLeft: divETH locked by a network of a given size. Right: "
               "the APR operators earn on *all* the collateral they posted, when the network assigns "
               "part of it and the rest waits in the queue; the dashed line is where the posted "
               "collateral is used up."),
        ("code", "plotting.operator_yield_heatmap(scenario, collateral_points=min(grid_points, 40), "
                 "network_points=min(grid_points, 40));"),
        ("md", "## Break-even key shares\n\nKey shares one node must run for its operator rewards (net of "
               "expected penalties) to pay for hardware and running costs. The yield on the collateral "
               "itself is not counted: an operator earns it holding divETH anyway."),
        ("code", "plotting.break_even(scenario, points=grid_points);"),
        ("code", "reports.show(reports.break_even_table(scenario))"),
    ],
)

NB03 = notebook(
    "03 · DVT fault tolerance",
    "A distributed validator of $n$ operators with threshold $t$ signs while at least $t$ are "
    "up. With independent node uptime $a$ its availability is $P(\\mathrm{Binomial}(n, a) \\ge t)$; "
    "correlated failures (a shared cloud, region or client bug) are modelled with a beta-binomial "
    "of intra-class correlation $\\rho$ (MODEL.md §3).",
    "grid_points: int = 101  # points per curve\n",
    [
        ("md", "## Availability at the scenario's node uptime"),
        ("code", "reports.show(reports.availability_table(scenario))"),
        ("md", "## Availability against node uptime\n\nDowntime of the validator (1 − availability) on a "
               "log scale: Diva 11/16 tolerates 5 faults, SSV clusters 1 to 4, Obol's 3/4 one, a solo "
               "node none. Correlation erodes the advantage of large clusters."),
        ("code", "plotting.availability_vs_uptime(scenario, points=grid_points);"),
        ("md", "## Rewards lost\n\nETH a 32 ETH validator loses a year to downtime (missed rewards and "
               "penalties), at the scenario's failure correlation."),
        ("code", "plotting.rewards_lost(scenario, points=grid_points);"),
    ],
)

NB04 = notebook(
    "04 · Protocol comparison",
    "Diva against solo staking, Lido, Rocket Pool (LEB8 and Saturn megapool), the seed's "
    "4 × 2 ETH DVT minipool, SSV and Obol clusters and exchanges: what stakers earn, what operators "
    "earn on their own capital, the capital to start, and the faults tolerated. Every set-up runs "
    "on nodes of the scenario's uptime (MODEL.md §3–§4).",
    "",
    [
        ("md", "## Diva and its peers"),
        ("code", "reports.show(reports.peer_table_formatted(scenario))"),
        ("md", "## Staker and operator APR"),
        ("code", "plotting.peer_apr_bars(scenario);"),
        ("md", "## Capital to start\n\nOwn ETH one operator needs against the APR it earns on it; the "
               "marker grows with the faults the set-up tolerates. Lido's curated operators, SSV "
               "operators and exchanges put up no ETH of their own and are left out."),
        ("code", "plotting.capital_vs_operator_apr(scenario);"),
    ],
)

NB05 = notebook(
    "05 · Network growth",
    "The Diva network simulated day by day: staker deposits fill the buffer, operators' collateral "
    "waits in the queue, validators are created when 32 ETH and 16 key shares of collateral are "
    "available, rewards accrue to divETH (the wdivETH rate grows) and to operators. Monte Carlo "
    "draws (outages, slashing, proposer luck, where the scenario enables them) give the P5–P95 bands.",
    "mc_seeds: int = 20  # Monte Carlo draws\n"
    "horizon_days: int = 0  # days simulated; 0: the scenario's simulation.horizon_days\n",
    [
        ("code", "from divaecon.simulate import simulate\n\n"
                 "days = horizon_days or scenario.simulation.horizon_days\n"
                 "result = simulate(scenario, seeds=mc_seeds, days=days)\n"
                 "display(Markdown(reports.simulation_note(scenario, mc_seeds, days)))"),
        ("md", "## Realised APYs\n\nMedian over seeds, P5–P95 in brackets."),
        ("code", "reports.show(reports.simulation_summary_table(result.summary, [scenario.name])"
                 ".rename(columns={scenario.name: 'median [P5 – P95]'}), index=True)"),
        ("code", "plotting.realised_apy(result.summary, scenario.name);"),
        ("md", "## The network over time"),
        ("code", "plotting.network_growth(result.timeseries, scenario.name, seeds=mc_seeds);"),
    ],
)

ALL = {
    "01_staking_apr": NB01,
    "02_collateral_and_operator_yield": NB02,
    "03_dvt_fault_tolerance": NB03,
    "04_protocol_comparison": NB04,
    "05_network_growth": NB05,
}


def main() -> None:
    NOTEBOOKS.mkdir(exist_ok=True)
    for name, nb in ALL.items():
        nbformat.validate(nb)
        nbformat.write(nb, NOTEBOOKS / f"{name}.ipynb")
        print(f"wrote notebooks/{name}.ipynb")


if __name__ == "__main__":
    main()
