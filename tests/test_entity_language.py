"""Language first, then entities (issue 24): the language is read from the text, and only an
article in a language the project has a model for gets mentions; the others say why."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import read_table, run_pipeline
from transforms.entities.article import entities_status
from transforms.text.language import article_language

ENGLISH = (
    "Maria Lopez, the mayor of Denver, said on Tuesday that the city would open two new "
    "libraries next year. The council in Denver approved the plan after a long debate."
)
GERMAN = (
    "Die Bürgermeisterin von Hamburg sagte am Dienstag, die Stadt werde im nächsten Jahr "
    "zwei neue Bibliotheken eröffnen. Nein, sagte Ich habe keine Zeit, antwortete der Rat."
)
FRENCH = (
    "La maire de Lyon, Jeanne Moreau-Lefèvre, a annoncé mardi que la ville ouvrira deux "
    "nouvelles bibliothèques l'année prochaine. Selon Mme Moreau-Lefèvre, la Banque de France "
    "financera une partie des travaux, et le président Emmanuel Macron a salué le projet depuis "
    "Bruxelles. Le conseil municipal a approuvé le plan après un long débat."
)


def _page(lang: str, title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    return (
        f"<!doctype html><html lang='{lang}'><head><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def test_the_text_decides_the_language_and_html_lang_fills_in() -> None:
    assert article_language(ENGLISH, "de") == "en"  # an English page of a .de site
    assert article_language(GERMAN, "en") == "de"
    assert article_language("Kurz.", "de") == "de"  # too short to tell: the page's word
    # The text hesitates between two close languages (Norwegian 54 %, Danish 39 %): the
    # page's word breaks the near tie, but not for a language the text does not hesitate on.
    close = "Kommunen har bestemt at den nye skolen skal bygges ved havnen, og arbeidet begynder."
    assert article_language(close, None) == "no"
    assert article_language(close, "da") == "da"
    assert article_language(close, "de") == "no"
    assert entities_status("en") == "extracted"
    assert entities_status(None) == "extracted"
    assert entities_status("de") == "no_model_for_language"
    assert entities_status("fr") == "extracted"
    assert entities_status("it") == "no_model_for_language"
    assert entities_status("en", enabled=False) == "disabled"


def test_only_articles_in_a_modelled_language_get_mentions(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "english.html").write_text(_page("de", "Denver libraries", ENGLISH), "utf-8")
    (raw / "german.html").write_text(_page("de", "Neue Bibliotheken", GERMAN), "utf-8")
    (raw / "french.html").write_text(_page("fr", "Nouvelles bibliothèques", FRENCH), "utf-8")
    out = tmp_path / "out"
    # workers=2: the model loads in the workers, as in production, not in the test process
    run_pipeline(raw, out, entities=True, workers=2)
    articles = {str(a["source_path"]): a for a in read_table(out, "articles")}
    assert {p: (a["language"], a["entities_status"]) for p, a in articles.items()} == {
        "english.html": ("en", "extracted"),
        "german.html": ("de", "no_model_for_language"),
        "french.html": ("fr", "extracted"),
    }
    mentions = read_table(out, "mentions")
    mentioned = {m["article_id"] for m in mentions}
    assert articles["german.html"]["article_id"] not in mentioned
    entities = {str(e["entity_id"]): e for e in read_table(out, "entities")}
    french = articles["french.html"]["article_id"]
    # the French model's PER, ORG and LOC as the project's types; "Mme" and "président"
    # are French titles, stripped; Bruxelles is Brussels (the gazetteer's name, one place
    # with the English articles' Brussels)
    assert {
        (
            str(m["surface"]),
            entities[str(m["entity_id"])]["name"],
            entities[str(m["entity_id"])]["type"],
        )
        for m in mentions
        if m["article_id"] == french
    } == {
        ("Lyon", "Lyon", "GPE"),
        ("Jeanne Moreau-Lefèvre", "Jeanne Moreau-Lefèvre", "PERSON"),
        ("Moreau-Lefèvre", "Jeanne Moreau-Lefèvre", "PERSON"),
        ("Banque de France", "Banque de France", "ORG"),
        ("Emmanuel Macron", "Emmanuel Macron", "PERSON"),
        ("Bruxelles", "Brussels", "GPE"),
    }
    run_pipeline(raw, tmp_path / "plain", entities=False)
    plain = read_table(tmp_path / "plain", "articles")
    assert {a["entities_status"] for a in plain} == {"disabled"}


def test_the_parse_decides_the_language_once_and_keeps_what_the_page_declares() -> None:
    from transforms.parse.document import RawInput, parse_input
    from transforms.records import ParsedDocument

    page = _page("de", "Denver libraries", ENGLISH).encode()
    parsed = parse_input(RawInput("site/english.html", page))
    assert isinstance(parsed, ParsedDocument)
    assert (parsed.declared_language, parsed.language) == ("de", "en")
    plain = parse_input(RawInput("site/german.txt", f"Neue Bibliotheken\n\n{GERMAN}".encode()))
    assert isinstance(plain, ParsedDocument)
    assert (plain.declared_language, plain.language) == (None, "de")
