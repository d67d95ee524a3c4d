"""A long document's paragraphs shared between this process and one forked helper (issue 16).

The indicator extractor reads a body paragraph by paragraph, each on its own (its words, its
numbers, the rules): ~70% of the time of a long document, on one core. For a long body on a
machine whose other core is free, `analyze_document` forks one helper process at its start:

1. while this process runs the other stages (form, outline, metadata, references, ...), the
   helper segments the words of the paragraphs that hold a digit other than a date, a
   document number or a year (`tokens.prepare_words`), chunk by chunk from the first;
2. when this process reaches the indicators, it sends the helper the extractor's arguments
   (context, excluded spans); the helper answers with the words it segmented (offsets only,
   8 bytes a word), which this process then does not segment again;
3. the spans of the text that hold no quantity (`excluded_spans`: dates, terms, ...; a scan of
   the whole text) are found once: by the helper when it has segmented its paragraphs before
   this process is ready (it would wait otherwise; sent with the words, this process then adds
   the references), else by this process, which sends them to the helper; the helper also
   finds the numbers that cannot be read (`unreadable_numbers`, another scan of the whole
   text, which this process would otherwise make after the indicators, on one core);
4. both take chunks of paragraphs from the two ends of one shared counter (this process from
   the front, where the words are ready, the helper from the back) until they meet, so neither
   waits for the other; the helper sends its chunks' indicators back (and the unreadable
   numbers) and exits.

The indicators are the same, in the same order (chunks are joined by index; every paragraph is
read by the same function with the same arguments); when anything goes wrong in the helper, this
process reads the helper's chunks itself. The helper is never started inside an analysis worker
of `run`/the web app/Dask (they already use every core), with one usable core, when the
machine is busy (1-minute load ≥ cores − 0.75), when this process runs other threads (fork would
copy their locks), or for a text under `MIN_CHARS`. `DAIHOI_SPLIT_JOBS=1` turns it off,
`DAIHOI_SPLIT_JOBS=2` starts it whatever the load.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from pipeline.nlp.tokens import paragraphs

Span = tuple[int, int]
MIN_CHARS = 1_000_000  # shorter texts take a few seconds: a second process is not worth it
CHUNK_CHARS = 32_000  # a chunk of paragraphs: ~0.1 s of work, hundreds per long text
_DIGIT = re.compile(r"\d")
# Digits that are no quantity most of the time: dates, document numbers ("158/2008/QĐ-TTg",
# "18-NQ/TW"), years. Only a guess of which paragraphs the extractor will segment (it needs
# the references, not known yet): a paragraph guessed wrong is segmented when it is read.
_NOT_QUANTITY = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
                           r"|\d[\w.]*[/-][\w./-]*[^\W\d_][\w./-]*"
                           r"|(?<!\d)(?:19|20)\d\d(?!\d)")


def split_jobs(chars: int) -> int:
    """How many processes read the paragraphs of a text of `chars` characters: 1 or 2."""
    wanted = os.environ.get("DAIHOI_SPLIT_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) <= 1:
        return 1
    if chars < MIN_CHARS or _in_worker() or threading.active_count() > 1 \
            or not hasattr(os, "fork"):
        return 1
    if wanted.isdigit():
        return 2  # asked for: whatever the load
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    if cores < 2:
        return 1
    # Only when a core is free: two documents analysed at once, or other programs, already
    # keep them busy, and a second process would then only take time from them.
    return 2 if os.getloadavg()[0] < cores - 0.75 else 1


def _in_worker() -> bool:
    """Inside an analysis worker (`python -m pipeline.engine.child`, a process of a pool)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return getattr(spec, "name", None) == "pipeline.engine.child" \
        or multiprocessing.parent_process() is not None


# What the last helper of this process reported (its CPU seconds, its private memory when it
# answered, its chunks of how many): for benchmarks (bench_memory.py).
LAST_HELPER: dict[str, float] = {}


def _private_mb() -> float:
    """Memory this process does not share (with the parent it was forked from), in MB."""
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as f:
            return sum(int(line.split()[1]) for line in f
                       if line.startswith(("Private_Clean:", "Private_Dirty:"))) / 1024
    except OSError:
        return 0.0


def _chunks(spans: list[Span]) -> list[tuple[int, int]]:
    """Runs of consecutive paragraphs (first index, end index) of about CHUNK_CHARS each."""
    out: list[tuple[int, int]] = []
    first = 0
    size = 0
    for i, (start, end) in enumerate(spans):
        size += end - start
        if size >= CHUNK_CHARS:
            out.append((first, i + 1))
            first, size = i + 1, 0
    if first < len(spans):
        out.append((first, len(spans)))
    return out


