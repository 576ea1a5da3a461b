"""Matching a patient's question to knowledge-base entries, and deciding what to do with it."""
