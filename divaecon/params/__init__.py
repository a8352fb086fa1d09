"""Frozen, validated parameter objects and scenario files.

Every default of the model lives here once, with its unit and source (STYLE.md §2, §4).
Scenario files are YAML with one mapping per section (``ethereum``, ``diva``, ``costs``,
``peers``, ``simulation``), read by :func:`load_scenario`: regular UTF-8 files of at most 1 MB,
parsed by :mod:`divaecon.safeyaml` (YAML 1.2 core schema, each key once, bounded aliases and
nesting, line and column in its errors). Loading validates every field and reports *all*
invalid ones — name, value and what is allowed — in one :class:`~divaecon.errors.ParameterError`.
Unknown keys are errors; numbers must be finite and within :data:`SANE_LIMITS`. (Relations
between fields — threshold at most the key shares, fees at most 100 % — are checked once every
field is valid on its own.) Variants are made with
:meth:`Scenario.override`, never by mutation.

``python -m divaecon.params`` prints the table of assumptions that ``ASSUMPTIONS.md`` holds.

One module per section: :mod:`~divaecon.params.ethereum`, :mod:`~divaecon.params.diva`,
:mod:`~divaecon.params.costs`, :mod:`~divaecon.params.peers`, :mod:`~divaecon.params.simulation`
and :mod:`~divaecon.params.risk`; :mod:`~divaecon.params.scenario` holds :class:`Scenario` with
the reading, validation and writing of scenario files, :mod:`~divaecon.params._fields` what the
sections share (:func:`param`, the sanity limits). Every name is re-exported here.
"""

from __future__ import annotations

from divaecon.params._fields import (  # noqa: F401 (re-exported)
    ETH_IN_EXISTENCE_LIMIT,
    MAX_CLUSTER_SIZE,
    MAX_DESCRIPTION_CHARS,
    MAX_NAME_CHARS,
    MAX_SSV_CLUSTERS,
    PEER_FEE_GROUPS,
    SANE_LIMITS,
    SECTIONS,
    _bound,
    _format_value,
    _Params,
    fee_group_problems,
    limit_problems,
    param,
)
from divaecon.params.costs import (
    OperatorCostParams,
)
from divaecon.params.diva import (
    DivaParams,
)
from divaecon.params.ethereum import (
    EthereumParams,
)
from divaecon.params.peers import (  # noqa: F401 (re-exported)
    _DIVA_RP,
    PeerParams,
)
from divaecon.params.risk import (
    RiskParams,
)
from divaecon.params.scenario import (  # noqa: F401 (re-exported)
    MAX_SCENARIO_BYTES,
    Scenario,
    _problems,
    apply_overrides,
    assumptions_table,
    decode_utf8,
    field_sections,
    load_scenario,
    resolve_name,
    scenario_from_dict,
    scenario_from_yaml,
    scenario_to_yaml,
)
from divaecon.params.simulation import (
    SimulationParams,
)

__all__ = [
    "ETH_IN_EXISTENCE_LIMIT",
    "MAX_CLUSTER_SIZE",
    "MAX_DESCRIPTION_CHARS",
    "MAX_NAME_CHARS",
    "MAX_SCENARIO_BYTES",
    "MAX_SSV_CLUSTERS",
    "PEER_FEE_GROUPS",
    "SANE_LIMITS",
    "SECTIONS",
    "DivaParams",
    "EthereumParams",
    "OperatorCostParams",
    "PeerParams",
    "RiskParams",
    "Scenario",
    "SimulationParams",
    "apply_overrides",
    "assumptions_table",
    "decode_utf8",
    "fee_group_problems",
    "field_sections",
    "limit_problems",
    "load_scenario",
    "param",
    "resolve_name",
    "scenario_from_dict",
    "scenario_from_yaml",
    "scenario_to_yaml",
]
