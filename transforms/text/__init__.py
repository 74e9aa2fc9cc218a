"""Text: the stage that decides what the characters of an input are and how they read.

Bytes become NFC text (`decoding`: BOMs, gzip with a cap, the one charset decision, double
encoding repaired by `mojibake`); text gets its language and word count (`language`), its
sentence boundaries and a summary (`sentences`), its publication dates (`dates`) and the URLs
written in it with the keys that resolve a link to an article (`urls`), and the one way text
is normalised for display and compared (`normalise`). Imports no other stage.
"""

from transforms.text.dates import date_in_path, date_in_url, first_plausible, parse_datetime
from transforms.text.decoding import (
    DEFAULT_MAX_BYTES,
    DecodeError,
    decode_html,
    decode_text,
    gunzip_capped,
)
from transforms.text.language import detect_language, word_count
from transforms.text.mojibake import repair_mojibake
from transforms.text.normalise import collapse_text, compact_key
from transforms.text.sentences import sentence_index, sentence_starts, split_sentences, summarize
from transforms.text.urls import find_text_urls, registered_domain, title_key, url_key

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DecodeError",
    "collapse_text",
    "compact_key",
    "date_in_path",
    "date_in_url",
    "decode_html",
    "decode_text",
    "detect_language",
    "find_text_urls",
    "first_plausible",
    "gunzip_capped",
    "parse_datetime",
    "registered_domain",
    "repair_mojibake",
    "sentence_index",
    "sentence_starts",
    "split_sentences",
    "summarize",
    "title_key",
    "url_key",
    "word_count",
]
