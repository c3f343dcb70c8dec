"""Sources: find the note files, read them whatever their encoding, repair mojibake, resolve media paths."""
