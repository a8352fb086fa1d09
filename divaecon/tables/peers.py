"""Tables of Diva against its peers (notebook 04, the CLI's quote): like-for-like and published
terms, the node uptime they run on, the peers' notes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from divaecon import formatting as fmt
from divaecon.params import Scenario
from divaecon.quote import peer_table


def node_uptime_basis(scenario: Scenario) -> str:
    """Which node uptime the peer comparison of ``scenario`` runs on, in words."""
    if scenario.peers.same_node_uptime_for_all:
        return f"like for like: every set-up on Diva's node uptime, {fmt.pct(scenario.diva.operator_uptime, 1)}"
    return "each set-up on nodes of its kind; --same-node-uptime for like for like"


def published_notes(table: pd.DataFrame) -> list[tuple[str, str]]:
    """``(set-up, note)`` for each peer whose protocol published a staker APR (``vs_published``)."""
    return [
        (str(n), str(v))
        for n, v in zip(table["name"], table["vs_published"], strict=True)
        if v and not str(n).startswith("Diva")
    ]


def peer_notes_markdown(scenarios: Sequence[Scenario]) -> str:
    """Markdown list: which node uptime each scenario's peers run on, and each peer's staker APR
    against the one its protocol published (scenario names shown literally)."""
    lit = fmt.markdown_literal
    items = []
    for s in scenarios:
        items.append(f"- {lit(s.name)}: {lit(node_uptime_basis(s))}.")
        for name, note in published_notes(peer_table(s)):
            items.append(f"- {lit(s.name)}, {lit(name)}: {lit(note)}.")
    return "Node uptime and published figures:\n\n" + "\n".join(items)


def like_for_like_table(scenario: Scenario) -> pd.DataFrame:
    """Each set-up's staker APR on nodes of its kind and on Diva's node uptime (like for like).

    Columns: ``set-up``, ``node uptime`` (of its kind), ``staker APR``, ``staker APR, like for
    like`` (every set-up at ``diva.operator_uptime``), ``difference`` [percentage points].
    """
    own = peer_table(scenario.override(same_node_uptime_for_all=False))
    same = peer_table(scenario.override(same_node_uptime_for_all=True))
    diff = (same["staker_apr"] - own["staker_apr"]) * 100
    return pd.DataFrame(
        {
            "set-up": own["name"],
            "node uptime": own["node_uptime"].map(lambda x: fmt.pct(x, 1)),
            "staker APR": own["staker_apr"].map(fmt.pct),
            f"staker APR, all at {fmt.pct(scenario.diva.operator_uptime, 1)}": same["staker_apr"].map(fmt.pct),
            "difference": [f"{d:+.2f} pp" for d in diff],
        }
    )


def peer_comparison(scenarios: Sequence[Scenario]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Staker APR and operator APR of each set-up (rows) in each scenario (columns)."""
    staker: dict[str, pd.Series] = {}
    operator: dict[str, pd.Series] = {}
    for s in scenarios:
        t = peer_table(s).set_index("name")
        staker[s.name] = t["staker_apr"].map(fmt.pct)
        operator[s.name] = t["operator_apr"].map(fmt.pct)
    return (pd.DataFrame(staker).fillna("–").rename_axis(None), pd.DataFrame(operator).fillna("–").rename_axis(None))


def peer_table_formatted(scenario: Scenario) -> pd.DataFrame:
    """Diva and its peers with formatted columns, as a reader expects them.

    ``node uptime`` is each set-up's own (or Diva's for all, like for like). The comparison with
    published staker APRs is :func:`published_table`, shown beside this one.
    """
    t = peer_table(scenario)
    return pd.DataFrame(
        {
            "set-up": t["name"],
            "staker APR": t["staker_apr"].map(fmt.pct),
            "operator APR (own capital)": t["operator_apr"].map(fmt.pct),
            "capital to start": t["capital_eth"].map(lambda x: fmt.eth(x, 2) if x > 0 else "none"),
            "faults tolerated": t["faults_tolerated"].map(fmt.count),
            "node uptime": t["node_uptime"].map(lambda x: fmt.pct(x, 1)),
            "availability": t["availability"].map(fmt.prob),
            "note": t["note"],
        }
    )


def published_table(scenario: Scenario) -> pd.DataFrame:
    """Each peer whose protocol published a staker APR: the model's, and how the two compare.

    Columns ``set-up``, ``staker APR`` (the model's), ``against the published figure`` (the note
    of :func:`divaecon.peers.published_note`: agrees within 0.1 pp, or why not).
    """
    t = peer_table(scenario)
    t = t[[bool(v) and not str(n).startswith("Diva") for n, v in zip(t["name"], t["vs_published"], strict=True)]]
    return pd.DataFrame(
        {
            "set-up": t["name"],
            "staker APR": t["staker_apr"].map(fmt.pct),
            "against the published figure": t["vs_published"],
        }
    )
