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


def _watch(parent: int) -> None:
    # Orphans are re-parented (to init or a subreaper): a changed parent id means ours died.
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(PARENT_POLL_SECONDS)


def exit_with_parent(parent: int) -> None:
    """End this process (within PARENT_POLL_SECONDS) once the process `parent` is gone.

    `parent` is the id the parent gave (its `os.getpid()`), not `os.getppid()` read here: if
    the parent died before this runs, the latter would already be init's id."""
    threading.Thread(target=_watch, args=(parent,), name="daihoi-parent-watch",
                     daemon=True).start()
