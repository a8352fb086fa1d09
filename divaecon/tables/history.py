"""Tables of the backtest: the model's staker APR against published history."""

from __future__ import annotations

from typing import Any


def backtest_text(result: Any) -> str:
    """``divaecon backtest``'s table: each point, then bias, MAE and worst point per series."""
    from divaecon import formatting as fmt

    lines = [
        "Predicted (model, from that date's stake, execution reward, rules and node uptime) against",
        "published staker APR. Error = predicted - published. In-sample points (used to calibrate a",
        "default) are shown but left out of the summary.",
        "",
        f"{'date':<10}  {'series':<10}  {'predicted':>9}  {'published':>9}  {'error':>8}  sample",
    ]
    for r in result.points.itertuples(index=False):
        sample = "in-sample (" + r.calibration + ")" if r.sample == "in_sample" else "out-of-sample"
        lines.append(
            f"{r.date.date().isoformat():<10}  {r.series:<10}  {fmt.pct(r.predicted):>9}  "
            f"{fmt.pct(r.published):>9}  {fmt.pp(r.error):>8}  {sample}"
        )
    lines += ["", "Out-of-sample error by series (percentage points):", ""]
    lines.append(f"{'series':<10}  {'n':>3}  {'in-sample':>9}  {'bias':>8}  {'MAE':>8}  worst point")
    for r in result.summary.itertuples(index=False):
        worst = f"{r.worst_date.date().isoformat()} ({fmt.pp(r.worst_error)})" if r.n_out_of_sample else "–"
        lines.append(
            f"{r.series:<10}  {r.n_out_of_sample:>3}  {r.n_in_sample:>9}  {fmt.pp(r.bias):>8}  "
            f"{fmt.pp(r.mae, signed=False):>8}  {worst}"
        )
    return "\n".join(lines)
