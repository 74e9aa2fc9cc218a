"""Enumerations: names listed together are things of one kind.

"Python, SQL and Java", "Gmail, Slack, or Zoom", "SEO, PPC and email": the members of one
list are alike, so a member the model does not know takes the kind of the members the
curated list knows (`listed_kinds`), and an acronym listed beside common nouns ("heat or
AC", "yoga, HIIT, and golf") is a common noun itself (`listed_with_common_noun`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from transforms.entities.static import function_words
from transforms.records import EntitySpan

# What separates two members of a list: a comma (with "and"/"or"), "and", "or", "&", "/".
_SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|or|&)\s+)?|\s+(?:and|or|&|vs\.?)\s+|\s*/\s*")
# A list member beside a name (one word, the whole member), with its separator.
_MEMBER_BEFORE = re.compile(
    r"(?:^|[,;:(“\"\n]\s*|(?:^|\s)[a-z][\w'’-]*\s+)([\w+#.-]+)"
    r"(?:\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&)\s+)$"
)
_MEMBER_AFTER = re.compile(
    r"^(?:\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&)\s+)([\w+#.-]+)"
    r"(?=\s*(?:[,.;:)!?]|\band\b|\bor\b|$))"
)
# A third member beyond the one beside the name: "yoga, " before "spin, HIIT".
_LONGER_LIST = re.compile(r"[\w-]+\s*,\s*[\w-]+\s*,\s*(?:(?:and|or)\s+)?$")
_LONGER_LIST_AFTER = re.compile(r"^\s*,\s*[\w-]+\s*,\s*(?:(?:and|or)\s+)?[\w-]+")
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w'’-]*)")
# Words that may follow a whole list: verbs, prepositions, conjunctions ("... are popular").
_LIST_END_WORDS = function_words("list_end")
# Words that open a phrase rather than name a thing ("IBM and its rivals").
_NOT_MEMBERS = function_words("not_member")


def list_groups(body: str, spans: Sequence[EntitySpan]) -> list[int]:
    """For each span (in body order), the index of the first span of the list it belongs to:
    consecutive spans that only a list's separator parts are one list."""
    groups: list[int] = []
    for index, span in enumerate(spans):
        previous = spans[index - 1] if index else None
        if previous is not None and _SEPARATOR.fullmatch(body[previous.end_char : span.start_char]):
            groups.append(groups[-1])
        else:
            groups.append(index)
    return groups


def listed_kinds(
    body: str, spans: Sequence[EntitySpan], kind_of: Callable[[str], str | None]
) -> dict[int, str]:
    """The kind each span's list members tell (index → type), when the members whose kind
    `kind_of` knows (other than the span itself; a one-word member the model missed counts)
    agree on one."""
    groups = list_groups(body, spans)
    members: dict[int, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    kinds = [kind_of(body[s.start_char : s.end_char]) for s in spans]
    told: dict[int, str] = {}
    for indices in members.values():
        first, last = spans[indices[0]], spans[indices[-1]]
        if _modifies_a_noun(body, last.end_char):
            continue
        # members the model missed, right before or after the spans ("..., Copilot, or")
        missed = {
            kind
            for word in listed_members(body, first.start_char, last.end_char)
            if (kind := kind_of(word))
        }
        for index in indices:
            known = {kind for i in indices if i != index and (kind := kinds[i])} | missed
            if len(known) == 1 and (len(indices) > 1 or missed):
                told[index] = next(iter(known))
    return told


def _modifies_a_noun(body: str, end: int) -> bool:
    """Whether a list ending at `end` is followed by the noun it modifies ("Apple and
    Windows platforms", "Android and Apple iPhone"): its members are then brands of
    something, not things of one kind."""
    following = _NEXT_WORD.match(body, end)
    return following is not None and following.group(1).casefold() not in _LIST_END_WORDS


def listed_members(body: str, start: int, end: int) -> list[str]:
    """The one-word members listed right before and after the name at [start, end)."""
    before = _MEMBER_BEFORE.search(body, max(0, start - 40), start)
    after = _MEMBER_AFTER.match(body[end : end + 40])
    words = [found.group(1).strip(".") for found in (before, after) if found is not None]
    return [w for w in words if w and w.casefold() not in _NOT_MEMBERS]


def listed_with_common_noun(
    body: str,
    start: int,
    end: int,
    is_common: Callable[[str], bool],
    is_known: Callable[[str], bool],
) -> bool:
    """Whether the name at [start, end) is listed right beside a word `is_common` holds
    ("SEO and PPC"), or is one of three or more members of a list beside a lower-case word
    ("yoga, HIIT, and golf"): a common noun's company. A list member `is_known` knows as a
    name beside it says the list mixes names and nouns ("Python, SQL, automation"): no."""
    longer = _LONGER_LIST.search(body, max(0, start - 40), start) or _LONGER_LIST_AFTER.match(
        body[end : end + 60]
    )
    words = listed_members(body, start, end)
    if any(is_known(w) for w in words):
        return False
    return any(is_common(w) or (longer and w.islower() and w.isalpha()) for w in words)
