from dataclasses import dataclass

from texttools.segments import segment_text


@dataclass
class Span:
    pk: int
    start: int
    end: int
    kind: str = "other"


def test_it_returns_one_plain_segment_without_claims():
    segments = segment_text("plain text", [])
    assert [(s.text, s.claims) for s in segments] == [("plain text", [])]


def test_it_keeps_the_whole_text_in_order():
    body = "abcdefghij"
    segments = segment_text(body, [Span(1, 2, 6), Span(2, 4, 9)])
    assert "".join(s.text for s in segments) == body


def test_it_marks_both_claims_where_they_overlap():
    segments = segment_text("abcdefghij", [Span(1, 2, 6), Span(2, 4, 9)])
    covering = {s.text: [c.pk for c in s.claims] for s in segments}
    assert covering == {"ab": [], "cd": [1], "ef": [1, 2], "ghi": [2], "j": []}


def test_it_puts_a_nested_claim_innermost():
    segments = segment_text("abcdefghij", [Span(1, 0, 10), Span(2, 3, 5)])
    middle = next(s for s in segments if s.text == "de")
    assert [c.pk for c in middle.claims] == [1, 2]
    assert middle.innermost.pk == 2
    assert middle.depth == 2


def test_it_reports_where_each_claim_starts():
    segments = segment_text("abcdefghij", [Span(1, 0, 10), Span(2, 0, 5)])
    first = segments[0]
    assert {c.pk for c in first.starts} == {1, 2}


def test_it_ignores_spans_outside_the_text():
    segments = segment_text("abc", [Span(1, 2, 10)])
    assert [s.claims for s in segments] == [[]]


def test_it_handles_identical_spans():
    segments = segment_text("abcdef", [Span(1, 1, 3), Span(2, 1, 3)])
    covered = next(s for s in segments if s.text == "bc")
    assert [c.pk for c in covered.claims] == [1, 2]
