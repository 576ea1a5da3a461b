"""The console adapter: a terminal (or a pipe) as a whole community."""
