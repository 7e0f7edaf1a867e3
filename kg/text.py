"""Text helpers shared by the reader and the extractors: month names and whitespace.

Sentences come from the spaCy pipeline's parse (:func:`kg.extract.nlp.parse`), the one splitter.
"""

from __future__ import annotations

import re

# Month names and their abbreviations -> month number.
MONTHS: dict[str, int] = {
    m: i + 1
    for i, ms in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in ms
}

_SPACE = re.compile(r"\s+")


def normalise_space(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return _SPACE.sub(" ", text).strip()
