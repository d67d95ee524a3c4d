"""The terminal progress line of a run, the same for every executor: documents done of all,
documents per second and the time left (from the recent rate), and the last file finished."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Documents per second over the last samples rich keeps (so a slow start fades out)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if not speed:
            return Text("– doc/s", style="progress.data.speed")
        return Text(f"{speed:.1f} doc/s" if speed < 100 else f"{speed:.0f} doc/s",
                    style="progress.data.speed")


def run_progress(console: Console, label: str) -> Progress:
    """A progress display on `console` (stderr); add one task with `name=""` field."""
    return Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), RateColumn(),
        TimeRemainingColumn(), TextColumn("{task.fields[name]}", markup=False),
        console=console, transient=True, speed_estimate_period=60.0,
        # Redrawn twice a second, not rich's ten: the line is read by a person, and each redraw
        # is CPU taken from the workers (~1% of a core at ten a second, measured in a run).
        refresh_per_second=2,
    )
