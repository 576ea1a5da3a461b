"""`python -m bot` runs the `careline` command."""

from bot.cli import main

raise SystemExit(main())
