"""The machine's speed right now, from a fixed pure-Python CPU loop, to normalise throughputs
measured at different moments of a run.

A shared or virtual host drifts: in one benchmark run of session 4 an analysis process's own
CPU time per report (which the other processes on a free core cannot inflate) moved from 223
to 311 ms. A speed-up is a ratio of two rows timed a minute apart, so it inherits that drift.
Timing the same loop right before (and after) each row measures the speed the row had;
dividing the row's documents per second by the loop's rate (`normalise`) gives a throughput
in units of the machine's speed at that moment.

`loop_rate(copies)` runs the loop in `copies` processes at once (forked, started together
behind a barrier) and gives each one's rate from its WALL time: with 2 copies on 2 free cores
each runs at the single-core rate; when one core is busy with something else (another user, a
hog), the copies share what is left and their rate drops, exactly as a 2-worker row's does.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from typing import Any

# ~0.3-0.4 s on a core of the 2-core development machine: long enough that a scheduler tick
# or a timer's resolution is lost in it and that the host's second-to-second swings (its rate
# moved between 12 and 18 M/s within seconds on the shared machine) average a little, short
# enough that 2 loops per benchmark row cost little.
ITERATIONS = 5_000_000


def spin(iterations: int = ITERATIONS) -> tuple[float, float]:
    """The fixed loop: (wall seconds, CPU seconds) it took in this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    s = 0
    for i in range(iterations):
        s += i * i % 7
    return time.perf_counter() - wall, time.process_time() - cpu


def _copy(barrier: Any, queue: Any, iterations: int) -> None:
    barrier.wait()
    queue.put(spin(iterations))


def loop_rate(copies: int = 1, iterations: int = ITERATIONS) -> dict[str, Any]:
    """The loop run by `copies` processes at once: `rate` = the mean of each copy's
    iterations per wall second, in millions (the speed one worker would have had),
    `cpu_rate` the same per CPU second (the host's own speed, contention left out), and
    each copy's wall seconds."""
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(copies), ctx.Queue()
    procs = [ctx.Process(target=_copy, args=(barrier, queue, iterations), daemon=True)
             for _ in range(copies)]
    for p in procs:
        p.start()
    times = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join()
    return {"copies": copies,
            "rate": statistics.mean(iterations / w / 1e6 for w, _ in times),
            "cpu_rate": statistics.mean(iterations / c / 1e6 for _, c in times if c > 0),
            "wall_s": [round(w, 4) for w, _ in times]}


def around(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The loop's rate over a row: the mean of the measurements before and after it."""
    return {"copies": before["copies"],
            "rate": (before["rate"] + after["rate"]) / 2,
            "cpu_rate": (before["cpu_rate"] + after["cpu_rate"]) / 2,
            "before": before["rate"], "after": after["rate"]}


def normalise(docs_s: float, rate: float) -> float:
    """Documents per second in units of the loop: documents per million loop iterations."""
    return docs_s / rate
