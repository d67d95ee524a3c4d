"""Faster paths of a long document's analysis (issue 16) that must give exactly what the plain
code gives: the report record's dicts, the table-of-contents test, the fold of a long text."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

from pipeline.contract import _as_dict, report_record
from pipeline.ingest import load, normalize
from pipeline.ingest.normalize import fold_same_length, forget_long_fold
from pipeline.ingest.toc import _ENTRY, _is_entry
from pipeline.model import Finding, Indicator, Reference

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seeds" / "000_4435fb2a97849b7c.txt"


def test_record_dicts_are_asdicts() -> None:
    objects = [
        Indicator(subject="đảng viên", value=12.0, unit="person", surface="12 đảng viên",
                  start=3, end=15, key="members_total", period="2020-2025"),
        Reference(id="57-NQ/TW", kind="party", surface="Nghị quyết 57-NQ/TW", start=0, end=19,
                  year=2024, type="NQ"),
        # A value that is not plain: a dict inside (copied by asdict).
        Finding(kind="total_mismatch", severity="warning", message="x", start=1, end=2,
                details={"parts": [1, 2], "row": 3}),
        Indicator(subject="", value=True, unit="count", surface="1", start=0, end=1),
    ]
    for obj in objects:
        fast, plain = _as_dict(obj), asdict(obj)
        assert fast == plain and list(fast) == list(plain)  # same keys in the same order
    finding = objects[2]
    assert _as_dict(finding)["details"] is not finding.details  # copied, as asdict does


def test_report_record_unchanged_on_a_real_report() -> None:
    from pipeline.analysis import analyze_document

    report = analyze_document(load(SEED))
    record = report_record(report)
    assert record["indicators"] == [asdict(i) for i in report.indicators]
    assert record["references"] == [asdict(r) for r in report.references]
    assert record["findings"] == [asdict(f) for f in report.findings]


def test_table_of_contents_test_is_the_entry_pattern() -> None:
    lines = [
        "1. Kết quả đạt được ......... 3", "Phần thứ nhất……12", "II. Nhiệm vụ . . . . . 7",
        "Mục lục\t.\t.\t.\t.\tiv", "Phụ lục ____ 9", "Tình hình ···· 5", "a) Kinh tế .... ٣",
        "Kết quả đạt được ... 3", "Năm 2020.", "Trang 4 . . . 5", "…… chỉ có dấu", "....",
        "Đảng bộ có 120 đảng viên. . . . và", "x" * 300 + " . . . . 12",
    ]
    lines += load(SEED).text.split("\n")
    for line in lines:
        assert _is_entry(line, None) == bool(_ENTRY.match(line)), line
    assert _is_entry("Chương I", "TOC 1")


def test_a_long_text_is_folded_once_and_forgotten() -> None:
    forget_long_fold()
    text = "Đảng viên " * 20_000
    first = fold_same_length(text)
    assert first == text.translate(normalize._FOLD_TABLE) and len(first) == len(text)
    assert fold_same_length("".join(text)) is first  # an equal text: the same fold
    other = text[:-1] + "Ả"  # same length, another text
    assert fold_same_length(other) == other.translate(normalize._FOLD_TABLE) != first
    forget_long_fold()
    assert normalize._LAST_FOLD is None
    short = "Hòa Bình"
    assert fold_same_length(short) == "hoa binh" and normalize._LAST_FOLD is None


def test_an_analysis_keeps_no_fold() -> None:
    from pipeline.analysis import analyze_document

    doc = load(SEED)
    doc.blocks[0].text += " " + "Đảng viên " * 12_000  # long enough to be remembered
    analyze_document(doc)
    assert normalize._LAST_FOLD is None
    assert re.search("dang vien", fold_same_length(doc.text))


def test_unparsed_numbers_outside_the_references_as_the_plain_scan() -> None:
    """Overlap with the references found by bisection: the spans the scan of every reference
    per number finds, on a real text with its references and with spans made up."""
    import random

    from pipeline.extract.reference_grammar import grammar
    from pipeline.extract.references import document_references, unparsed_numbers

    doc = load(SEED)
    text = doc.text + "\nThông tư số 45/2006/TT và Quyết định số 12/QĐ-xyz, Nghị quyết số 7/abc."
    refs = document_references(doc)
    rng = random.Random(16)
    made_up = [Reference(id="x", kind="state", surface="x", start=s, end=s + rng.randint(0, 400))
               for s in (rng.randrange(len(text)) for _ in range(300))]
    for given in (refs, made_up, []):
        taken = [(r.start, r.end) for r in given if r.where == "body"]
        plain = [m.span("num") for m in grammar().number_after_word.finditer(text)
                 if not any(a < m.end("num") and m.start("num") < b for a, b in taken)]
        assert unparsed_numbers(text, given) == plain
    assert unparsed_numbers(text, []) != unparsed_numbers(text, made_up)


def test_the_analysis_does_not_import_spacy() -> None:
    """spaCy builds Docs (`make_doc`: tests, benchmarks); the analysis reads words without
    them, so `daihoi analyze` does not pay its import (~0.5 s, ~60 MB)."""
    import subprocess
    import sys

    code = ("import sys; from pipeline.analysis import analyze; "
            f"analyze({str(SEED)!r}); print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"


def test_member_shares_are_paired_as_by_the_scan_to_the_end() -> None:
    """The male/female shares pair the first one within reach, as the scan of every later
    indicator did (it now stops past the reach); random indicators in start order."""
    import random

    from pipeline.audit import totals

    rng = random.Random(16)
    keys = ["members_male", "members_female", "members_total", None]
    for _ in range(30):
        inds, pos = [], 0
        for _ in range(60):
            pos += rng.randint(0, 200)
            value = float(rng.choice([40, 45, 55, 60, 100]))
            # All shares: the member partitions (counts of people) make no finding here.
            inds.append(Indicator(subject="", value=value, unit="%",
                                  surface=f"{value:g}%", start=pos, end=pos + 3,
                                  key=rng.choice(keys)))
        expected = []
        for n, first in enumerate(inds):  # the scan to the end, as it was
            if first.unit != "%" or first.key not in ("members_male", "members_female"):
                continue
            other = "members_female" if first.key == "members_male" else "members_male"
            second = next((i for i in inds[n + 1:] if i.unit == "%" and i.key == other
                           and i.start - first.end <= totals._SHARE_REACH), None)
            if second is not None and abs(first.value + second.value - 100) > 1:
                expected.append(second.start)
        assert [f.start for f in totals._partitions(inds)] == expected
    assert expected  # (the last list) some pairs do not sum to 100


def test_sentence_words_from_the_line_form_are_the_sentence_forms() -> None:
    """duplicates.sentence_units forms each line once (matching form, lower case) and finds a
    sentence's words in it: the words of forming each sentence alone, also where a line's
    form would change its length ("İ") and the sentences are formed one by one."""
    from pipeline.audit import duplicates
    from pipeline.ingest.normalize import match_form

    text = load(SEED).text + (
        "\nİSTANBUL là ĐẢNG. Σ ΟΣ. hoà  bình; - Uỷ ban hòa\n1. Kết quả đạt được. a) quá trình; "
        "Quý  thủy.\n\n- Thứ hai: các chỉ tiêu")
    units = duplicates.sentence_units(text, [(0, 300)])
    vocab: dict[str, int] = {}
    expected: list[list[int]] = []
    for m in duplicates._SENTENCE.finditer(text):
        lead = duplicates._LEADER.match(m.group())
        words = duplicates._WORD.findall(match_form(m.group()[lead.end() if lead else 0:])
                                         .lower())
        if words:  # inside the excluded span (0, 300): a place, no words
            expected.append([] if m.end() <= 301 else
                            [vocab.setdefault(w, len(vocab)) for w in words])
    assert [units.words(k).tolist() for k in range(len(units))] == expected
