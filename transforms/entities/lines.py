"""Names found from the layout of a line, where the model reads poorly: datelines and sports
results, standings and fixtures.

- A dateline opens a paragraph with a place in capitals before a date, a parenthesised
  agency or a comma and a month ("LONDON 1996-08-30", "PARIS (AP) -"): a place.
- A results or standings line names teams each followed by a score ("Hull 3 Leeds 2",
  "Kent 214 and 108-3, Essex 96", "HOUSTON 72 63 .533 -"), a fixture line two teams either
  side of "at"/"v"/"vs" ("DENVER AT BOSTON"), a report line one team that "beat"/"drew
  with"/"lost to" another: names in a team's place are teams. Names inside parentheses are
  players or countries ("(R. Ford 4-38)", "(Spain)"), never teams.

Each rule gives (start, end, role) with role `DATELINE` (a place) or `TEAM`; whether a team
is an ORG (a club) or a GPE (a country's side) is the caller's to decide with the gazetteer.
"""

from __future__ import annotations

import re

DATELINE = "dateline"
TEAM = "team"
_WORD = r"[A-Z][\w'’.&-]*"
_NAME = rf"{_WORD}(?:[ ](?:{_WORD}|de|del|di|da|do|van|von|der|la|le)){{0,4}}"
_SCORE = r"[.\d][\d.,/:-]*"
# A team's result: goals, points or runs ("3", "2-1", "429-7"); a player's figures have more
# parts ("10-1-41-2", "9.5-0-44-1") and are no team's.
_RESULT = r"\d{1,4}(?:[-/]\d{1,4})?(?=[ ,;)]|\.(?!\d)|$)"
_DATELINE = re.compile(
    r"^(?P<name>[A-Z][A-Z.'’-]+(?:[ ][A-Z][A-Z.'’-]+){0,3})"
    r"(?=[ ]\d{1,4}[-/]\d|[ ]?\([A-Z][A-Za-z]+\)|,[ ](?:[A-Z][a-z]{2}|\d))",
    re.MULTILINE,
)
# A team and its score, where a line or clause starts or after another score.
_TEAM_SCORE = re.compile(
    rf"(?:^|(?<=[,;:][ ])|(?<=[\d)][ ])|(?<=[,;:]))(?P<name>{_NAME})[ ]+(?={_RESULT})",
    re.MULTILINE,
)
# A table's figures: games, goals, points, a share (".556"), half a game ("1/2"); the
# thousands and decimals of a company's accounts ("Revenue 1,234.5 1,100.2") are not.
_STANDING_FIGURE = r"(?:\d{1,3}|\.\d{3}|\d/\d|-)"
_STANDING = re.compile(rf"^(?P<name>{_NAME})(?:[ ]+{_STANDING_FIGURE}){{2,}}[ ]*$", re.MULTILINE)
_VERSUS = r"(?:at|AT|v|V|vs|VS|v\.|vs\.)"
_FIXTURE = re.compile(
    rf"^(?P<home>{_NAME})[ ]+{_VERSUS}[ ]+(?P<away>{_NAME})(?:[ ]+{_SCORE})*\.?$",
    re.MULTILINE,
)
_REPORT = re.compile(
    rf"(?:^|(?<=:[ ]))(?P<home>{_NAME})[ ]+(?:beat|beats|drew[ ]with|lost[ ]to|defeated|"
    rf"thrashed|edged|overcame|held)[ ]+(?P<away>{_NAME})(?=[ ]+(?:{_SCORE}|by|on|in)\b|[.,]|$)",
    re.MULTILINE,
)
# A full stop after a name's last word (not an abbreviation's: "St.", "U.S.").
_SENTENCE_DOT = re.compile(r"[a-z]{2}\.$")
# Words that open a line but are no team ("Attendance 2,000", "Halftime 1-0").
_NOT_TEAMS = frozenset(
    {
        "attendance",
        "halftime",
        "half-time",
        "scorers",
        "scorer",
        "total",
        "extras",
        "result",
        "results",
        "standings",
        "played",
        "points",
        "round",
        "group",
        "week",
        "race",
        "stage",
        "men",
        "women",
        "note",
        "notes",
        "the",
        "in",
        "on",
        "at",
        "a",
        "an",
    }
)


def find_datelines(body: str) -> list[tuple[int, int, str]]:
    """(start, end, `DATELINE`) of the place in capitals that opens a dateline paragraph."""
    found = []
    for match in _DATELINE.finditer(body):
        start = match.start("name")
        if start and body[start - 1] != "\n":
            continue
        name = match.group("name").rstrip(",")
        if sum(ch.isalpha() for ch in name) >= 3:
            found.append((start, start + len(name), DATELINE))
    return found


def find_team_names(body: str) -> list[tuple[int, int, str]]:
    """(start, end, `TEAM`) of each name in a team's place in a results, standings, fixture or
    report line."""
    found: dict[int, tuple[int, int, str]] = {}
    for line_start, line in _lines(body):
        pairs = [m for m in _TEAM_SCORE.finditer(line) if not _inside_parentheses(line, m.start())]
        candidates = [m.span("name") for m in pairs] if len(pairs) >= 2 else []
        candidates += [m.span("name") for m in _STANDING.finditer(line)]
        for match in (*_FIXTURE.finditer(line), *_REPORT.finditer(line)):
            candidates += [match.span("home"), match.span("away")]
        for start, found_end in candidates:
            end = found_end - 1 if _SENTENCE_DOT.search(line, start, found_end) else found_end
            name = line[start:end]
            if name.split()[0].casefold() in _NOT_TEAMS or not any(
                c.islower() or c.isupper() for c in name
            ):
                continue
            found.setdefault(line_start + start, (line_start + start, line_start + end, TEAM))
    return sorted(found.values())


def _lines(body: str) -> list[tuple[int, str]]:
    out = []
    position = 0
    for line in body.split("\n"):
        out.append((position, line))
        position += len(line) + 1
    return out


def _inside_parentheses(line: str, position: int) -> bool:
    return line.count("(", 0, position) > line.count(")", 0, position)
