"""Identity: which card is which across builds. The ID lockfile in the notes folder keeps each card's GUID,
fingerprint and change stamp; matching (pinned IDs, then exact, same question, fuzzy) keeps a card's GUID
when it is reworded, moved or renumbered, and marks the cards that left the notes as removed.
Entry point: `assign_identities`. It never writes IDs into the notes."""

from generator.identity.lockfile import LockEntry, Lockfile, load_lockfile
from generator.identity.matching import IdentityResult, assign_identities, fingerprint, normalize_question

__all__ = [
    "IdentityResult",
    "LockEntry",
    "Lockfile",
    "assign_identities",
    "fingerprint",
    "load_lockfile",
    "normalize_question",
]
