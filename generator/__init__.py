"""deckgraph: Markdown study notes → Anki decks and a concept map."""

__version__ = "0.1.0"
