"""Every key is known or refused, every value of its type and range: overrides drawn from the
schema itself (its dataclasses walked for dotted keys and their types), with a wrong type, a
non-finite or an out-of-range value, or a misspelt key, are each one ConfigError naming the
key, from ``sim.api.load`` and from the command line."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import api, cli
from sim.config.footprint import check_footprint
from sim.config.schema import RippleConfig
from sim.config.strict import check_config, close, field_names, schema_at, split_key

R = "disruption.random.r"
# Where a mapping of free names is walked into: an entry the default config (or the base
# overrides) has, and the prefix an override of it needs (entries of Dict[str, Any] are loose).
ENTRIES: dict[str, tuple[str, list[str], str]] = {
    "network.nodes": ("PORT_LALB", [], ""),
    "network.lanes": ("port_yantian__port_lalb", [], ""),
    "demand.classes": ("small", [], ""),
    "demand.promotions": ("0", [], ""),
    "policy.nodes": ("WH_EDISON", [], "++"),
    "disruption.scripted": ("strike", ["scenario=la_lb_strike"], "++"),
    "disruption.random": (
        "r",
        [f"+{R}.kind=port_strike", f"+{R}.targets=[PORT_LALB]"],
        "++",
    ),
}
BAD: dict[Any, list[str]] = {
    float: ["abc", "nan", "inf", "-inf", "-1e300", "[1]", "{a: 1}"],
    int: ["abc", "1.5", "nan", "-1000000000000", "[1]"],
    bool: ["maybe", "[1]", "{a: 1}"],
    str: ["[a,b]", "{a: 1}"],
    list: ["abc", "{a: 1}"],
    dict: ["3", "abc", "[1]"],
}


@dataclasses.dataclass(frozen=True)
class Node:
    """A dataclass of the schema at a dotted path, and how to reach it by overrides."""

    path: str
    conf: type
    base: tuple[str, ...]
    prefix: str


def _plain(tp: Any) -> Any:
    """``X`` of ``X | None``."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return tp
    return next(a for a in typing.get_args(tp) if a is not type(None))


def walk() -> tuple[list[Node], list[tuple[str, Any, Node]]]:
    """Every dataclass node reachable in the default config, and every leaf (key, type)."""
    nodes, leaves = [], []
    todo = [Node("", RippleConfig, (), "")]
    while todo:
        node = todo.pop(0)
        nodes.append(node)
        for name in field_names(node.conf):
            key = f"{node.path}.{name}" if node.path else name
            tp = _plain(schema_at(split_key(key)))
            origin = typing.get_origin(tp)
            if dataclasses.is_dataclass(tp):
                todo.append(Node(key, tp, node.base, node.prefix))  # type: ignore[arg-type]
            elif key in ENTRIES:
                entry, base, prefix = ENTRIES[key]
                entry_tp = typing.get_args(tp)[-1]
                todo.append(Node(f"{key}.{entry}", entry_tp, (*node.base, *base), prefix))
            else:
                leaves.append((key, origin or tp, node))
    return nodes, leaves


NODES, LEAVES = walk()
FAST = settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def test_the_walk_reaches_every_part_of_the_schema():
    confs = {n.conf.__name__ for n in NODES}
    assert {"NodeConf", "LaneConf", "DistConf", "DisruptionConf", "RandomDisruptionConf"} <= confs
    assert {"PolicyParamsConf", "PromotionConf", "StrategyConf", "ExperimentConf"} <= confs
    assert len(LEAVES) > 150 and all(t in BAD for _, t, _ in LEAVES)


def _names(exc: api.ConfigError, key: str) -> None:
    got, want = split_key(exc.key), split_key(key)
    assert want[: len(got)] == got and got, (exc, key)


@st.composite
def bad_values(draw):
    key, tp, node = draw(st.sampled_from(LEAVES))
    return key, draw(st.sampled_from(BAD[tp])), node


