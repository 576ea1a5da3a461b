"""The knowledge base and synonyms named by the settings, loaded and validated together."""

from __future__ import annotations

from bot.knowledge.loader import KnowledgeBase, Limits, load_knowledge
from bot.knowledge.synonyms import Group, load_synonyms, synonyms_beside
from bot.settings import Settings


def limits_from(settings: Settings) -> Limits:
    """The entry limits configured in `[knowledge]`."""
    return Limits(
        max_answer_chars=settings.knowledge.max_answer_chars,
        review_max_age_days=settings.knowledge.review_max_age_days,
    )


def load_configured(settings: Settings) -> tuple[KnowledgeBase, list[Group]]:
    """Load `[knowledge] path` and its synonyms file; raise `KnowledgeErrors` on any problem."""
    folder = settings.knowledge.path
    kb = load_knowledge(
        folder, limits_from(settings), synonyms_file=settings.knowledge.synonyms_file
    )
    return kb, load_synonyms(synonyms_beside(folder, settings.knowledge.synonyms_file))
