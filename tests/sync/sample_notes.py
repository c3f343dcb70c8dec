"""Small notes for the sync tests: two files (two subdecks), an image, then the edits a user makes."""

from __future__ import annotations

import base64
from pathlib import Path

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PNG_2 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

ALPHA = """# Alpha

## What is alpha?

Alpha is the first letter of the Greek alphabet.

## What is beta?

Beta is the second letter. ![diagram](pic.png)

## What is gamma?

Gamma is the third letter of the Greek alphabet.
"""

BRAVO = """# Bravo

## What is delta?

Delta is the fourth letter of the Greek alphabet.

## What is epsilon?

Epsilon is the fifth letter of the Greek alphabet.
"""

# Reworded (alpha), moved to Bravo (gamma), deleted (epsilon), added (zeta, first: it shifts every
# new card's position; eta, with a new image).
ALPHA_EDITED = """# Alpha

## What is zeta?

Zeta is the sixth letter of the Greek alphabet.

## What exactly is alpha?

Alpha is the first letter of the Greek alphabet.

## What is beta?

Beta is the second letter. ![diagram](pic.png)

## What is eta?

Eta is the seventh letter. ![chart](chart.png)
"""

BRAVO_EDITED = """# Bravo

## What is delta?

Delta is the fourth letter of the Greek alphabet.

## What is gamma?

Gamma is the third letter of the Greek alphabet.
"""


def write_first_notes(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "alpha.md").write_text(ALPHA, encoding="utf-8")
    (folder / "bravo.md").write_text(BRAVO, encoding="utf-8")
    (folder / "pic.png").write_bytes(PNG)
    return folder


def edit_notes(folder: Path) -> None:
    (folder / "alpha.md").write_text(ALPHA_EDITED, encoding="utf-8")
    (folder / "bravo.md").write_text(BRAVO_EDITED, encoding="utf-8")
    (folder / "chart.png").write_bytes(PNG_2)
