"""benchmarks/bench_scale.py's speed-up measurement: rows interleaved, each normalised by the
CPU loop timed around it (benchmarks/cpu_loop.py), speed-ups paired within a repeat."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import cpu_loop  # noqa: E402
from bench_scale import plan_rows, speedup_table, speedups  # noqa: E402


def test_rows_interleave_one_and_two_workers_flipping_the_order_every_repeat() -> None:
    rows = plan_rows(["serial", "process", "dask"], "store", "fork", repeats=3)
    order = [(r["repeat"], r["engine"], r["warm"], r["workers"]) for r in rows]
    assert order[:9] == [(0, "serial", False, 1),
                         (0, "process", False, 1), (0, "process", False, 2),
                         (0, "process", True, 1), (0, "process", True, 2),
                         (0, "dask", False, 1), (0, "dask", False, 2),
                         (0, "dask", True, 1), (0, "dask", True, 2)]
    assert order[9:18] == [(1, "serial", False, 1),
                           (1, "process", False, 2), (1, "process", False, 1),
                           (1, "process", True, 2), (1, "process", True, 1),
                           (1, "dask", False, 2), (1, "dask", False, 1),
                           (1, "dask", True, 2), (1, "dask", True, 1)]
    assert [o[3] for o in order[18:]] == [o[3] for o in order[:9]]
    # `daihoi load` of the Parquet is timed in the first repeat only.
    assert {r["repeat"] for r in rows if r["time_load"]} == {0}


def _row(workers: int, repeat: int, docs_s: float, loop: float) -> dict:
    return {"engine": "process", "workers": workers, "warm": False, "flow": "store",
            "process_start": "fork", "repeat": repeat, "docs_s": docs_s,
            "loop_rate": loop, "norm_docs_s": cpu_loop.normalise(docs_s, loop)}


def test_a_host_that_slows_down_between_two_rows_does_not_change_the_speed_up_per_loop() -> None:
    # Repeat 0: the host at full speed for both rows, 2 workers 1.9x as fast.
    # Repeat 1: the host at half speed for the 2-worker row (its loop too): raw 0.95x.
    runs = [_row(1, 0, 4.0, 10.0), _row(2, 0, 7.6, 10.0),
            _row(2, 1, 3.8, 5.0), _row(1, 1, 4.0, 10.0)]
    [g] = speedups(runs)
    assert [round(x, 2) for x in g["raw"]] == [1.9, 0.95]
    assert [round(x, 2) for x in g["norm"]] == [1.9, 1.9]
    assert round(g["norm_median"], 2) == 1.9 and round(g["raw_median"], 3) == 1.425
    table = "\n".join(speedup_table(runs))
    assert g["loops"] == [1.0, 0.5]
    assert ("| process | cold | 1.90×, 0.95× | 1.42× | 1.00, 0.50 | 1.90×, 1.90× | **1.90×** "
            "| yes | – |") in table


def test_the_cross_check_weighs_each_row_by_its_analysis_cpu_per_report() -> None:
    # The 2-worker row ran on a host 20% slower: each report took 20% more CPU.
    one, two = _row(1, 0, 4.0, 10.0), _row(2, 0, 6.4, 10.0)
    one["analysis_ms_doc"], two["analysis_ms_doc"] = 250.0, 300.0
    [g] = speedups([one, two])
    assert round(g["raw"][0], 2) == 1.6 and round(g["by_cpu_median"], 2) == 1.92


def test_rows_measured_before_the_loop_existed_still_give_their_raw_speed_up() -> None:
    runs = [{"engine": "dask", "workers": w, "warm": True, "docs_s": d}
            for w, d in ((1, 4.0), (2, 7.0))]
    [g] = speedups(runs)
    assert g["raw"] == [1.75] and g["norm"] == [] and g["norm_median"] is None


def test_the_loop_runs_its_copies_at_once_and_its_wall_rate_never_beats_its_cpu_rate() -> None:
    one = cpu_loop.loop_rate(1, iterations=300_000)
    two = cpu_loop.loop_rate(2, iterations=300_000)
    assert one["copies"] == 1 and len(one["wall_s"]) == 1
    assert two["copies"] == 2 and len(two["wall_s"]) == 2
    for r in (one, two):
        # One thread's wall time is at least its CPU time (timer resolution aside).
        assert 0 < r["rate"] <= r["cpu_rate"] * 1.05
