"""Fuzz test (issue 16, part 9): a few hundred inputs mutated from the corpus — bit flips,
truncation, damage to a DOCX zip entry, huge lines, deep nesting — each answered by a report
or a typed error (`DaihoiError`) within its time limit: no traceback, no hang. Every 40th input
goes through the whole analysis, the rest through the readers. A longer run:
`python benchmarks/bench_fuzz.py --count 3000`."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.fuzz import KINDS, mutants, run  # noqa: E402

COUNT = 250
TIMEOUT_S = 30.0


def test_mutated_inputs_get_a_report_or_a_typed_error(tmp_path: Path) -> None:
    paths = list(mutants(tmp_path, COUNT))
    results = run(paths, TIMEOUT_S, full_every=40)
    assert len(results) == COUNT
    outcomes = Counter(outcome for _, outcome, _, _ in results)
    bad = [(p.name, outcome, detail) for p, outcome, detail, _ in results
           if outcome not in ("report", "error")]
    assert not bad, bad[:3]
    # Both answers occur: the mutants are neither all harmless nor all rejected.
    assert outcomes["report"] > 20 and outcomes["error"] > 20
    # Every kind of mutation was tried.
    assert {k for p in paths for k in KINDS if f"_{k}_" in p.name} == set(KINDS)


def test_a_zip_claiming_an_unknown_version_is_corrupt(tmp_path: Path) -> None:
    """Found by the long fuzz run: zipfile raised NotImplementedError ("zip file version
    14.8") from a bit flip in the central directory, a traceback instead of an error."""
    from pipeline.errors import IngestError
    from pipeline.ingest import load

    data = bytearray((ROOT / "corpus" / "docx" / "001_11fa4c8372dfa292.docx").read_bytes())
    at = data.index(b"PK\x01\x02")  # first central directory entry
    data[at + 6:at + 8] = (148).to_bytes(2, "little")  # "version needed to extract": 14.8
    target = tmp_path / "phien_ban_la.docx"
    target.write_bytes(bytes(data))
    try:
        load(target)
    except IngestError as exc:
        assert exc.code == "corrupt"
    else:
        raise AssertionError("a damaged zip was read as a report")
