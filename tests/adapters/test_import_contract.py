"""The core imports no adapter and no platform library: checked at run time and statically."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]
PLATFORM_MODULES = ("discord", "slack_bolt", "slack_sdk", "adapters")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# Imports every module of a package in a fresh interpreter and reports which of the platform
# libraries ended up loaded. Alembic's migration scripts run on import, so they are skipped.
PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys, warnings
    warnings.simplefilter("ignore")
    package = importlib.import_module(sys.argv[1])
    names = [sys.argv[1]]
    for info in pkgutil.walk_packages(package.__path__, sys.argv[1] + "."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
        names.append(info.name)
    loaded = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:]))
    print(json.dumps({"imported": names, "loaded": loaded}))
    """
)


def probe(package: str) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, package, *PLATFORM_MODULES],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report: dict[str, list[str]] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_importing_every_core_module_loads_no_platform_library_and_no_adapter():
    report = probe("bot")
    assert "bot.app" in report["imported"]
    assert "bot.dispatcher" in report["imported"]
    assert len(report["imported"]) > 20
    assert report["loaded"] == []


def test_the_probe_does_see_discord_when_the_discord_adapter_is_imported():
    # The same check on the Discord adapter finds discord.py: the probe can fail.
    report = probe("adapters.discord")
    assert "adapters.discord.adapter" in report["imported"]
    assert "discord" in report["loaded"]


def test_the_probe_does_see_slack_when_the_slack_adapter_is_imported():
    # bot imports neither slack_bolt nor slack_sdk (above); the Slack adapter loads both.
    report = probe("adapters.slack")
    assert "adapters.slack.adapter" in report["imported"]
    assert {"slack_bolt", "slack_sdk"} <= set(report["loaded"])
    assert "discord" not in report["loaded"]


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_the_import_linter_contracts_hold():
    result = subprocess.run(
        [str(LINT_IMPORTS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The core imports no adapter and no platform library KEPT" in result.stdout
