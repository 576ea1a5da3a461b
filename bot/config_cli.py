"""`careline config check`: the effective settings, secrets masked."""

from __future__ import annotations

import argparse
import json

from bot.settings import effective_config, load_settings


def check_main(args: argparse.Namespace) -> int:
    """Print the effective configuration as JSON; a bad value stops with its key and origin."""
    settings = load_settings(args.config)
    print(json.dumps(effective_config(settings), indent=2, default=str))
    return 0
