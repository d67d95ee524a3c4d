"""`pipeline.paragraph_split`: a long body read by this process and a forked helper gives the
same report as one process, when the helper works, when it is slow to start, when it dies; the
helper is never left behind; it is not started where it would take a busy core."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline import paragraph_split
from pipeline.analysis import analyze_document
from pipeline.contract import report_record
from pipeline.extract.indicators import Context, extract_indicators
from pipeline.ingest import load
from pipeline.paragraph_split import ParagraphSplit, split_jobs

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seeds" / "000_4435fb2a97849b7c.txt"


@pytest.fixture()
def forced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split whatever the size and the load; small chunks so both processes take some. (A
    thread another test left behind in this pytest process must not stop it.)"""
    monkeypatch.setenv("DAIHOI_SPLIT_JOBS", "2")
    monkeypatch.setattr(paragraph_split, "MIN_CHARS", 0)
    monkeypatch.setattr(paragraph_split, "CHUNK_CHARS", 3000)
    monkeypatch.setattr(paragraph_split.threading, "active_count", lambda: 1)


@pytest.fixture()
def started(monkeypatch: pytest.MonkeyPatch) -> list[ParagraphSplit | None]:
    """The helpers `analyze_document` starts."""
    helpers: list[ParagraphSplit | None] = []
    original = ParagraphSplit.start.__func__  # type: ignore[attr-defined]

    def start(cls: type[ParagraphSplit], text: str) -> ParagraphSplit | None:
        helper = original(cls, text)
        helpers.append(helper)
        return helper

    monkeypatch.setattr(ParagraphSplit, "start", classmethod(start))
    return helpers


def _record(path: Path) -> str:
    record = report_record(analyze_document(load(path)))
    return json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)


def _gone(helper: ParagraphSplit | None) -> None:
    """The helper process was ended and reaped (not left as a zombie or still running)."""
    assert helper is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(helper.pid, os.WNOHANG)


