"""Every process daihoi starts ends with its parent.

A child blocked on a pipe or a queue never learns that its parent was killed (SIGKILL cannot be
caught, so the parent cannot tell it): it would live on under init. So each child watches its
parent's id from a daemon thread and exits when it changes. The batch runner's analysis process
(`pipeline.engine.child`) and the web app's process pools (`initializer=exit_with_parent`,
`initargs=(os.getpid(),)`) both call this one function.
"""

from __future__ import annotations

import os
import threading
import time

PARENT_POLL_SECONDS = 0.5


def _watch(parent: int, forked: bool) -> None:
    # Orphans are re-parented (to init or a subreaper): a changed parent id means ours died.
    # A process forked from an analysis process (`child._fork`) is the grandchild of `parent`:
    # it checks that `parent` itself still runs.
    while True:
        if (not _alive(parent)) if forked else os.getppid() != parent:
            os._exit(0)
        time.sleep(PARENT_POLL_SECONDS)


def _alive(pid: int) -> bool:
    """Is process `pid` running (not gone, not a zombie waiting to be reaped)?"""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def exit_with_parent(parent: int, forked: bool = False) -> None:
    """End this process (within PARENT_POLL_SECONDS) once the process `parent` is gone.

    `parent` is the id the parent gave (its `os.getpid()`), not `os.getppid()` read here: if
    the parent died before this runs, the latter would already be init's id. `forked`: this
    process is a copy of `parent`'s child, not its child."""
    threading.Thread(target=_watch, args=(parent, forked), name="daihoi-parent-watch",
                     daemon=True).start()
