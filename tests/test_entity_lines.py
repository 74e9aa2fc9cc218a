"""Names from the layout of a line: datelines, and teams in results, standings and fixtures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.entities.lines import DATELINE, TEAM, find_datelines, find_team_names


def names(body: str, found: list[tuple[int, int, str]]) -> list[str]:
    return [body[s:e] for s, e, _ in found]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Headline here.\n\nOSLO 2003-05-17\n\nText.", ["OSLO"]),
        ("NEW DELHI, March 3 (AP) - Text.", ["NEW DELHI"]),
        ("Title\n\nLIMA (Reuters) - Text follows.", ["LIMA"]),
        # a sport's name before a dash, or capitals inside a paragraph, are no dateline
        ("TENNIS - PALMA WINS.\n\nText.", []),
        ("He met ACME 2003-05-17 in town.", []),
    ],
)
def test_datelines(body: str, expected: list[str]) -> None:
    found = find_datelines(body)
    assert names(body, found) == expected
    assert all(role == DATELINE for _, _, role in found)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # results: two teams each followed by a score
        ("Hull 3 Leeds 2 (halftime 1-0)", ["Hull", "Leeds"]),
        ("Kent 214 and 108-3, Essex 96 (R. Ford 4-38).", ["Kent", "Essex"]),
        ("Oakvale 22 points, Brisa 4.", ["Oakvale", "Brisa"]),
        # standings: a team then its figures
        ("Oakvale 3 1 0 6 1 10", ["Oakvale"]),
        ("SAN MARCO 74 59 .556 -", ["SAN MARCO"]),
        # fixtures and report lines
        ("DENVER AT BOSTON", ["DENVER", "BOSTON"]),
        ("Oakvale v Brisa", ["Oakvale", "Brisa"]),
        ("Hull beat Leeds by an innings and 39 runs.", ["Hull", "Leeds"]),
        ("Oxford: Hull drew with Leeds.", ["Hull", "Leeds"]),
        # a player's figures, one score, or prose make no team
        ("Ford 10-1-41-2, Okafor 9.5-0-44-1", []),
        ("Attendance 2,000", []),
        ("The company earned 5 million and Acme 3 million.", []),
    ],
)
def test_team_names(body: str, expected: list[str]) -> None:
    found = find_team_names(body)
    assert names(body, found) == expected
    assert all(role == TEAM for _, _, role in found)


def test_names_inside_parentheses_are_players_not_teams() -> None:
    body = "Kent 214 (Ana Ruiz 84, R. Ford 52), Essex 96 (T. Okafor 5-20)"
    assert names(body, find_team_names(body)) == ["Kent", "Essex"]


@given(st.text(alphabet="Ab1 -,.()\n:vat", max_size=200))
def test_line_names_index_the_body(body: str) -> None:
    for start, end, _ in find_datelines(body) + find_team_names(body):
        assert 0 <= start < end <= len(body)
        assert body[start:end].strip() == body[start:end]
        assert "\n" not in body[start:end]


@pytest.mark.parametrize(
    "line", ["Revenue 1,234.5 1,100.2", "Net income 12.3 10.1", "Shr 0.45 0.40"]
)
def test_a_companys_accounts_are_no_standings(line: str) -> None:
    assert find_team_names(line) == []
