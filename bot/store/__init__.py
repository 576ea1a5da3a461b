"""Storage: the database engine, schema migrations and sqlmodel tables."""
