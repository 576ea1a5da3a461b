"""The `careline` command: parses arguments and hands off; no business logic lives here.

Each subcommand names the function that runs it as ``module:function`` and is imported only when
used, so `careline --help` stays fast and one area's dependencies never slow another's command.
Every handler takes the parsed `argparse.Namespace` and returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import cast

from bot import __version__
from bot.errors import CarelineError, LocatedError

Handler = Callable[[argparse.Namespace], int]
ADAPTERS = ("console", "discord", "slack")


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree."""
    parser = argparse.ArgumentParser(
        prog="careline",
        description="Careline: answers health-community questions from a curated FAQ and "
        "escalates the rest to verified physicians, with moderator approval.",
    )
    parser.add_argument("--version", action="version", version=f"careline {__version__}")
    parser.add_argument("--config", metavar="FILE", help="settings file (config/careline.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = _command(sub, "run", "bot.app:run_main", "start the bot on a platform (console default)")
    run.add_argument("--adapter", choices=ADAPTERS, default="console", help="platform to serve")
    run.add_argument("--http", action="store_true", help="Slack: HTTP events, not Socket Mode")
    run.add_argument("--port", type=int, help="HTTP port (Slack HTTP mode)")

    _command(sub, "console", "bot.app:console_main", "chat with the bot in this terminal or pipe")
    _command(sub, "demo", "bot.app:demo_main", "play a scripted community session in the console")

    config = _group(sub, "config", "inspect configuration")
    _command(config, "check", "bot.config_cli:check_main", "print the effective settings, masked")

    db = _group(sub, "db", "manage the database schema")
    _command(db, "upgrade", "bot.store.cli:upgrade_main", "apply migrations up to the latest")
    _command(db, "current", "bot.store.cli:current_main", "show the schema revision in use")

    kb = _group(sub, "kb", "validate, inspect, import, export and query the knowledge base")
    validate = _command(kb, "validate", "bot.knowledge.cli:validate_main", "check knowledge files")
    validate.add_argument("path", nargs="?", help="folder or file (the configured knowledge/)")
    _command(kb, "stats", "bot.knowledge.cli:stats_main", "entries by status and tag, reviews due")
    kb_import = _command(kb, "import", "bot.knowledge.cli:import_main", "CSV/JSONL → draft YAML")
    kb_import.add_argument("file", help="CSV or JSONL with at least question and answer")
    kb_import.add_argument("--out", help="folder for the new YAML (knowledge/imported)")
    export = _command(kb, "export", "bot.knowledge.cli:export_main", "write entries out")
    export.add_argument("--format", choices=("csv", "jsonl", "yaml"), default="yaml")
    export.add_argument("--out", help="file or folder to write (standard output for csv/jsonl)")
    export.add_argument(
        "--promoted", action="store_true", help="only entries promoted from escalations"
    )
    match = _command(kb, "match", "bot.matching.cli:match_main", "match queries on stdin")
    match.add_argument("--kb", required=True, metavar="PATH", help="knowledge folder or CSV")
    match.add_argument("--format", choices=("jsonl",), default="jsonl", help="output format")
    match.add_argument("--explain", action="store_true", help="add each candidate's signals")

    safety = _group(sub, "safety", "crisis detection and redaction tools")
    _command(safety, "scan", "bot.safety.cli:scan_main", "scan lines on stdin, JSON per line")

    privacy = _group(sub, "privacy", "retention and erasure")
    purge = _command(privacy, "purge", "bot.privacy:purge_main", "purge data past retention")
    purge.add_argument("--dry-run", action="store_true", help="show what would go, change nothing")

    audit = _command(sub, "audit", "bot.reports:audit_main", "show the audit log")
    audit.add_argument("--limit", type=int, default=50, help="newest entries to show")
    audit.add_argument("--escalation", type=int, help="only this escalation")
    _command(sub, "stats", "bot.reports:stats_main", "questions, answers, escalations, gaps")
    return parser


def _group(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    return parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND", required=True)


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    target: str,
    help_text: str,
) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=target)
    return parser


def _resolve(target: str) -> Handler:
    module_name, _, function = target.partition(":")
    module = importlib.import_module(module_name)
    return cast(Handler, getattr(module, function))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `careline` console script."""
    args = build_parser().parse_args(argv)
    # One BLAS thread per process: the sentence model encodes one short question at a time,
    # where OpenBLAS's thread pool only adds contention (10x slower on a busy 2-core host).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return _resolve(args.handler)(args)
    except LocatedError as exc:
        print(f"careline: {exc.describe()}", file=sys.stderr)
        return 2
    except CarelineError as exc:
        print(f"careline: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`careline kb stats | head`): stop quietly, as Unix tools do,
        # and keep Python from complaining when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
