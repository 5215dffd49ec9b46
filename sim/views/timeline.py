"""The timeline of a run: service level, inventory and queues by day, with the disruption
windows shaded and labelled, so a class can see a disruption ripple through the network."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

_SHADE = "#f4a261"


def _service(daily: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per replication and day: service level over all markets (units shipped / demanded)."""
    m = daily[daily["kind"] == "market"]
    if column == "service_level":
        g = m.groupby(["replication", "day"])[["shipped", "demand"]].sum()
        return (g["shipped"] / g["demand"]).rename("sl").reset_index()
    # baseline: weight each market's undisrupted service level by its demand
    w = m.assign(x=m[column] * m["demand"])
    g = w.groupby(["replication", "day"])[["x", "demand"]].sum()
    return (g["x"] / g["demand"]).rename("sl").reset_index()


def _windows(disruptions: pd.DataFrame) -> pd.DataFrame:
    """Windows to shade: scripted ones once; random ones of the first replication."""
    if disruptions is None or disruptions.empty:
        return pd.DataFrame(columns=["start", "end", "label"])
    first = disruptions["replication"].min()
    scripted = disruptions["source"].str.startswith("disruption.scripted")
    pick = disruptions[(disruptions["replication"] == first)]
    return pick.assign(scripted=scripted[pick.index]).drop_duplicates(["start", "end", "label"])


def timeline(daily: pd.DataFrame, disruptions: pd.DataFrame | None = None) -> Figure:
    """Three stacked panels over measured days: service level (mean and 10-90% band across
    replications, and the undisrupted level where there is one), warehouse inventory (on hand,
    in transit, backlog) and the longest gateway queues."""
    fig = Figure(figsize=(11, 8.5), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(3, 1, sharex=True)
    sl = _service(daily, "service_level")
    q = sl.groupby("day")["sl"].quantile([0.1, 0.5, 0.9]).unstack()
    mean = sl.groupby("day")["sl"].mean()
    ax1.fill_between(
        q.index, q[0.1], q[0.9], color="#8ecae6", alpha=0.5, label="10-90% of replications"
    )
    ax1.plot(mean.index, mean.values, color="#023047", lw=1.4, label="mean")
    if "baseline_service_level" in daily and daily["baseline_service_level"].notna().any():
        base = _service(daily, "baseline_service_level").groupby("day")["sl"].mean()
        ax1.plot(
            base.index,
            base.values,
            color="#555555",
            lw=1.0,
            ls="--",
            label="without the disruptions",
        )
    ax1.set_ylabel("service level\n(shipped / demanded)")
    ax1.set_ylim(max(0.0, float(np.nanmin(q[0.1].values)) - 0.05) if len(q) else 0.0, 1.02)
    ax1.legend(loc="lower left", fontsize=8, ncol=3)

    wh = (
        daily[daily["kind"] == "warehouse"]
        .groupby(["replication", "day"])[["on_hand", "in_transit", "backlog"]]
        .sum()
        .groupby("day")
        .mean()
    )
    colors = {"on_hand": "#219ebc", "in_transit": "#8d99ae", "backlog": "#d62828"}
    for col in ("on_hand", "in_transit", "backlog"):
        ax2.plot(wh.index, wh[col].values, color=colors[col], lw=1.3, label=col.replace("_", " "))
    ax2.set_ylabel("units, all warehouses\n(mean of replications)")
    ax2.legend(loc="upper left", fontsize=8, ncol=3)

    gates = daily[daily["kind"].isin(["port", "customs"])]
    if not gates.empty:
        qm = gates.groupby(["node", "day"])["queue"].mean().unstack(0)
        top = qm.max().sort_values(ascending=False).index[:4]
        for node in top:
            ax3.plot(qm.index, qm[node].values, lw=1.1, label=str(node))
        ax3.legend(loc="upper left", fontsize=8, ncol=4)
    ax3.set_ylabel("shipments and ships\nat berth or officer")
    ax3.set_xlabel("measured day")

    for _, w in _windows(disruptions).iterrows():
        for ax in (ax1, ax2, ax3):
            ax.axvspan(w["start"], w["end"], color=_SHADE, alpha=0.25, lw=0)
        ax1.annotate(
            str(w["label"]),
            xy=(w["start"], 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(2, -10),
            textcoords="offset points",
            fontsize=8,
            color="#9c4a00",
        )
    fig.suptitle("Timeline: service, inventory and queues (disruptions shaded)", fontsize=11)
    return fig
