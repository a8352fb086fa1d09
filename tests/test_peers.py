"""Peers behind one interface: fees, bonds and node performance of 2026, checked by hand.

Sources of the structures (also in ASSUMPTIONS.md): Lido docs (curated 5 % + 5 %; CSM bond
2.4 ETH, 3.5 % + 6.5 %), RPIP-42/46/62/74 (Rocket Pool), docs.ssv.network (fees in ETH),
Obol (1 %), DVStakers docs (four users, one Rocket Pool bond).
"""

from __future__ import annotations

import math

import pytest

from divaecon import dvt, ethereum
from divaecon.data import published_staker_apr
from divaecon.params import PeerParams, Scenario
from divaecon.peers import COLUMNS, Published, peer_setups, published_note, setup_table
from divaecon.quote import peer_table


@pytest.fixture(scope="module")
def perfect():
    """All nodes up (like for like at 100 %): every set-up has the same gross rate r."""
    s = Scenario().override(operator_uptime=1.0, same_node_uptime_for_all=True)
    r = ethereum.gross_apr(s.ethereum.total_staked_eth, s.ethereum.el_reward_per_block_eth, 1.0)
    return peer_table(s).set_index("name"), r


def row(table, prefix):
    matches = [n for n in table.index if n.startswith(prefix)]
    assert len(matches) == 1, (prefix, list(table.index))
    return table.loc[matches[0]]


def test_columns_and_all_peers_present(perfect):
    table, _ = perfect
    assert list(table.reset_index().columns) == COLUMNS
    for prefix in (
        "Diva",
        "Solo",
        "Lido (curated)",
        "Lido CSM",
        "Rocket Pool LEB8",
        "Rocket Pool megapool",
        "DVT minipool",
        "DVT megapool",
        "SSV cluster 3/4",
        "SSV cluster 5/7",
        "SSV cluster 7/10",
        "SSV cluster 9/13",
        "Obol",
        "Coinbase",
        "Binance",
    ):
        row(table, prefix)


def test_structures_by_hand(perfect):
    table, r = perfect
    solo = row(table, "Solo")
    assert solo.staker_apr == pytest.approx(r) and solo.operator_apr == pytest.approx(r)
    assert solo.capital_eth == 32 and solo.faults_tolerated == 0
    # Lido curated: 10 % fee (5 % operators + 5 % treasury); curated v1 operators post no ETH.
    lido = row(table, "Lido (curated)")
    assert lido.staker_apr == pytest.approx(0.9 * r) and math.isnan(lido.operator_apr)
    # Lido CSM (docs.lido.fi, CSM rewards): bond x stETH rate + 3.5 % module fee on the whole
    # 32 ETH: (2.4 * 0.9 r + 0.035 * 32 r) / 2.4 = (2.16 + 1.12) / 2.4 r = 1.366667 r.
    csm = row(table, "Lido CSM")
    assert csm.operator_apr == pytest.approx(3.28 / 2.4 * r) and csm.capital_eth == 2.4
    assert csm.staker_apr == pytest.approx(0.9 * r)  # stETH holders: one pool, 10 % fee
    # Saturn 1 megapool (RPIP-42, RPIP-46): (4 r + 28 r * 0.05) / 4 = 1.35 r; rETH keeps 86 %.
    mega = row(table, "Rocket Pool megapool")
    assert mega.operator_apr == pytest.approx(1.35 * r) and mega.staker_apr == pytest.approx(0.86 * r)
    # Legacy LEB8 after Saturn 1 (RPIP-62: 5 % contract commission): (8 r + 24 r * 0.05) / 8
    # = 1.15 r; rETH holders of a legacy minipool pay only the operator's 5 %.
    leb8 = row(table, "Rocket Pool LEB8")
    assert leb8.operator_apr == pytest.approx(1.15 * r) and leb8.staker_apr == pytest.approx(0.95 * r)
    assert leb8.capital_eth == 8
    # The seed's 4 x 2 ETH minipool, on an Obol 3/4 cluster (1 % to Obol): 0.99 * 1.15 r.
    mini = row(table, "DVT minipool")
    assert mini.capital_eth == 2 and mini.faults_tolerated == 1
    assert mini.operator_apr == pytest.approx(1.15 * 0.99 * r)
    # Its megapool analogue: four users sharing a 4 ETH bond, 1 ETH each: 0.99 * 1.35 r.
    dvt_mega = row(table, "DVT megapool")
    assert dvt_mega.capital_eth == 1 and dvt_mega.operator_apr == pytest.approx(1.35 * 0.99 * r)
    assert dvt_mega.staker_apr == pytest.approx(0.86 * r)
    # An Obol squad's operators are its stakers: both earn after Obol's 1 % (issue 18: shown
    # before it, 1.00 r, the squad stood above every other set-up).
    obol = row(table, "Obol")
    assert obol.operator_apr == pytest.approx(0.99 * r) and obol.capital_eth == 8
    assert obol.staker_apr == pytest.approx(0.99 * r)
    assert row(table, "Coinbase").staker_apr == pytest.approx(0.75 * r)
    assert row(table, "Binance").staker_apr == pytest.approx(0.90 * r)
    # SSV (docs.ssv.network): 1 % network fee + n operators x 0.0028 ETH a year per 32 ETH.
    for n, t in ((4, 3), (7, 5), (10, 7), (13, 9)):
        ssv = row(table, f"SSV cluster {t}/{n}")
        assert ssv.faults_tolerated == n - t and ssv.threshold == t
        assert ssv.staker_apr == pytest.approx(0.99 * r - n * 0.0028 / 32)
    diva = row(table, "Diva")
    assert diva.operator_apr == pytest.approx(1.1 * r) and diva.capital_eth == 1.0
    assert diva.faults_tolerated == 5


