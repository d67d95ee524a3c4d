"""Tesseract for `ocr.py`: in this process through its C API when libtesseract can be loaded,
else the `tesseract` command, one process per call.

The C API reads the model once per engine (not once per page), takes the page's grey pixels as
they are (no PNG to encode and decode) and releases the GIL while it recognises, so the two
pages read at a time really run on two cores. Both paths give the same TSV (the same library
does the work; `tests/test_ocr.py` compares them).

Tesseract's LSTM asks OpenMP for several threads per page; with pages already in parallel they
fight over the cores, so OpenMP is held to one thread. The command gets OMP_THREAD_LIMIT=1 in
its environment; for the library the variable is set only while libgomp loads (it reads it
then) and restored afterwards, so other OpenMP users in the process keep their threads. If
libgomp was loaded before (the limit could not apply) the command is used.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import io
import os
import re
import subprocess
import threading
from functools import cache
from typing import Any, Protocol

LANG = "vie"
PSM_BLOCK = 6  # one uniform block of text: measured best on report pages
PSM_LINE = 7
PSM_WORD = 8
DIGITS = "0123456789-"
TSV_HEADER = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\t"
              "height\tconf\ttext\n")


class Engine(Protocol):
    name: str

    def page_tsv(self, image: Any, dpi: int, timeout_s: float) -> str:
        """Tesseract's TSV of a greyscale PIL image read as one block (psm 6)."""

    def digits(self, image: Any, dpi: int, timeout_s: float, psm: int = PSM_LINE) -> str:
        """Digits and dashes read alone: a page number (psm 7, a line), a footnote marker
        (psm 8, a word)."""


def command_env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def png(image: Any) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


class CommandEngine:
    """The `tesseract` command: a process (and a model load) per call."""

    name = "tesseract command"

    def page_tsv(self, image: Any, dpi: int, timeout_s: float) -> str:
        proc = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", LANG, "--psm", str(PSM_BLOCK), "--dpi",
             str(dpi), "tsv"],
            input=png(image), capture_output=True, timeout=timeout_s, env=command_env(),
            check=True)
        return proc.stdout.decode("utf-8", "replace")

    def digits(self, image: Any, dpi: int, timeout_s: float, psm: int = PSM_LINE) -> str:
        proc = subprocess.run(
            ["tesseract", "stdin", "stdout", "--psm", str(psm), "-c",
             f"tessedit_char_whitelist={DIGITS}", "--dpi", str(dpi)],
            input=png(image), capture_output=True, timeout=timeout_s, env=command_env(),
            check=False)
        return proc.stdout.decode("utf-8", "replace").strip()


class _Handles:
    """Initialised TessBaseAPI objects, reused across pages and documents (a free list: an API
    object may move between threads, never be used by two at once)."""

    def __init__(self, lib: ctypes.CDLL, lang: bytes, psm: int,
                 variables: dict[bytes, bytes]) -> None:
        self.lib, self.lang, self.psm, self.variables = lib, lang, psm, variables
        self.free: list[int] = []
        self.every: list[int] = []
        self.lock = threading.Lock()

    def take(self) -> int:
        with self.lock:
            if self.free:
                return self.free.pop()
        lib = self.lib
        api = lib.TessBaseAPICreate()
        if lib.TessBaseAPIInit3(api, None, self.lang) != 0:
            lib.TessBaseAPIDelete(api)
            raise OSError(f"libtesseract could not load the '{self.lang.decode()}' model")
        lib.TessBaseAPISetPageSegMode(api, self.psm)
        for name, value in self.variables.items():
            lib.TessBaseAPISetVariable(api, name, value)
        with self.lock:
            self.every.append(api)
        return api

    def give(self, api: int) -> None:
        with self.lock:
            self.free.append(api)

    def close(self) -> None:
        with self.lock:
            for api in self.every:
                self.lib.TessBaseAPIEnd(api)
                self.lib.TessBaseAPIDelete(api)
            self.every.clear()
            self.free.clear()


