"""The cue words extraction reads: date hints, metric words, military and
people words, attributions and names.  Patterns only; extract.py applies them."""

from __future__ import annotations

import re

from reconcile.core.models import Metric

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
DATE_HINT = re.compile(
    rf"\b[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}\b"
    rf"|\b(?:{_MONTHS})\.?\s++[0-9]{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s++[0-9]{{4}}\b)?"
    rf"|\b[0-9]{{1,2}}(?:st|nd|rd|th)?\s++(?:{_MONTHS})\b(?:\s++[0-9]{{4}}\b)?"
    rf"|\b(?:early\s++|mid-|late\s++|the\s++end\s++of\s++)?(?:{_MONTHS})\b(?:\s++[0-9]{{4}}\b)?"
    rf"|\b(?:(?:on|this|last|next)\s++)?(?:{DAYS})\b"
    r"|\b(?:last|this|next|past|previous)\s++(?:week|month|year|fall|autumn|winter|spring|"
    r"summer|weekend)s?\b"
    r"|\b(?:in\s++)?recent\s++(?:days|weeks|months)\b"
    r"|\b(?:over\s++the\s++)?weekend\b"
    r"|\b[\w-]{1,12}\s++(?:days|weeks|months|years)\s++ago\b"
    r"|\b(?:yesterday|today|tonight)\b"
    r"|\b(?:in|since|by|of)\s++[12][0-9]{3}\b",
    re.IGNORECASE,
)
MONTH_WORD = re.compile(rf"^(?:{_MONTHS})\.?$", re.IGNORECASE)

# What a figure counts, strongest cues first within a window.
METRIC_CUES: tuple[tuple[Metric, str], ...] = (
    (
        Metric.CASUALTIES,
        r"(?:killed|died|dead|deaths?)\s++(?:or|and|and/or)\s++(?:been\s++|were\s++)?"
        r"(?:wounded|injured)|casualt(?:y|ies)|loss(?:es)?|killed-or-wounded",
    ),
    (
        Metric.KILLED,
        r"killed|died|dead|deaths?|death\s++toll|fatalities|perished|lost\s++their\s++lives",
    ),
    (Metric.WOUNDED, r"wounded|injured|injuries"),
    (Metric.MISSING, r"missing|unaccounted\s++for"),
    (
        Metric.CAPTURED,
        r"captured|capture[sd]?|prisoners?(?:\s++of\s++war)?|pows?|taken\s++prisoner|"
        r"surrendered|captives?",
    ),
    (
        Metric.DEPLOYED,
        r"deployed|deployment|sent|dispatched|arrived|stationed|sending|send|"
        r"transferred|reinforcements",
    ),
)
CUE = re.compile(
    "|".join(f"(?P<m{i}>\\b(?:{pattern})\\b)" for i, (_, pattern) in enumerate(METRIC_CUES)),
    re.IGNORECASE,
)
RANK = {metric: rank for rank, (metric, _) in enumerate(METRIC_CUES)}
_MILITARY = (
    r"soldiers?|troops?|fighters?|servicemen|personnel|officers?|generals?|marines?|"
    r"conscripts?|recruits?|mercenaries|combatants?|militants?|commandos?"
)
PEOPLE = re.compile(
    rf"^\W*+(?:(?:other|more|of\s++(?:the|them|whom|those)|[A-Z][\w'’-]*+|north|south|"
    rf"korean|russian|ukrainian)\W++){{0,4}}(?:{_MILITARY}|men|women|people|persons?|"
    r"civilians?|children|members|koreans|ukrainians|russians|individuals|workers|them|whom)\b",
    re.IGNORECASE,
)
MILITARY_AFTER = re.compile(
    rf"^\W*+(?:(?:other|more|[A-Z][\w'’-]*+|north|south|korean|russian|ukrainian)\W++){{0,4}}"
    rf"(?P<noun>{_MILITARY})\b",
    re.IGNORECASE,
)
NOT_PEOPLE_AFTER: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^[\s-]*+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|"
            r"nights?)\b(?!\s*+-?\s*+old)",
            re.IGNORECASE,
        ),
        "a duration",
    ),
    (re.compile(r"^[\s-]*+years?[\s-]*+old\b", re.IGNORECASE), "an age"),
    (
        re.compile(
            r"^\s*+(?:dollars?|euros?|pounds?|won|roubles?|rubles?|hryvnias?|yuan|yen|"
            r"usd|eur)\b|^\s*+(?:per\s*+cent|percent|%)",
            re.IGNORECASE,
        ),
        "money or a percentage",
    ),
    (
        re.compile(
            r"^\W*+(?:\w+\W++){0,2}(?:tanks?|drones?|missiles?|shells?|rounds?|vehicles?|"
            r"rifles?|guns?|aircraft|planes?|jets?|helicopters?|howitzers?|launchers?|"
            r"systems?|kilometres?|kilometers?|km|miles?|metres?|meters?|tonnes?|tons?|"
            r"kilograms?|kg|pages?|notes?|letters?|documents?|items?|places?|times?)\b",
            re.IGNORECASE,
        ),
        "a count of things, not people",
    ),
)
MONEY_BEFORE = re.compile(r"[$€£¥₩₽₴]\s*+$")
UNIT_BEFORE = re.compile(
    r"\b(?:detachments?|units?|groups?|squads?|teams?|platoons?|companies|company|"
    r"battalions?|brigades?|crews?|cells?|sections?)\s++of\s++(?:about\s++|some\s++|up\s++to\s++)?$",
    re.IGNORECASE,
)
BREAKDOWN_BEFORE = re.compile(
    r"\b(?:including|among\s++them|among\s++whom|of\s++whom|of\s++which)\s++$", re.IGNORECASE
)
PART_OF = re.compile(r"^\s*+of\s++(?:the\s++|them\s++|these\s++)?[\w\s]{0,20}$", re.IGNORECASE)
RANGE_GAP = re.compile(r"^\s*+(?:[-‐‑‒–—−]|to)\s*+$", re.IGNORECASE)
CLAUSE_END = re.compile(r"[;:()]|\s[-–—]\s|\bwhile\b|\bwhereas\b|\bbut\b", re.IGNORECASE)
WORD = re.compile(r"\S+")

