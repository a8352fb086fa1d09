"""The typed quote: frozen, slotted, every field documented with its unit."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import re

import pytest

from divaecon.params import Scenario
from divaecon.quote import Quote, operator_apr_assigned_at, peer_table, quote, quote_json

UNIT = re.compile(r"\[([^\]]+)\]\s*(\([^)]*\))?\.?\s*$")


def field_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings (the string literal after each annotated field), read from the source."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for stmt, nxt in itertools.pairwise(body):
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and isinstance(nxt, ast.Expr)
            and isinstance(nxt.value, ast.Constant)
            and isinstance(nxt.value.value, str)
        ):
            docs[stmt.target.id] = nxt.value.value
    return docs


def test_quote_is_frozen_and_slotted() -> None:
    q = quote(Scenario())
    assert isinstance(q, Quote)
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.staker_apr = 0.5  # type: ignore[misc]
    assert not hasattr(q, "__dict__")  # slots: no stray attributes
    with pytest.raises(AttributeError):
        q.stakr_apr  # type: ignore[attr-defined]  # noqa: B018  - a typo fails loudly


def test_every_field_has_a_docstring_with_a_unit() -> None:
    docs = field_docs(Quote)
    names = [f.name for f in dataclasses.fields(Quote)]
    assert set(docs) == set(names), set(names) ^ set(docs)
    for name, doc in docs.items():
        first_sentence = " ".join(doc.split())
        assert UNIT.search(first_sentence) or "[" in first_sentence, f"{name}: no [unit] in {doc!r}"
        if name.endswith("_apr"):  # rates are fractions per year (STYLE.md: never per cent)
            assert "[fraction/year]" in first_sentence, name
    units = {
        name: re.search(r"\[([^\]]+)\]", " ".join(doc.split())).group(1)  # type: ignore[union-attr]
        for name, doc in docs.items()
    }
    # where the type carries no unit the name does
    for name, unit in units.items():
        if unit in ("ETH", "divETH"):
            assert name.endswith("_eth"), name
        if unit == "ETH/year":
            assert name.endswith("_eth_per_year"), name
        if unit == "USD/year":
            assert name.endswith("_usd_per_year"), name


def test_fields_are_plain_python_numbers() -> None:
    q = quote(Scenario())
    for f in dataclasses.fields(Quote):
        value = getattr(q, f.name)
        assert type(value) is {"str": str, "float": float, "int": int}[str(f.type)], f.name


def test_reference_values() -> None:
    # Diva docs 40-staking-rewards.md / 21-economics.md: at uptime 1, no execution rewards, the
    # operator earns 0.10 · 32 · r / 16 = 0.2 r per key share and 0.9 r + 0.2 r / c on assigned
    # collateral; consensus-specs altair: r = 343 gwei (the floored base reward at 34.65M ETH)
    # × 82,181.25 epochs / 1e9 = 2.8188 % (issue 9; the smooth 166.3 / √(ETH staked) gave 2.8255 %).
    s = Scenario().override(
        operator_uptime=1.0,
        el_reward_per_block_eth=0.0,
        total_staked_eth=34_650_000.0,
        collateral_per_key_share_eth=0.5,
    )
    q = quote(s)
    r = 343 * 82_181.25 / 1e9
    assert q.gross_apr == pytest.approx(r, rel=1e-12)
    assert q.operator_reward_per_key_share_eth_per_year == pytest.approx(0.2 * q.gross_apr, rel=1e-12)
    assert q.operator_apr_assigned == pytest.approx(0.9 * q.gross_apr + 0.2 * q.gross_apr / 0.5, rel=1e-12)
    assert float(operator_apr_assigned_at(q, 0.5)) == q.operator_apr_assigned
    assert q.collateral_ratio == 0.25  # 0.5 · 16 / 32
    assert q.network_validators == 1_344 and q.collateral_locked_eth == 1_344 * 16 * 0.5


def test_a_quote_is_not_a_mapping() -> None:
    # Attributes only: q["staker_apr"] (the old dict access) fails loudly instead of drifting.
    with pytest.raises(TypeError):
        quote(Scenario())["staker_apr"]  # type: ignore[index]


def test_peer_table_reuses_a_given_quote() -> None:
    s = Scenario()
    q = quote(s)
    table = peer_table(s, q)
    assert table.loc[0, "staker_apr"] == q.staker_apr and table.loc[0, "operator_apr"] == q.operator_apr_assigned


def test_json_has_every_field() -> None:
    data = quote_json(Scenario())
    names = [f.name for f in dataclasses.fields(Quote)]
    assert list(data)[: len(names)] == names and list(data)[-1] == "peers"
