"""Sources: find the note files, read them whatever their encoding, repair mojibake (ftfy), blank out
front matter, and resolve the images they name inside the notes folder. Entry point: `read_source`.
It never interprets Markdown; that is the parse stage's job."""

from generator.sources.files import MAX_FILE_BYTES, find_note_files, read_source
from generator.sources.media import MediaContext, resolve_image
from generator.sources.repair import repair_text
from generator.sources.texts import NoteTexts

__all__ = [
    "MAX_FILE_BYTES",
    "MediaContext",
    "NoteTexts",
    "find_note_files",
    "read_source",
    "repair_text",
    "resolve_image",
]