@FAST
@given(bad_values())
def test_a_wrong_value_anywhere_is_one_config_error_naming_its_key(case):
    key, value, node = case
    with pytest.raises(api.ConfigError) as err:
        api.load([*node.base, f"{node.prefix}{key}={value}"])
    _names(err.value, key)


def _typos(word: str) -> st.SearchStrategy[str]:
    cuts = [word[:i] + word[i + 1 :] for i in range(len(word))]
    swaps = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]
    return st.sampled_from([*cuts, *swaps, word + "s", "x" + word])


@st.composite
def unknown_keys(draw):
    node = draw(st.sampled_from(NODES))
    names = field_names(node.conf)
    typo = draw(_typos(draw(st.sampled_from(names))))
    if not typo or typo in names or not typo[0].isalpha():
        typo = "zz_" + typo
    return node, typo, names


@settings(max_examples=12, deadline=None, database=None)
@given(unknown_keys())
def test_a_misspelt_key_anywhere_is_refused_with_the_closest_keys(case):
    node, typo, names = case
    key = f"{node.path}.{typo}" if node.path else typo
    with pytest.raises(api.ConfigError) as err:
        api.load([*node.base, f"+{key}=1"])
    assert split_key(err.value.key) == split_key(key), err.value
    message = str(err.value)
    assert "a known key" in message
    near = close(typo, names)
    if near:
        assert f"did you mean `{near[0]}`" in message


@settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(case=bad_values())
def test_the_command_line_says_it_in_one_line_with_status_2(case, capsys, tmp_path):
    key, value, node = case
    capsys.readouterr()
    code = cli.main(["validate", *node.base, f"{node.prefix}{key}={value}", f"out_dir={tmp_path}"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("ripple: config error: ")


def test_check_config_on_mappings():
    """The walk itself, without Hydra: unknown keys at any depth, entries of free names checked
    against their dataclass, values of the wrong type; the default config passes."""
    ok = {"network": {"nodes": {"X": {"kind": "port", "capacity": 2}}}, "seed": 3}
    check_config(ok)
    bad = [
        ({"network": {"nodes": {"X": {"capcity": 2}}}}, "network.nodes.X.capcity"),
        ({"policy": {"nodes": {"W": {"targt_days": 2}}}}, "policy.nodes.W.targt_days"),
        ({"disruption": {"random": {"r": {"targets": "PORT"}}}}, "disruption.random.r.targets"),
        ({"demand": {"promotions": [{"days": 1.5}]}}, "demand.promotions[0].days"),
        ({"strategy": {"channels": {"web": float("nan")}}}, "strategy.channels.web"),
        ({"experiment": {"replications": True}}, "experiment.replications"),
        ({"network": {"nodes": {1: {}}}}, "network.nodes.1"),
    ]
    for mapping, key in bad:
        with pytest.raises(api.ConfigError) as err:
            check_config(mapping)
        assert err.value.key == key
    with pytest.raises(api.ConfigError) as err:  # a value as the config writes it
        check_config({"experiment": {"replications": True}})
    assert str(err.value).startswith("config error: experiment.replications=true: expected")
    with pytest.raises(api.ConfigError) as err:
        check_config({"experiment": {"warmup_days": None}})
    assert "experiment.warmup_days=null" in str(err.value), err.value


def test_memory_estimate_names_the_heaviest_count():
    cfg = api.load([]).config
    from omegaconf import OmegaConf

    plain = typing.cast(dict, OmegaConf.to_container(cfg, resolve=True))
    assert check_footprint(plain).total < 2**30
    for key, value in [
        ("replications", 10**9),
        ("horizon_days", 10**8),
    ]:
        big = {**plain, "experiment": {**plain["experiment"], key: value}}
        with pytest.raises(api.ConfigError, match="fits in memory") as err:
            check_footprint(big, limit=2**34)
        assert err.value.key == f"experiment.{key}" and "GB" in str(err.value)
    with pytest.raises(api.ConfigError) as err:
        check_footprint(plain, limit=2**34, replications=10**9)
    assert err.value.key == "--max-replications"
