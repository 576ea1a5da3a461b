"""Careline: a health-community FAQ and escalation bot for Discord, Slack and the console."""

__version__ = "0.1.0"