class LibraryEngine:
    """libtesseract through its C API (see the module docstring)."""

    name = "libtesseract"

    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib = lib
        # Tesseract's notes ("Image too small to scale!!" on a tiny crop) are not ours to
        # print.
        quiet = {b"debug_file": os.devnull.encode()}
        self.pages = _Handles(lib, LANG.encode(), PSM_BLOCK, quiet)
        # Numbers are read with the default model, as the command does.
        self.numbers = {psm: _Handles(lib, b"eng", psm,
                                      {**quiet, b"tessedit_char_whitelist": DIGITS.encode()})
                        for psm in (PSM_LINE, PSM_WORD)}
        atexit.register(self.close)

    def close(self) -> None:
        self.pages.close()
        for handles in self.numbers.values():
            handles.close()

    def _recognise(self, handles: _Handles, image: Any, dpi: int, timeout_s: float,
                   tsv: bool) -> str:
        lib = self.lib
        image = image.convert("L")
        data = image.tobytes()
        api = handles.take()
        monitor = lib.TessMonitorCreate()
        try:
            lib.TessBaseAPISetImage(api, data, image.width, image.height, 1, image.width)
            lib.TessBaseAPISetSourceResolution(api, dpi)
            lib.TessMonitorSetDeadlineMSecs(monitor, int(timeout_s * 1000))
            if lib.TessBaseAPIRecognize(api, monitor) != 0:
                raise OSError("Tesseract could not read the page (or ran out of time)")
            text = (lib.TessBaseAPIGetTsvText(api, 0) if tsv
                    else lib.TessBaseAPIGetUTF8Text(api))
            if not text:
                return ""
            try:
                return ctypes.string_at(text).decode("utf-8", "replace")
            finally:
                lib.TessDeleteText(text)
        finally:
            lib.TessMonitorDelete(monitor)
            lib.TessBaseAPIClear(api)
            handles.give(api)

    def page_tsv(self, image: Any, dpi: int, timeout_s: float) -> str:
        # The command's TSV renderer writes the header line; the API gives only the rows.
        return TSV_HEADER + self._recognise(self.pages, image, dpi, timeout_s, tsv=True)

    def digits(self, image: Any, dpi: int, timeout_s: float, psm: int = PSM_LINE) -> str:
        return self._recognise(self.numbers[psm], image, dpi, timeout_s, tsv=False).strip()


def _declare(lib: ctypes.CDLL) -> None:
    vp, i, s = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
    text = ctypes.c_void_p  # char* that must go back to TessDeleteText
    for name, restype, argtypes in (
        ("TessBaseAPICreate", vp, []),
        ("TessBaseAPIInit3", i, [vp, s, s]),
        ("TessBaseAPISetPageSegMode", None, [vp, i]),
        ("TessBaseAPISetVariable", i, [vp, s, s]),
        ("TessBaseAPISetImage", None, [vp, s, i, i, i, i]),
        ("TessBaseAPISetSourceResolution", None, [vp, i]),
        ("TessBaseAPIRecognize", i, [vp, vp]),
        ("TessBaseAPIGetTsvText", text, [vp, i]),
        ("TessBaseAPIGetUTF8Text", text, [vp]),
        ("TessDeleteText", None, [text]),
        ("TessBaseAPIClear", None, [vp]),
        ("TessBaseAPIEnd", None, [vp]),
        ("TessBaseAPIDelete", None, [vp]),
        ("TessMonitorCreate", vp, []),
        ("TessMonitorSetDeadlineMSecs", None, [vp, i]),
        ("TessMonitorDelete", None, [vp]),
    ):
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes


def _gomp_loaded() -> bool:
    """The system's libgomp (the one libtesseract uses) is mapped already. A wheel's own copy
    (scikit-learn's "libgomp-<hash>.so") is another library with its own settings."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            return any(_SYSTEM_GOMP.search(line.rstrip()) for line in maps)
    except OSError:
        return False


def _load_library() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("tesseract")
    if name is None or _gomp_loaded():
        return None
    before = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        lib = ctypes.CDLL(name)
        _declare(lib)
    except (OSError, AttributeError):
        return None
    finally:
        if before is None:
            del os.environ["OMP_THREAD_LIMIT"]
        else:
            os.environ["OMP_THREAD_LIMIT"] = before
    return lib


_LOCK = threading.Lock()
_SYSTEM_GOMP = re.compile(r"/libgomp\.so\.1(?:\.\d+)*$")


@cache
def _cached_engine(prefer_library: bool) -> Engine:
    if prefer_library:
        lib = _load_library()
        if lib is not None:
            engine = LibraryEngine(lib)
            try:  # the model must load; else the command says what is wrong, page by page
                engine.pages.give(engine.pages.take())
                return engine
            except OSError:
                engine.close()
    return CommandEngine()


def get_engine() -> Engine:
    """The engine for this process: the library unless DAIHOI_OCR_ENGINE=command."""
    prefer = os.environ.get("DAIHOI_OCR_ENGINE", "library") != "command"
    with _LOCK:
        return _cached_engine(prefer)
