"""Peers behind one interface: structure formulas of MODEL.md §4 checked by hand."""

from __future__ import annotations

import math

import pytest

from divaecon import dvt, ethereum
from divaecon.params import PeerParams, Scenario
from divaecon.peers import COLUMNS, peer_setups, setup_table
from divaecon.quote import peer_table


@pytest.fixture(scope="module")
def perfect():
    """All nodes up: every set-up has the same gross rate r, so ratios are exact."""
    s = Scenario().override(operator_uptime=1.0)
    r = ethereum.gross_apr(s.ethereum.total_staked_eth, s.ethereum.el_reward_per_block_eth, 1.0)
    return peer_table(s).set_index("name"), r


def row(table, prefix):
    matches = [n for n in table.index if n.startswith(prefix)]
    assert len(matches) == 1, (prefix, list(table.index))
    return table.loc[matches[0]]


def test_columns_and_all_peers_present(perfect):
    table, _ = perfect
    assert list(table.reset_index().columns) == COLUMNS
    for prefix in ("Diva", "Solo", "Lido", "Rocket Pool LEB8", "Rocket Pool megapool", "DVT minipool",
                   "SSV cluster 3/4", "SSV cluster 5/7", "SSV cluster 7/10", "SSV cluster 9/13",
                   "Obol", "Coinbase", "Binance"):
        row(table, prefix)


def test_structures_by_hand(perfect):
    table, r = perfect
    solo = row(table, "Solo")
    assert solo.staker_apr == pytest.approx(r) and solo.operator_apr == pytest.approx(r)
    assert solo.capital_eth == 32 and solo.faults_tolerated == 0
    # Lido: 10 % fee (5 % operators + 5 % treasury); curated operators post no ETH.
    lido = row(table, "Lido")
    assert lido.staker_apr == pytest.approx(0.9 * r) and math.isnan(lido.operator_apr)
    # LEB8: (8 r + 24 r * 0.14) / 8 = 1.42 r; rETH holders keep 86 %.
    leb8 = row(table, "Rocket Pool LEB8")
    assert leb8.operator_apr == pytest.approx(1.42 * r) and leb8.staker_apr == pytest.approx(0.86 * r)
    assert leb8.capital_eth == 8
    # Saturn 1 megapool: (4 r + 28 r * 0.05) / 4 = 1.35 r; stakers lose 5 % + 9 %.
    mega = row(table, "Rocket Pool megapool")
    assert mega.operator_apr == pytest.approx(1.35 * r) and mega.staker_apr == pytest.approx(0.86 * r)
    # Seed 003: four DVT users, 2 ETH each, a LEB8 on an Obol 3/4 cluster (1 % to Obol).
    mini = row(table, "DVT minipool")
    assert mini.capital_eth == 2 and mini.faults_tolerated == 1
    assert mini.operator_apr == pytest.approx(1.42 * 0.99 * r)
    obol = row(table, "Obol")
    assert obol.operator_apr == pytest.approx(0.99 * r) and obol.capital_eth == 8
    assert row(table, "Coinbase").staker_apr == pytest.approx(0.75 * r)
    assert row(table, "Binance").staker_apr == pytest.approx(0.90 * r)
    for n, t in ((4, 3), (7, 5), (10, 7), (13, 9)):
        ssv = row(table, f"SSV cluster {t}/{n}")
        assert ssv.faults_tolerated == n - t and ssv.threshold == t
    diva = row(table, "Diva")
    assert diva.operator_apr == pytest.approx(1.1 * r) and diva.capital_eth == 1.0
    assert diva.faults_tolerated == 5


def test_availability_at_node_uptime_and_its_effect():
    s = Scenario()  # 95 % node uptime
    table = peer_table(s).set_index("name")
    assert row(table, "Solo").availability == pytest.approx(0.95)
    assert row(table, "SSV cluster 3/4").availability == pytest.approx(0.98598125)  # by hand
    # The better the availability, the higher the gross rate: SSV 9/13 beats SSV 3/4 beats solo.
    assert row(table, "SSV cluster 9/13").staker_apr > row(table, "SSV cluster 3/4").staker_apr
    assert row(table, "SSV cluster 3/4").staker_apr > row(table, "Solo").staker_apr


def test_setup_table_matches_dvt_module():
    setups = peer_setups(PeerParams())
    t = setup_table(setups, 34.65e6, 0.04, 0.9, 0.1)
    for s, avail in zip(setups, t["availability"], strict=True):
        assert avail == pytest.approx(dvt.availability(s.n_operators, s.threshold, 0.9, 0.1))