class ParagraphSplit:
    """The helper process of one document (see the module doc). The object is what
    `document_indicators(..., split=)` is given, after `same_text` said yes: called, it is
    `share`; its `excluded_spans` and `unreadable_numbers` stand in for the extractor's
    functions of those names. `close` always ends the helper."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = list(paragraphs(text))
        self.chunks = _chunks(self.spans)
        self.fingerprint = (len(text), hash(text))
        # Loaded before the fork, once for both: the helper segments at once, and this
        # process segments the paragraphs the helper did not guess it would need.
        from pipeline.nlp.segmenter import segmenter

        segmenter().tags(["khởi", "động"])
        context = multiprocessing.get_context("fork")
        # [next chunk from the front, end of the chunks not yet taken from the back]
        self.bounds = context.Array("l", [0, len(self.chunks)])
        self.conn, child_conn = multiprocessing.Pipe()
        self.arguments: dict[str, Any] | None = None  # what the helper was sent
        self.working = False  # the helper answered and reads chunks
        self.spans_sent = False
        self.base: list[Span] | None = None  # the helper's `excluded_spans(text)`, if it sent them
        self.helper_scanned = False
        self.unreadable: list[tuple[int, str]] | None = None  # what the helper found
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the helper: never returns
            code = 0
            try:
                self.conn.close()
                _Helper(self, child_conn).serve()
            except BaseException:  # noqa: BLE001 - the parent reads the chunks itself
                code = 1
            finally:
                os._exit(code)
        child_conn.close()

    @classmethod
    def start(cls, text: str) -> ParagraphSplit | None:
        """A helper for `text`, or None when one process reads it (`split_jobs`)."""
        if split_jobs(len(text)) < 2:
            return None
        try:
            return cls(text)
        except (OSError, ValueError):  # no fork here after all, no process left: one process
            return None

    def same_text(self, text: str) -> bool:
        """Whether `text` is the text the helper knows (what the stages before the indicators
        did left it unchanged); if not, the caller reads it alone."""
        return (len(text), hash(text)) == self.fingerprint

    def share(self, arguments: dict[str, Any]) -> Callable[..., list[Any]]:
        """This process's side, step 1 (`extract_indicators(..., split=)` calls it first):
        send the helper the extractor's `arguments` and take the words it segmented."""
        from pipeline.nlp.tokens import prepare_words

        try:
            self.conn.send(arguments)
            prepared, self.base = self.conn.recv()
            self.helper_scanned = self.base is not None  # then it expects no spans from here
            for index, flat in prepared.items():
                start, end = self.spans[index]
                prepare_words(self.text[start:end], flat)
            self.working = True
            self.arguments = arguments
            self.text = ""  # not needed here any more (memory)
        except (EOFError, OSError):
            self.working = False
        working = self.working
        return lambda run, spans: self._collect(run, spans, working)

    __call__ = share

    def excluded_spans(self, text: str, excluded: list[Span]) -> list[Span]:
        """`indicators.excluded_spans(text, excluded)`: from the helper's scan of the text when
        it sent one, else found here and sent to the helper (which does not look again)."""
        from pipeline.extract.indicators import excluded_spans

        same = (len(text), hash(text)) == self.fingerprint
        if self.base is not None and same:
            # The helper's scan plus the references: `excluded_spans(text, excluded)` is the
            # sorted spans of the text and the extra ones (tests/test_paragraph_split.py).
            spans = sorted(self.base + list(excluded))
            self.base = None  # (memory) the helper expects nothing from here
            return spans
        spans = excluded_spans(text, excluded)
        if self.working and not self.spans_sent and same and not self.helper_scanned:
            self._send_spans(spans)
        return spans

    def _send_spans(self, spans: list[Span] | None) -> None:
        """The helper's second message: the excluded spans, or None (it finds them itself)."""
        self.spans_sent = True
        try:
            self.conn.send(spans)
        except OSError:  # the helper is gone: its chunks are read here
            self.working = False

    def unreadable_numbers(self, text: str, excluded: list[Span]) -> list[tuple[int, str]]:
        """`indicators.unreadable_numbers(text, excluded)`: what the helper found, when it was
        asked about this text and these spans; else found here."""
        arguments = self.arguments or {}
        if self.unreadable is not None and (len(text), hash(text)) == self.fingerprint \
                and list(excluded) == arguments.get("excluded"):
            return self.unreadable
        from pipeline.extract.indicators import unreadable_numbers

        return unreadable_numbers(text, excluded)

    def _collect(self, run: Callable[[Span], list[Any]], spans: list[Span],
                 working: bool) -> list[Any]:
        """Step 2: read chunks from the front, then join the helper's chunks in order."""
        from pipeline.nlp.tokens import forget_prepared

        by_chunk: dict[int, list[Any]] = {}
        if working and not self.spans_sent and not self.helper_scanned:
            self._send_spans(None)  # the extractor did not ask this object for them
        working = working and self.working
        try:
            if spans != self.spans:  # not the text of the fork: read it all here
                return [found for span in spans for found in run(span)]
            while working:
                with self.bounds.get_lock():
                    lo, hi = self.bounds[0], self.bounds[1]
                    if lo >= hi:
                        break
                    self.bounds[0] = lo + 1
                by_chunk[lo] = self._read(run, lo)
            # The words of the chunks the helper read, of paragraphs with no indicator: freed
            # before its indicators arrive (the peak of memory is then).
            forget_prepared()
            if working:
                try:
                    stats, theirs, self.unreadable = self.conn.recv()
                    by_chunk.update(theirs)
                    LAST_HELPER.clear()
                    LAST_HELPER.update(stats, chunks=len(theirs), of=len(self.chunks))
                except (EOFError, OSError):
                    pass
            found: list[Any] = []
            for index in range(len(self.chunks)):
                # A chunk the helper did not send back (it failed or stopped): read here.
                found.extend(by_chunk[index] if index in by_chunk else self._read(run, index))
            return found
        finally:
            forget_prepared()

    def _read(self, run: Callable[[Span], list[Any]], index: int) -> list[Any]:
        first, end = self.chunks[index]
        out: list[Any] = []
        for span in self.spans[first:end]:
            out.extend(run(span))
        return out

    def close(self) -> None:
        """End the helper (at once if it is still working) and reap it."""
        try:
            self.conn.close()
        except OSError:
            pass
        try:
            pid, _status = os.waitpid(self.pid, os.WNOHANG)
            if pid == 0:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass


