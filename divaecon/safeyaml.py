"""Reading YAML that someone else wrote: bounded, strict, and with one meaning.

Scenario files are shared, so the reader assumes nothing about them:

- **Bounded before parsing.** Nesting deeper than :data:`MAX_DEPTH` levels, or more than
  :data:`MAX_NODES` values once aliases are expanded, is refused from the event stream, before
  any Python object is built: a kilobyte "billion laughs" alias bomb stops at its first few
  hundred values, and a megabyte of ``[[[[…`` stops at level 17 (PyYAML's C composer recurses
  without a limit and crashes the interpreter on it).
- **YAML 1.2 core schema** (https://yaml.org/spec/1.2.2/#1032-tag-resolution): ``true``/``false``,
  ``null``, decimal, ``0o`` and ``0x`` integers, floats with ``.inf``/``.nan``; everything else
  is text (``2025-06-08`` is text, not a date). PyYAML alone implements YAML 1.1, where
  ``01344`` is octal 748, ``1:30`` is 90 and ``on``/``no`` are booleans. Plain scalars that
  YAML 1.1 and 1.2 read differently (a leading zero, base 60, ``yes``/``no``/``on``/``off``,
  ``0b`` binary, digit separators ``_``; as in PyYAML, not ``y``/``n``) are refused, so a
  scenario file means the same to every YAML reader; quote them to mean text.
- **Each key once** per mapping (PyYAML keeps the last silently); no merge keys ``<<`` (YAML 1.1
  only); only the core tags (``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!seq``,
  ``!!map``); integers up to :data:`MAX_INT_DIGITS` digits; one document per file.
- **Errors** are :class:`~divaecon.errors.ParameterError` with the line and column, and never
  render more than a bounded excerpt of the input.

PyYAML (with its libyaml parser when present) does the parsing; this module only replaces its
resolver and constructor tables and walks its event stream.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from divaecon.errors import ParameterError

MAX_DEPTH = 16
"""Deepest nesting of sequences and mappings (a scenario file uses 3)."""

MAX_NODES = 10_000
"""Most values (scalars, sequences, mappings) in a document, counted after alias expansion."""

MAX_INT_DIGITS = 100
"""Longest integer literal, in digits (Python refuses to parse more than 4,300)."""

MAX_SHOWN = 60
"""Longest excerpt of the input shown in an error message."""

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_AMBIGUOUS = "tag:divaecon:yaml-1.1-ambiguous"
_MERGE = "tag:divaecon:yaml-1.1-merge"

# YAML 1.2.2 §10.3.2 (core schema), then the YAML 1.1 forms 1.2 reads differently.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN)$"
)
_YAML11_ONLY = re.compile(
    r"^(?:[-+]?0[0-9_]*[0-9][0-9_]*"  # leading zero: octal in 1.1
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"  # base 60
    r"|[-+]?0b[01_]+"  # binary
    r"|[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?"  # digit separators
    r"|[-+]?[0-9][0-9_]*\.[0-9_]*_[0-9_]*(?:[eE][-+][0-9]+)?"
    r"|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$"
)


def excerpt(value: object, limit: int = MAX_SHOWN) -> str:
    """``repr`` of a scalar, cut to ``limit`` characters; containers by type and size only."""
    if isinstance(value, dict | list | tuple | set | frozenset):
        return f"<{type(value).__name__} of {len(value):,}>"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"<integer of about {int(value.bit_length() * 0.30103):,} digits>"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _kind_of(node: Node) -> str:
    return {"scalar": "single value", "sequence": "list", "mapping": "mapping"}.get(getattr(node, "id", ""), "value")


def _bad(node: Node, problem: str) -> ConstructorError:
    return ConstructorError(None, None, problem, node.start_mark)


class _Loader(_BaseLoader):
    """PyYAML's safe loader with the YAML 1.2 core schema and the refusals above."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}
    yaml_constructors: ClassVar[dict[Any, Any]] = {}
    yaml_multi_constructors: ClassVar[dict[Any, Any]] = {}

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise _bad(node, f"expected a mapping, found a {_kind_of(node)}")
        mapping: dict[Any, Any] = {}
        first: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                seen = key in mapping
            except TypeError:
                raise _bad(key_node, "a mapping key must be a plain value, not a list or mapping") from None
            if seen:
                raise _bad(
                    key_node,
                    f"duplicate key {excerpt(key)} (first at line {first[key].line + 1}): "
                    "each key may appear once in a mapping",
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
            first[key] = key_node.start_mark
        return mapping


def _scalar(loader: _Loader, node: Node) -> str:
    if not isinstance(node, ScalarNode):
        raise _bad(node, f"expected a single value for {node.tag}, found a {_kind_of(node)}")
    return str(node.value)


def _construct_null(loader: _Loader, node: Node) -> None:
    if not _NULL.match(_scalar(loader, node)):
        raise _bad(node, f"{excerpt(node.value)} is not null")


def _construct_bool(loader: _Loader, node: Node) -> bool:
    text = _scalar(loader, node)
    if not _BOOL.match(text):
        raise _bad(node, f"{excerpt(text)} is not a boolean: write true or false")
    return text.lower() == "true"


def _construct_int(loader: _Loader, node: Node) -> int:
    text = _scalar(loader, node)
    if not _INT.match(text):
        raise _bad(node, f"{excerpt(text)} is not an integer")
    digits = text.lstrip("+-")
    if len(digits) > MAX_INT_DIGITS:
        raise _bad(node, f"integer of {len(digits):,} digits: at most {MAX_INT_DIGITS} digits are read")
    if digits.startswith(("0o", "0x")):
        value = int(digits[2:], 8 if digits[1] == "o" else 16)
        return -value if text.startswith("-") else value
    return int(text)


def _construct_float(loader: _Loader, node: Node) -> float:
    text = _scalar(loader, node)
    if not (_FLOAT.match(text) or _INT.match(text)):
        raise _bad(node, f"{excerpt(text)} is not a number")
    if len(text) > 400:
        raise _bad(node, f"number of {len(text):,} characters: too long")
    low = text.lower()
    if low.endswith((".inf", ".nan")):
        return float(low.replace(".", ""))
    if low.startswith(("0o", "0x")):
        return float(_construct_int(loader, node))
    return float(text)


def _construct_str(loader: _Loader, node: Node) -> str:
    return _scalar(loader, node)


def _construct_seq(loader: _Loader, node: Node) -> Any:
    if not isinstance(node, SequenceNode):
        raise _bad(node, f"expected a list, found a {_kind_of(node)}")
    data: list[Any] = []
    yield data
    data.extend(loader.construct_sequence(node))


def _construct_map(loader: _Loader, node: Node) -> Any:
    data: dict[Any, Any] = {}
    yield data
    data.update(loader.construct_mapping(node))


def _construct_ambiguous(loader: _Loader, node: Node) -> None:
    text = _scalar(loader, node)
    raise _bad(
        node,
        f"{excerpt(text)} means different things in YAML 1.1 and YAML 1.2 (octal, base 60, "
        "yes/no/on/off or digit separators): write a plain decimal number, true/false, "
        "or quote it to mean text",
    )


def _construct_merge(loader: _Loader, node: Node) -> None:
    raise _bad(node, "merge keys (<<) are YAML 1.1 only: write the keys out")


def _construct_other(loader: _Loader, node: Node) -> None:
    raise _bad(node, f"tag {excerpt(node.tag)} is not allowed: use plain values, lists and mappings")


for _tag, _fn in (
    ("null", _construct_null),
    ("bool", _construct_bool),
    ("int", _construct_int),
    ("float", _construct_float),
    ("str", _construct_str),
    ("seq", _construct_seq),
    ("map", _construct_map),
):
    _Loader.add_constructor(_CORE + _tag, _fn)
_Loader.add_constructor(_AMBIGUOUS, _construct_ambiguous)
_Loader.add_constructor(_MERGE, _construct_merge)
_Loader.add_constructor(None, _construct_other)

for _tag, _regex, _first in (
    (_AMBIGUOUS, _YAML11_ONLY, "-+0123456789yYnNoO"),
    (_MERGE, re.compile(r"^<<$"), "<"),
    (_CORE + "null", _NULL, ["~", "n", "N", ""]),
    (_CORE + "bool", _BOOL, "tTfF"),
    (_CORE + "int", _INT, "-+0123456789"),
    (_CORE + "float", _FLOAT, "-+0123456789."),
):
    _Loader.add_implicit_resolver(_tag, _regex, list(_first))


def _position(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "in the document"


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _check_shape(text: str, source: str | None) -> None:
    """Walk the event stream: one document, depth, expanded size and aliases within bounds."""
    loader = _Loader(text)
    sizes: dict[str, int] = {}
    open_: list[list[Any]] = []  # [expanded size so far, anchor] of each open collection
    total = documents = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise ParameterError(
                        [f"{_position(event.start_mark)}: a second YAML document ('---'); a scenario file holds one"],
                        source,
                    )
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                size, anchor = open_.pop()
                if anchor is not None:
                    sizes[anchor] = size
                if open_:
                    open_[-1][0] += size
                continue
            if isinstance(event, yaml.AliasEvent):
                if event.anchor in (a for _, a in open_):
                    raise ParameterError(
                        [
                            f"{_position(event.start_mark)}: alias *{_one_line(str(event.anchor), 40)} "
                            "refers to a collection that contains it"
                        ],
                        source,
                    )
                if event.anchor not in sizes:
                    raise ParameterError(
                        [
                            f"{_position(event.start_mark)}: alias "
                            f"*{_one_line(str(event.anchor), 40)} has no anchor before it"
                        ],
                        source,
                    )
                n = sizes[event.anchor]
            elif isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                n = 1
            else:
                continue
            total += n
            if total > MAX_NODES:
                raise ParameterError(
                    [
                        f"{_position(event.start_mark)}: more than {MAX_NODES:,} values (each alias "
                        "counted as what it repeats); a scenario file holds about a hundred"
                    ],
                    source,
                )
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append([1, event.anchor])
                if len(open_) > MAX_DEPTH:
                    raise ParameterError(
                        [f"{_position(event.start_mark)}: nested deeper than {MAX_DEPTH} levels"], source
                    )
                continue
            if isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
                sizes[event.anchor] = 1
            if open_:
                open_[-1][0] += n
    finally:
        loader.dispose()


def loads(text: str, source: str | None = None) -> Any:
    """Parse one YAML document from ``text`` under the rules of this module.

    Raises :class:`~divaecon.errors.ParameterError` naming ``source``, the line and column and
    the problem, for malformed YAML and every refusal listed in the module docstring.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        _check_shape(text, source)
        loader = _Loader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = _one_line(exc.problem or exc.context or type(exc).__name__)
        if "maximum nesting depth" in problem:
            # libyaml >= 0.2.5 (PyYAML >= 6.0.4 wheels) stops at 1,000 levels while scanning
            # ahead, before the shape check sees the 17th: the same refusal, where libyaml stopped
            raise ParameterError([f"{_position(mark)}: nested deeper than {MAX_DEPTH} levels"], source) from None
        if not isinstance(exc, ConstructorError):
            problem = f"not valid YAML: {problem}"
        raise ParameterError([f"{_position(mark)}: {problem}"], source) from None
    except yaml.reader.ReaderError as exc:
        where = text[: exc.position] if isinstance(exc.position, int) else ""
        line, column = where.count("\n") + 1, len(where) - (where.rfind("\n") + 1) + 1
        raise ParameterError(
            [f"line {line}, column {column}: character #x{exc.character:04x} is not allowed in YAML"], source
        ) from None
    except yaml.YAMLError as exc:
        raise ParameterError([f"not valid YAML: {_one_line(str(exc))}"], source) from None
    except RecursionError:  # the pure-Python parser on nesting the shape check did not reach
        raise ParameterError([f"nested deeper than {MAX_DEPTH} levels"], source) from None


def core_dumper() -> type[yaml.SafeDumper]:
    """A safe dumper that quotes every string YAML 1.1 *or* 1.2 would read as something else."""
    return _Dumper


class _Dumper(yaml.SafeDumper):
    pass


for _tag, _regex, _first in (
    (_CORE + "null", _NULL, ["~", "n", "N", ""]),
    (_CORE + "bool", _BOOL, "tTfF"),
    (_CORE + "int", _INT, "-+0123456789"),
    (_CORE + "float", _FLOAT, "-+0123456789."),
    (_CORE + "int", _YAML11_ONLY, "-+0123456789yYnNoO"),
    (_CORE + "merge", re.compile(r"^<<$"), "<"),
):
    _Dumper.add_implicit_resolver(_tag, _regex, list(_first))
