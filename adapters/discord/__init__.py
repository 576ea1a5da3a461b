"""Careline on Discord: a thin discord.py translator between Discord and the core's messages."""
