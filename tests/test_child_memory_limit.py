"""The analysis process's address-space cap under a tighter limit set from outside
(`prlimit --as`, a container): it keeps that limit and starts, instead of failing with
"not allowed to raise maximum limit"."""
import subprocess
import sys

SCRIPT = """
import resource
from pipeline.engine.child import _limit_memory
outer = 6000 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (outer, outer))
_limit_memory(20000)  # asks for more than the outer hard limit allows
print(resource.getrlimit(resource.RLIMIT_AS)[1] == outer)
_limit_memory(3000)   # a tighter cap is still applied
print(resource.getrlimit(resource.RLIMIT_AS)[1] == 3000 * 1024 * 1024)
"""


def test_cap_above_an_outer_hard_limit_keeps_the_outer_one() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