def test_council_adder_moves_the_voter_share_to_the_operator():
    # RPIP-46: the adder comes out of the voter share; rETH's commission stays 5 % + 9 %.
    s = Scenario().override(operator_uptime=1.0, same_node_uptime_for_all=True, rocketpool_council_adder=0.01)
    r = ethereum.gross_apr(s.ethereum.total_staked_eth, s.ethereum.el_reward_per_block_eth, 1.0)
    mega = row(peer_table(s).set_index("name"), "Rocket Pool megapool")
    assert mega.operator_apr == pytest.approx((4 + 28 * 0.06) / 4 * r)  # 1.42 r
    assert mega.staker_apr == pytest.approx(0.86 * r)
    with pytest.raises(Exception, match="rocketpool_council_adder"):
        Scenario().override(rocketpool_council_adder=0.10)  # more than the 9 % voter share


def test_each_setup_runs_on_its_own_nodes_by_default():
    s = Scenario()
    p = s.peers
    table = peer_table(s).set_index("name")
    # Defaults: home and Rocket Pool nodes 97.8 % (Diva docs 13-rocketpool.md: 2.2 % missed
    # attestations), professional and exchange 99.7 % (0.3 % for the average operator).
    assert row(table, "Solo").availability == pytest.approx(0.978)
    assert row(table, "Lido (curated)").availability == pytest.approx(0.997)
    assert row(table, "Rocket Pool megapool").node_uptime == p.rocketpool_node_uptime == 0.978
    assert row(table, "Coinbase").node_uptime == 0.997
    # SSV 3/4 at 97.8 %: P(Bin(4, 0.978) >= 3) = 0.978^4 + 4 * 0.978^3 * 0.022 by hand.
    assert row(table, "SSV cluster 3/4").availability == pytest.approx(0.978**4 + 4 * 0.978**3 * 0.022)
    assert row(table, "Diva").node_uptime == s.diva.operator_uptime


def test_like_for_like_switch_puts_everyone_on_divas_node_uptime():
    s = Scenario().override(same_node_uptime_for_all=True)  # Diva's 95 %
    table = peer_table(s).set_index("name")
    assert (table["node_uptime"] == 0.95).all()
    assert row(table, "Solo").availability == pytest.approx(0.95)
    assert row(table, "SSV cluster 3/4").availability == pytest.approx(0.98598125)  # by hand
    # The better the availability, the higher the gross rate: SSV 9/13 beats SSV 3/4 beats solo.
    assert row(table, "SSV cluster 9/13").availability > row(table, "SSV cluster 3/4").availability
    assert row(table, "SSV cluster 3/4").staker_apr > row(table, "Solo").staker_apr