ATTRIBUTION = re.compile(
    r"\b(?:according\s++to|cited\s++by|citing|cited|said|says|say|stated|states|stating|told|"
    r"reported|reports|estimated|estimates|estimate|believes|believe|claimed|claims|"
    r"announced|confirmed|added)\b",
    re.IGNORECASE,
)
_NAME_WORD = r"[A-Z][\w'’.-]*+"
ROLE = (
    r"intelligence|spy|agency|service|services|government|officials?|military|ministry|"
    r"president|army|forces|authorities|analysts|lawmakers?|command|staff"
)
_NAME_UNIT = rf"{_NAME_WORD}(?:\s++\([0-9]{{1,3}}\))?"
ENTITY = re.compile(
    rf"{_NAME_UNIT}(?:\s++(?:of|for|and|of\s++the)\s++{_NAME_UNIT}|\s++{_NAME_UNIT})*+"
    rf"(?:\s++\([A-Z]{{2,6}}\))?(?:\s++(?:{ROLE}))*+"
)
NOT_NAMES = frozenset(
    [
        "the",
        "this",
        "that",
        "these",
        "those",
        "a",
        "an",
        "at",
        "in",
        "on",
        "last",
        "this",
        "it",
        "they",
        "he",
        "she",
        "we",
        "but",
        "and",
        "after",
        "before",
        "however",
        "when",
        "while",
        "during",
        "for",
        "with",
        "from",
        "by",
        "as",
        "also",
        "both",
        "one",
        "some",
        "several",
        "many",
        "each",
        "all",
        "captured",
    ]
)
PRONOUNS = frozenset(["they", "he", "she", "it", "we", "officials"])
DEMONYM = re.compile(r"(?:an|ese|ian|ish|i)$")


def cue_metric(match: re.Match[str]) -> Metric:
    """The metric a match of `CUE` names."""
    assert match.lastgroup is not None
    return METRIC_CUES[int(match.lastgroup[1:])][0]
