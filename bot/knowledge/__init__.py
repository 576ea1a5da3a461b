"""The curated FAQ knowledge base: entries, loading and validation, import and export."""

from bot.knowledge.entry import Entry, EntryStatus, Source

__all__ = ["Entry", "EntryStatus", "Source"]
