"""Entities: the stage that decides which names an article mentions and what each one is.

`extract_mentions` (`article`) runs the model over the bodies (`spans`), improves its spans
(`rules`, `lines`: datelines and sports lines), drops the common nouns it takes for names
(`commons`, with `lexicon`: English words), finds each article's names with their votes
(`mentions`), reads their type evidence (`types`; `kinds`: platforms, software and brands the
model does not know; `enumerations`: names listed together are of one kind), joins the names
that are one entity in the article (`resolve`), resolves places (`places`, over `gazetteer`)
and gives each entity its canonical name and id (`names`). `corpus` folds every batch's
entity rows into one row and one type per entity. The static tables these rules read are
CSV files in `data/`.

An article is read by the model of its language, English or French (`article.model_language`);
the rules read its language too: titles are each language's, `french` holds the French-only
rules (roles, articles, nationalities, French country names), and the rules that read English
words (common nouns, product cues, lists, cue words) are English-only.
"""

from transforms.entities.article import canonicalize, extract_mentions
from transforms.entities.corpus import fold_entity_rows
from transforms.entities.names import entity_id, name_key
from transforms.entities.places import resolve_place
from transforms.entities.spans import NER_BATCH_SIZE, find_entity_spans
from transforms.entities.types import ENTITY_TYPES, decide_type

__all__ = [
    "ENTITY_TYPES",
    "NER_BATCH_SIZE",
    "canonicalize",
    "decide_type",
    "entity_id",
    "extract_mentions",
    "find_entity_spans",
    "fold_entity_rows",
    "name_key",
    "resolve_place",
]
