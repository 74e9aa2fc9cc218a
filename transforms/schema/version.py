"""The pipeline's version: a change to what rows an input produces bumps it, and every input
processed by another version is processed again (DESIGN: the same inputs and version give
the same rows)."""

# 0.3.0: site keys, dup groups, entity ids by name or GeoNames id. 0.4.0: words counted per
# Chinese/Japanese character, sentences end at 。！？, index pages told by their text's
# sentences and links (rows of the same inputs change: they are processed again). 0.4.1: a
# link out of the raw root is the reject `outside_raw` (was `outside_root`), checked on open.
# 0.4.2: places only from a place reading. 0.5.0: articles carry the page's description,
# image_url, categories and tags. 0.5.1: a body over 100k characters reaches the entity model
# in pieces (its spans near the cuts can differ).
# 0.6.0: page kind a label (index pages are rows), published_date, modified_at, error_page.
# 0.6.1: index rules re-tuned on every real set (page_kind labels change).
# 0.6.2: language from the text, entities only for a language with a model (entities_status),
# entity types from evidence (the model one source), misread surnames joined.
# 0.6.3: common nouns in capitals and acronyms of common nouns are no entities, a list's known
# members type the others, "C++"-style names are software.
# 0.6.4: US state codes in a place context are the state; "an X" is a thing, "the X" no person;
# capitals of a common word ("FREE") are no entity.
# 0.6.5: published_at the day most of the page's date witnesses give; page kind rules fixed
# where they misread articles (rel=next, og:video, deep "collection", ?p=N, long short
# headlines); an <h1> logo is no headline; PHP warnings are no text.
# 0.6.6: a surname is not repeated where the article uses the word as a common noun; a list
# member the model missed still tells the list's kind.
# 0.6.7: a capitalised common word opening a sentence before a subject's verb ("Shell said")
# stays a name.
# 0.6.8: page kind: pagination +4 (a link to a list's second page), a site's front page +2.
# 0.6.9: a one-word ORG the model also reads as a place somewhere is no misread surname;
# family words said as names (Dad, Mom) and RSS are no entities; the page's declared
# language breaks a near tie of the text's two likeliest.
# 0.6.10: a folder named for a file format (html/, text/, warc/) is no site.
# 0.6.11: a page whose metadata says it is one story and whose text has no sentence (a video
# page) is scored on its markup: its text's page-kind rules are not counted.
# 0.7.0: French articles get entities from the French model (fr_core_news_md; its labels in
# the project's types, MISC a new type); spans cut at a spaced ":" or ">".
# 0.7.1: an entity's name is the one most of its articles give it; a spelling with a capital
# inside a word is its own entity ("ReAct" apart from "React"), a rarer plain spelling
# links to it (same_as); votes store each article's name; "Apple Pay" beside "Apple" is a
# product; islands and former countries are places; a list inside a sentence keeps its
# capitals as evidence.
# 0.7.2: the dates a page's text writes under its headline (its byline's) and labels as
# published are its first date witnesses (published_at_source `text`); a timed witness of
# the chosen day gives the instant; without an `<h1>`, a heading classed as the entry's title
# is a headline candidate.
# 0.7.3: dates: a metadata "publication" on the modified day is the last save when the byline
# writes an earlier day; a byline's update date dates a page that states no publication date;
# an ambiguous 09.10.2024 is read in the order the metadata confirms; "May 21, 2025 April 24,
# 2025" with May 21 the modified day is April 24; above the headline, an update is skipped.
# 0.7.4: provinces and states of CA, AU, IN, PK, ZA are places of their country; a numbered
# city district has no alternate names ("Élysée"); "the Government", "the State", "the City
# Council" and "Email" are no names.
# 0.7.5: a place written before its state or country ("Ferguson, Mo.", "Broward County,
# Florida") is a place (a county so placed, in all its article's mentions).
# 0.7.6: a name the model reads as a people that no table knows as one takes the kind of the
# software it is listed with, and is a platform after "on" ("on Debian").
# 0.7.7: a URL whose query names one item by its number (`?p=2895`, `tt_news=5793`) is -1 to
# the index score (article evidence, like a date in the URL).
# 0.7.8: an account handle ("@name") is no name.
# 0.7.9: a people's plural is its demonym ("Americans" is the entity "American").
# 0.7.10: a one-word person name the table also holds as a place links to no full name.
PIPELINE_VERSION = "0.7.10"
