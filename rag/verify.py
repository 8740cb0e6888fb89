"""The promise: a quote is shown only if it is really there.

`check_quote` re-reads the claim against the original decoded text, independently of the
cleaning code: with whitespace removed, the quote must occur inside original[char_start:char_end],
and that range must lie inside lines line_start..line_end. The only original characters it may
skip besides whitespace are those the contract lets cleaning drop: `[bookmark: ...]` markup,
markdown emphasis, zero-width characters, and whole lines that hold only a page number.
"""

from __future__ import annotations

import bisect
import re

from .reading import line_starts

_MARKUP = re.compile(r"\[bookmark: [^\]]*\]|\*\*|__|[\u200b\u200c\u200d\ufeff]")
_PAGE_LINE = re.compile(r"^\s*(?:-\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*-)?\s*$")
_WS = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text with all whitespace removed: the form quotes are compared in."""
    return _WS.sub("", text)


_HEADING = re.compile(r"^\s*#{1,6}\s+")


def _denoise(segment: str) -> str:
    """The segment less what cleaning may drop: markup, heading marks, page-number lines."""
    lines = [_HEADING.sub("", _MARKUP.sub("", line)) for line in segment.split("\n")]
    kept = [
        line for i, line in enumerate(lines)
        if not (0 < i < len(lines) - 1 and _PAGE_LINE.match(line))
    ]
    return "\n".join(kept)


def check_quote(
    original: str,
    quote: str,
    char_start: int,
    char_end: int,
    line_start: int,
    line_end: int,
    starts: list[int] | None = None,
) -> str | None:
    """None when the quote is verified; otherwise the reason it fails, in words."""
    q = squeeze(quote)
    if not q:
        return "empty quote"
    if not (0 <= char_start < char_end <= len(original)):
        return f"char range {char_start}-{char_end} lies outside the file"
    starts = starts if starts is not None else line_starts(original)
    first = bisect.bisect_right(starts, char_start)
    last = bisect.bisect_right(starts, char_end - 1)
    if line_start < 1 or first < line_start or last > line_end:
        return f"chars {char_start}-{char_end} (lines {first}-{last}) are not inside lines {line_start}-{line_end}"
    if q not in squeeze(_denoise(original[char_start:char_end])):
        return "quote does not occur verbatim in the cited range"
    return None
