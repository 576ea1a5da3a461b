"""The sqlmodel tables. Every table is registered here so Alembic sees it."""