def test_lido_matches_its_published_apr_out_of_sample():
    # Issue 18: the mid-2025 check no longer takes an execution reward backed out of the same
    # rate (0.0356 ETH, which made agreement certain). The reward of that day comes from
    # independent figures, linear in time between Rated's 0.0676 ETH a slot (window midpoint
    # 2024-06-24) and EIP-8363's relay mean of 0.030 ETH (window midpoint 2026-01-30):
    # 0.0676 - (344 / 585) * 0.0376 = 0.04549 ETH, 0.0455 in data/published_staker_apr.csv.
    # By hand at 34.65M ETH, 99.7 % uptime: consensus 343 gwei * 82,181.25 / 1e9 *
    # (106 * 0.997 - 42) / 64 = 2.80481 %; execution 0.0455 * 2,629,800 * 0.997 / 34.65e6 =
    # 0.34429 %; staker 0.9 * 3.14910 % = 2.83419 %, within 0.1 pp of the 2.815 % Lido published
    # (7-day average, 2025-06-03, Lido's API via Flipside).
    s = Scenario().override(total_staked_eth=34_650_000.0, el_reward_per_block_eth=0.0455)
    lido = row(peer_table(s).set_index("name"), "Lido (curated)")
    assert lido.staker_apr == pytest.approx(0.0283419, abs=2e-7)
    assert abs(lido.staker_apr - 0.02815) < 0.001
    assert "agrees within 0.1 pp (out of sample" in lido.vs_published and "2025-06-03" in lido.vs_published


def test_a_figure_a_default_was_fitted_to_is_never_shown_as_agreement():
    """Issue 18: a published figure some default was calibrated from agrees by construction. The
    note says "in-sample" and draws no verdict, even when the gap is nil; this fails if it says
    "agrees"."""
    setup = peer_setups(PeerParams())[1]
    fitted = [Published("Lido (curated)", "2026-05-27", 0.025, 39.2e6, 0.0204, "B", "ethereum.el_reward_per_block_eth")]
    note = published_note(fitted, setup, 0.025, 39.2e6, 0.0204, 0.997)
    assert "in-sample (ethereum.el_reward_per_block_eth was calibrated from it), so not a check" in note
    assert "agree" not in note
    # and no shipped figure is one: with the default execution reward from relay payments, the
    # peer table's notes compare out of sample only
    for row_ in peer_table(Scenario()).itertuples():
        assert "in-sample" not in row_.vs_published
    assert (published_staker_apr()["calibration"] == "").all()


def test_a_contradicting_apr_says_why():
    # Like for like at 95 % Lido's curated operators earn well below what Lido published: the
    # table must say why (the 2.59 % against ~2.8 %).
    s = Scenario().override(
        total_staked_eth=34_650_000.0, el_reward_per_block_eth=0.0455, same_node_uptime_for_all=True
    )
    lido = row(peer_table(s).set_index("name"), "Lido (curated)")
    assert lido.staker_apr < 0.02815 - 0.001
    assert "95.0 % uptime here" in lido.vs_published and "99.7 %" in lido.vs_published
    # Every peer with a figure either agrees or gives a reason; the others say nothing.
    table = peer_table(Scenario().override(total_staked_eth=50_000_000.0)).set_index("name")
    note = row(table, "Lido (curated)").vs_published
    assert "because 50,000,000 ETH staked here, 39,200,000 ETH then" in note
    assert row(table, "Solo").vs_published == ""


def test_published_note_picks_the_figure_of_the_nearest_stake():
    setup = peer_setups(PeerParams())[1]
    figures = [
        Published("Lido (curated)", "2025-06-03", 0.028, 34.65e6, 0.0356, "A"),
        Published("Lido (curated)", "2026-05-27", 0.025, 39.2e6, 0.0204, "B"),
    ]
    assert "(B, 2026-05-27): agrees" in published_note(figures, setup, 0.0255, 39e6, 0.02, 0.997)
    note = published_note(figures, setup, 0.0262, 34.65e6, 0.0356, 0.997)
    assert note.startswith("published 2.800 % (A, 2025-06-03): -0.18 pp here because not explained")


def test_setup_table_matches_dvt_module():
    setups = peer_setups(PeerParams())
    t = setup_table(setups, 34.65e6, 0.04, 0.9, 0.1)
    for s, avail in zip(setups, t["availability"], strict=True):
        assert avail == pytest.approx(dvt.availability(s.n_operators, s.threshold, 0.9, 0.1))
    own = setup_table(setups, 34.65e6, 0.04)
    for s, avail in zip(setups, own["availability"], strict=True):
        assert avail == pytest.approx(dvt.availability(s.n_operators, s.threshold, s.node_uptime))
