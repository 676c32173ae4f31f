"""A readable, side-by-side diff of two texts of a set, built as data for the template.

Nothing here produces HTML: rows hold plain strings and the template escapes them, so a body that
contains markup can never reach the page as markup. Changed lines are compared character by
character (Thai has no spaces between words), and long unchanged stretches fold away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

CONTEXT = 3
# Past this many characters a changed pair of lines is shown whole, not character by character.
INLINE_LIMIT = 2000
# Changed lines less alike than this are shown whole rather than character by character.
SIMILAR = 0.5


@dataclass
class Segment:
    text: str
    changed: bool = False


@dataclass
class Row:
    kind: str  # "equal", "delete", "insert", "replace", or "skip" for folded lines
    left_no: int | None = None
    right_no: int | None = None
    left: list[Segment] = field(default_factory=list)
    right: list[Segment] = field(default_factory=list)
    skipped: int = 0


@dataclass
class Diff:
    rows: list[Row]
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def compose(title: str, summary: str, body: str) -> list[str]:
    """The lines compared: the title as a heading, the summary, then the Markdown body."""
    lines = [f"# {title}", ""]
    if summary.strip():
        lines += [*summary.strip().splitlines(), ""]
    lines += (body or "").replace("\r\n", "\n").split("\n")
    return lines


def _tidy(segments: list[Segment]) -> list[Segment]:
    """Fold a scrap of one or two unchanged characters between two changes into the change (it
    reads as noise, especially in Thai), and join neighbours of the same kind."""
    for index in range(1, len(segments) - 1):
        scrap = segments[index]
        if (
            not scrap.changed
            and len(scrap.text) <= 2
            and segments[index - 1].changed
            and segments[index + 1].changed
        ):
            scrap.changed = True
    joined: list[Segment] = []
    for segment in segments:
        if joined and joined[-1].changed == segment.changed:
            joined[-1] = Segment(joined[-1].text + segment.text, segment.changed)
        else:
            joined.append(segment)
    return joined


def _inline(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    if len(old) + len(new) > INLINE_LIMIT:
        return [Segment(old, True)], [Segment(new, True)]
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if matcher.ratio() < SIMILAR:
        # Lines with little in common read better whole than cut into fragments.
        return [Segment(old, True)], [Segment(new, True)]
    left, right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(Segment(old[i1:i2]))
            right.append(Segment(new[j1:j2]))
        else:
            if i2 > i1:
                left.append(Segment(old[i1:i2], True))
            if j2 > j1:
                right.append(Segment(new[j1:j2], True))
    return _tidy(left), _tidy(right)


def diff_lines(old: list[str], new: list[str], *, context: int = CONTEXT) -> Diff:
    """Rows for a two-column table: unchanged lines near a change, changes, and folds."""
    rows: list[Row] = []
    added = removed = 0
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            span = i2 - i1
            keep_head = context if rows else 0
            keep_tail = context if i2 < len(old) or j2 < len(new) else 0
            if span <= keep_head + keep_tail + 1:
                indexes = list(range(span))
                folded = 0
            else:
                indexes = [*range(keep_head), *range(span - keep_tail, span)]
                folded = span - keep_head - keep_tail
            for position, offset in enumerate(indexes):
                if folded and position == keep_head:
                    rows.append(Row("skip", skipped=folded))
                rows.append(
                    Row(
                        "equal",
                        i1 + offset + 1,
                        j1 + offset + 1,
                        [Segment(old[i1 + offset])],
                        [Segment(new[j1 + offset])],
                    )
                )
            if folded and keep_head == len(indexes):
                rows.append(Row("skip", skipped=folded))
            continue
        removed += i2 - i1
        added += j2 - j1
        pairs = max(i2 - i1, j2 - j1)
        for offset in range(pairs):
            left_no = i1 + offset if i1 + offset < i2 else None
            right_no = j1 + offset if j1 + offset < j2 else None
            if left_no is not None and right_no is not None:
                left, right = _inline(old[left_no], new[right_no])
                rows.append(Row("replace", left_no + 1, right_no + 1, left, right))
            elif left_no is not None:
                rows.append(Row("delete", left_no + 1, None, [Segment(old[left_no], True)]))
            else:
                rows.append(Row("insert", None, right_no + 1, [], [Segment(new[right_no], True)]))
    return Diff(rows=rows, added=added, removed=removed)


def diff_texts(old: tuple[str, str, str], new: tuple[str, str, str]) -> Diff:
    """Compare two (title, summary, body) texts."""
    return diff_lines(compose(*old), compose(*new))