class _Helper:
    """The forked process's side."""

    def __init__(self, split: ParagraphSplit, conn: Connection) -> None:
        self.split = split
        self.conn = conn
        self.parent = os.getppid()
        self.prepared: dict[int, Any] = {}  # paragraph index -> its words' offsets
        self.unreadable: list[tuple[int, str]] | None = None
        self.spans_from_parent = False
        self.base: list[Span] | None = None  # excluded_spans(text): found while waiting
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the helper too
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def serve(self) -> None:
        self._prepare()
        while not self.conn.poll(1.0):
            if os.getppid() != self.parent:
                return  # the parent is gone: nothing to wait for
        arguments = self.conn.recv()
        self.conn.send((self.prepared, self.base))
        # Kept here only for the back half, where this process reads (memory: the front half
        # is the parent's; a chunk read here without its words is segmented again).
        from pipeline.nlp.tokens import prepare_words

        split, text = self.split, self.split.text
        back = split.chunks[len(split.chunks) // 2][0] if split.chunks else 0
        for index, flat in self.prepared.items():
            if index >= back:
                start, stop = split.spans[index]
                prepare_words(text[start:stop], flat)
        self.prepared = {}
        from pipeline.extract.indicators import extract_indicators, unreadable_numbers

        # While the parent finds the excluded spans (`ParagraphSplit.excluded_spans`).
        self.unreadable = unreadable_numbers(text, arguments["excluded"])
        extract_indicators(text, **arguments, split=self)

    def _prepare(self) -> None:
        """Segment the paragraphs with a digit that may be a quantity (only they can hold an
        indicator), chunk by chunk from the first, until the parent is ready for the
        indicators."""
        from pipeline.nlp.tokens import flat_words

        split, text = self.split, self.split.text
        for first, end in split.chunks:
            if self.conn.poll() or os.getppid() != self.parent:
                return
            for index in range(first, end):
                start, stop = split.spans[index]
                paragraph = text[start:stop]
                if _DIGIT.search(_NOT_QUANTITY.sub("", paragraph)):
                    self.prepared[index] = flat_words(paragraph)
        # Done before the parent is ready: the scan it would make (while it waits, if it
        # becomes ready meanwhile: never longer than the scan it is spared).
        from pipeline.extract.indicators import excluded_spans

        self.base = excluded_spans(text)

    def __call__(self, _arguments: dict[str, Any]) -> Callable[..., list[Any]]:
        return self._claim

    def excluded_spans(self, text: str, excluded: list[Span]) -> list[Span]:
        """From the scan made here while waiting, or the parent's (the same function, same
        arguments), or found here if it sent none."""
        if self.base is not None:
            return sorted(self.base + list(excluded))
        while not self.conn.poll(1.0):
            if os.getppid() != self.parent:
                os._exit(0)  # the parent is gone
        spans = self.conn.recv()
        self.spans_from_parent = spans is not None
        if spans is None:
            from pipeline.extract.indicators import excluded_spans

            spans = excluded_spans(text, excluded)
        return spans

    def _claim(self, run: Callable[[Span], list[Any]], spans: list[Span]) -> list[Any]:
        split = self.split
        by_chunk: dict[int, list[Any]] = {}
        while spans == split.spans:  # else the parent reads every chunk itself
            with split.bounds.get_lock():
                lo, hi = split.bounds[0], split.bounds[1]
                if lo >= hi:
                    break
                split.bounds[1] = hi - 1
            by_chunk[hi - 1] = split._read(run, hi - 1)
        self.conn.send(({"cpu_s": time.process_time(), "private_mb": _private_mb(),
                         "spans_from_parent": float(self.spans_from_parent),
                         "scanned_here": float(self.base is not None)}, by_chunk,
                        self.unreadable))
        self.conn.close()
        os._exit(0)
