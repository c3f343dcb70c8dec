"""Commands: the click command line (`deckgraph build|watch|check|prune|stats`), the watcher and the
statistics. Options and printing only: the work happens in build.py and the stages below it."""

from generator.commands.cli import main

__all__ = ["main"]