def test_same_report_as_one_process(forced: None, started: list[ParagraphSplit | None],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    paragraph_split.LAST_HELPER.clear()
    split = _record(SEED)
    assert paragraph_split.LAST_HELPER["cpu_s"] > 0  # the helper answered
    monkeypatch.setenv("DAIHOI_SPLIT_JOBS", "1")
    assert _record(SEED) == split
    assert len(started) == 2 and started[1] is None  # the second run: one process
    _gone(started[0])


def _slowed(helper: ParagraphSplit) -> Any:
    """`helper.share` with this process's paragraphs read slowly: the helper takes chunks."""

    def share(arguments: Any) -> Any:
        collect = helper.share(arguments)

        def slow_collect(run: Any, spans: Any) -> Any:
            def slow(span: Any) -> Any:
                time.sleep(0.002)
                return run(span)

            return collect(slow, spans)

        return slow_collect

    return share


def test_helper_reads_chunks_and_they_come_back_in_order(forced: None) -> None:
    text = load(SEED).text
    expected = extract_indicators(text, Context(year=2020))
    helper = ParagraphSplit(text)
    try:
        found = extract_indicators(text, Context(year=2020), split=_slowed(helper))
        assert helper.bounds[1] < len(helper.chunks)  # the helper took chunks from the back
    finally:
        helper.close()
    assert len(found) > 50
    assert found == expected
    _gone(helper)


def test_a_dead_helper_is_a_slower_run_not_a_different_one(forced: None) -> None:
    text = load(SEED).text
    expected = extract_indicators(text, Context(year=2020))
    helper = ParagraphSplit(text)
    os.kill(helper.pid, signal.SIGKILL)
    try:
        assert extract_indicators(text, Context(year=2020), split=helper.share) == expected
    finally:
        helper.close()
    _gone(helper)


def test_not_started_where_it_would_take_a_busy_core(monkeypatch: pytest.MonkeyPatch) -> None:
    big = 2 * paragraph_split.MIN_CHARS
    threads = threading.active_count
    # Whatever threads other tests left in this process: one, then two for the thread rule.
    monkeypatch.setattr(paragraph_split.threading, "active_count", lambda: 1)
    monkeypatch.setenv("DAIHOI_SPLIT_JOBS", "1")
    assert split_jobs(big) == 1
    monkeypatch.setenv("DAIHOI_SPLIT_JOBS", "2")
    assert split_jobs(big) == 2
    assert split_jobs(paragraph_split.MIN_CHARS - 1) == 1  # short: not worth a process
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    monkeypatch.setattr(paragraph_split.threading, "active_count", threads)
    try:
        assert split_jobs(big) == 1  # fork would copy another thread's locks
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(paragraph_split.threading, "active_count", lambda: 1)
    monkeypatch.delenv("DAIHOI_SPLIT_JOBS")
    monkeypatch.setattr(os, "getloadavg", lambda: (5.0, 5.0, 5.0))
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    assert split_jobs(big) == 1  # both cores busy
    monkeypatch.setattr(os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    assert split_jobs(big) == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    assert split_jobs(big) == 1  # one core


def test_an_error_in_a_stage_ends_the_helper(forced: None, started: list[ParagraphSplit | None],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.analysis as analysis

    def broken(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("a stage failed")

    # Before the indicators (the helper is segmenting) — as the serial engine's time limit
    # or Ctrl-C would interrupt the analysis.
    monkeypatch.setattr(analysis, "document_references", broken)
    with pytest.raises(RuntimeError):
        analyze_document(load(SEED))
    _gone(started[0])


def test_the_whole_text_scans_are_made_once_each(forced: None,
                                                 started: list[ParagraphSplit | None],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The excluded spans are found by this process and sent to the helper; the unreadable
    numbers by the helper and sent back: the same warnings and indicators as one process."""
    import pipeline.extract.indicators as indicators

    paragraph_split.LAST_HELPER.clear()

    def document() -> Any:
        doc = load(SEED)
        # A number no convention reads: reported, not guessed.
        doc.blocks[3].text += " Có 1.23.456 người tham gia."
        return doc

    calls: list[str] = []
    original = indicators.unreadable_numbers

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append("here")
        return original(*args, **kwargs)

    monkeypatch.setattr(indicators, "unreadable_numbers", counted)
    split = analyze_document(document())
    # The excluded spans: scanned by exactly one of the two processes.
    assert paragraph_split.LAST_HELPER["spans_from_parent"] \
        + paragraph_split.LAST_HELPER["scanned_here"] == 1.0
    assert started[0] is not None and started[0].unreadable  # the helper found it ...
    assert calls == []  # ... and this process did not look again
    monkeypatch.setenv("DAIHOI_SPLIT_JOBS", "1")
    alone = analyze_document(document())
    assert calls == ["here"]
    assert any("1.23.456 người" in w for w in split.document.warnings)
    assert split.document.warnings == alone.document.warnings
    assert split.indicators == alone.indicators
    _gone(started[0])


def test_an_extractor_that_does_not_ask_for_the_spans_still_gets_the_same_indicators(
        forced: None) -> None:
    """A plain callable as `split` (the extractor's functions not replaced): the helper is
    told so and finds the spans itself."""
    text = load(SEED).text
    expected = extract_indicators(text, Context(year=2020))
    helper = ParagraphSplit(text)
    paragraph_split.LAST_HELPER.clear()
    try:
        assert extract_indicators(text, Context(year=2020), split=_slowed(helper)) == expected
    finally:
        helper.close()
    assert paragraph_split.LAST_HELPER["spans_from_parent"] == 0.0
    _gone(helper)


def test_the_parent_scans_when_the_helper_is_not_done_first(
        forced: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper still segmenting when this process reaches the indicators (here: it never
    started) scans nothing: this process finds the spans and sends them."""
    monkeypatch.setattr(paragraph_split._Helper, "_prepare", lambda self: None)
    text = load(SEED).text
    expected = extract_indicators(text, Context(year=2020))
    helper = ParagraphSplit(text)
    paragraph_split.LAST_HELPER.clear()
    try:
        assert extract_indicators(text, Context(year=2020), split=helper) == expected
    finally:
        helper.close()
    assert paragraph_split.LAST_HELPER["spans_from_parent"] == 1.0
    assert paragraph_split.LAST_HELPER["scanned_here"] == 0.0
    _gone(helper)


def test_excluded_spans_are_the_text_scan_and_the_extra_spans_sorted() -> None:
    """What the split relies on when the helper scanned the text alone: the references added
    to `excluded_spans(text)` and sorted give `excluded_spans(text, references)`."""
    from pipeline.extract.indicators import excluded_spans
    from pipeline.extract.references import document_references

    doc = load(SEED)
    text = doc.text
    refs = [(r.start, r.end) for r in document_references(doc) if r.where == "body"]
    assert refs
    made_up = [(7, 9), (0, 40), (len(text) - 5, len(text)), (7, 9)]
    for extra in (refs, made_up, refs + made_up):
        assert excluded_spans(text, extra) == sorted(excluded_spans(text) + extra)
