"""Emergency resources per region, and the immediate reply a person in crisis gets."""

from __future__ import annotations

from bot.i18n import load_catalog
from bot.messages import Content
from bot.safety.types import CrisisCategory
from bot.settings import EmergencyResources

_EU_112 = EmergencyResources(emergency="112")

# Shipped defaults: only numbers that are national, free and long-established.
# A community overrides any region with `[safety.resources.<REGION>]` in its settings.
DEFAULT_RESOURCES: dict[str, EmergencyResources] = {
    "US": EmergencyResources(
        emergency="911",
        crisis_line="988 (Suicide & Crisis Lifeline, call or text)",
        poison="Poison Control 1-800-222-1222",
    ),
    "CA": EmergencyResources(
        emergency="911",
        crisis_line="988 (Suicide Crisis Helpline, call or text)",
    ),
    "UK": EmergencyResources(
        emergency="999",
        crisis_line="Samaritans 116 123",
        non_urgent="NHS 111",
        poison="NHS 111",
    ),
    "IE": EmergencyResources(emergency="112 or 999", crisis_line="Samaritans 116 123"),
    "AU": EmergencyResources(emergency="000", crisis_line="Lifeline 13 11 14"),
    "NZ": EmergencyResources(emergency="111"),
    "EU": _EU_112,
    **dict.fromkeys(
        [
            "AT",
            "BE",
            "BG",
            "HR",
            "CY",
            "CZ",
            "DK",
            "EE",
            "FI",
            "FR",
            "DE",
            "GR",
            "HU",
            "IT",
            "LV",
            "LT",
            "LU",
            "MT",
            "NL",
            "PL",
            "PT",
            "RO",
            "SK",
            "SI",
            "ES",
            "SE",
            "NO",
            "IS",
            "CH",
        ],
        _EU_112,
    ),
}
_ALIASES = {"GB": "UK", "USA": "US", "UNITED STATES": "US", "UNITED KINGDOM": "UK"}


def resources_for(
    region: str, overrides: dict[str, EmergencyResources] | None = None
) -> EmergencyResources | None:
    """The resources for `region` (case-insensitive): configured first, then shipped defaults."""
    code = region.strip().upper()
    code = _ALIASES.get(code, code)
    for table in (overrides or {}, DEFAULT_RESOURCES):
        for key, value in table.items():
            if _ALIASES.get(key.upper(), key.upper()) == code:
                return value
    return None


def crisis_reply(
    category: CrisisCategory,
    region: str,
    resources: dict[str, EmergencyResources],
    locale: str = "en",
) -> Content:
    """The reply sent at once on a crisis: what to do now, then the region's numbers.

    Args:
        category: the crisis detected.
        region: the community's region (``US``, ``UK``, ``DE``…).
        resources: `settings.safety.resources`, overriding the shipped defaults per region.
        locale: the message catalog to use.
    """
    cat = load_catalog(locale)
    found = resources_for(region, resources)
    emergency = found.emergency if found else cat("safety.crisis.unknown_emergency")
    values = {
        "emergency": emergency,
        "crisis_line": (found.crisis_line if found else "") or cat("safety.crisis.no_crisis_line"),
        "poison": (found.poison if found else "") or cat("safety.crisis.no_poison"),
        "non_urgent": found.non_urgent if found else "",
    }
    lines = [cat(f"safety.crisis.{category.value}", **values), ""]
    if found:
        order = ["crisis_line", "emergency"] if category is CrisisCategory.SUICIDE_SELF_HARM else []
        order += [k for k in ("emergency", "crisis_line", "poison", "non_urgent") if k not in order]
        shown: set[str] = set()
        for key in order:
            value = getattr(found, key)
            if value and value not in shown:
                shown.add(value)
                lines.append("- " + cat(f"safety.crisis.{key}_line", **{key: value}))
        lines.extend(f"- {extra}" for extra in found.extra)
    else:
        lines.append("- " + cat("safety.crisis.emergency_line", emergency=emergency))
    return Content(
        text="\n".join(lines).strip(),
        title=cat("safety.crisis.title"),
        footer=cat("safety.crisis.footer"),
        urgent=True,
    )


def reviewer_alert(category: CrisisCategory, region: str, locale: str = "en") -> Content:
    """The urgent notice for the reviewer channel (it never quotes the message itself)."""
    cat = load_catalog(locale)
    name = cat(f"safety.category.{category.value}")
    return Content(
        title=cat("safety.alert.title", category=name),
        text=cat("safety.alert.text", category=name, region=region),
        urgent=True,
    )


def phi_notice(kinds: list[str], locale: str = "en") -> str:
    """The note telling a patient which kinds of personal information were removed."""
    cat = load_catalog(locale)
    names = [cat(f"safety.phi.kind.{k}") for k in dict.fromkeys(kinds)]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return cat("safety.phi.removed", kinds=joined)
