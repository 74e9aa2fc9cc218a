"""Legacy encodings on real text: re-encode, decode without a hint, compare (issue 12).

The set is built at test time: the WCXB dev pages' human-checked `main_content` (when
../shared/data is beside the checkout) plus the texts below, written for this test. Each
encoding is judged on the texts of the script it serves: Western code pages on Latin texts
that use a letter or sign above ASCII, Cyrillic ones on Cyrillic texts, Shift-JIS on
Japanese, GB18030 on Chinese; UTF-16 on everything. Texts whose bytes in the encoding are
also valid UTF-8 are left out: any decoder must read those as UTF-8 (the dev set holds a
few pages that are themselves mojibake, "â€™" and C1 controls).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.text.decoding import DecodeError, decode_text

WCXB = Path(__file__).resolve().parents[2] / "shared" / "data" / "wcxb-dev" / "ground-truth"
MIN_CHARS = 200
MIN_ROUND_TRIP = 0.99

OWN_TEXTS: dict[str, str] = {
    "en": (
        "The council’s vote — taken late on Wednesday after a long debate — clears the way "
        "for the bridge repairs. Work starts in spring and should last about two years; "
        "traffic will use a temporary crossing downstream. “We asked for the footpath to stay "
        "open,” one resident said, and the engineers agreed to keep it open most of the time."
    ),
    "fr": (
        "Le conseil municipal a approuvé mercredi le plan de rénovation du vieux pont. Les "
        "travaux commenceront au printemps et dureront environ deux ans ; pendant ce temps, "
        "la circulation passera par un pont provisoire en aval. Au cœur du débat, le coût : "
        "14 M€, partagés entre la région et la ville, selon l'adjoint chargé des finances."
    ),
    "fr-latin1": (
        "Les habitants des quais ont demandé que le trottoir reste ouvert pendant le chantier, "
        "et les ingénieurs ont promis de le garder accessible la plupart du temps. La "
        "municipalité présentera le calendrier détaillé à la réunion publique de décembre, "
        "à l'école élémentaire du quartier."
    ),
    "de": (
        "Der Stadtrat hat am Mittwoch die Sanierung der alten Brücke beschlossen. Die "
        "Arbeiten beginnen im Frühjahr und dauern etwa zwei Jahre; während dieser Zeit wird "
        "der Verkehr über eine Behelfsbrücke flussabwärts geführt. Anwohner am Ufer baten "
        "darum, den Fußweg offen zu halten, und die Planer sagten zu, ihn größtenteils "
        "zugänglich zu lassen."
    ),
    "es": (
        "El ayuntamiento aprobó el miércoles el plan para reformar el viejo puente sobre el "
        "río. Las obras empezarán en primavera y durarán unos dos años; mientras tanto, el "
        "tráfico pasará por un puente provisional río abajo. ¿Cuánto costará? Según el "
        "concejal de Hacienda, la región y la ciudad pagarán a partes iguales."
    ),
    "ru": (
        "Городской совет в среду утвердил план ремонта старого моста через реку. Работы "
        "начнутся весной и продлятся около двух лет, а движение транспорта на это время "
        "перенесут на временную переправу ниже по течению. Жители прибрежных кварталов "
        "просили сохранить пешеходную дорожку, и проектировщики пообещали оставить её "
        "открытой большую часть срока."
    ),
    "ru-2": (
        "Финансирование разделят между областным бюджетом и городской казной. Глава "
        "комиссии по транспорту сказал, что смета уже включает возможный рост цен на металл "
        "и бетон, поэтому дополнительных займов не потребуется. Подробный график работ "
        "покажут на публичных слушаниях в декабре."
    ),
    "uk": (
        "Міська рада в середу затвердила план ремонту старого мосту через річку. Роботи "
        "почнуться навесні й триватимуть близько двох років, а рух транспорту тимчасово "
        "перенесуть на переправу нижче за течією. Мешканці прибережних кварталів просили "
        "зберегти пішохідну доріжку, і проєктувальники пообіцяли її не закривати."
    ),
    "ja": (
        "市議会は水曜日、川に架かる古い橋の改修計画を承認した。工事は来年の春に始まり、およそ"
        "二年間続く予定だ。その間、車の通行は下流の仮設の橋に切り替えられる。川沿いに住む人たち"
        "は歩道を残してほしいと求めており、設計者は工事期間の大半で歩道を開けておくと約束した。"
        "費用は県の予算と市の財源で分担する。交通委員会の委員長は、鉄やコンクリートの値上がりも"
        "見積もりに含めているため、新たな借り入れは必要ないと説明した。工事の詳しい日程は、十二月"
        "に開かれる住民説明会で示される。説明会では、通学路の安全対策や夜間工事の騒音についても"
        "話し合われる見通しだ。地元の商店街は、仮設の橋ができるまでの間、客足が減るのではないか"
        "と心配している。"
    ),
    "zh": (
        "市议会星期三批准了修缮河上旧桥的计划。工程将于明年春天开始，预计持续大约两年。在此期间，"
        "车辆将改走下游的临时便桥。沿河居民希望保留人行道，设计人员承诺在大部分工期内保持人行道"
        "开放。资金将由省级预算和市财政共同承担。交通委员会主任表示，预算已经考虑到钢材和混凝土"
        "价格可能上涨，因此不需要额外贷款。详细的施工时间表将在十二月的听证会上公布。听证会还将"
        "讨论上学路线的安全措施和夜间施工的噪音问题。当地商户担心，在临时便桥建成之前，顾客会"
        "明显减少。市政府表示，将为受影响的商户提供一定的补贴，并在施工期间增加公交班次，方便"
        "居民出行。"
    ),
}

# encoding: which texts it is judged on (by script)
WESTERN = ("cp1252", "latin-1", "iso-8859-15")
CYRILLIC = ("windows-1251", "koi8-r")
ENCODINGS = (*WESTERN, *CYRILLIC, "shift_jis", "gb18030", "utf-16", "utf-16-le", "utf-16-be")


def _real_texts() -> list[str]:
    """The dev set's main texts of at least MIN_CHARS characters ([] when absent)."""
    if not WCXB.is_dir():
        return []
    texts = []
    for path in sorted(WCXB.glob("*.json")):
        text = json.loads(path.read_text(encoding="utf-8"))["ground_truth"].get("main_content")
        if text and len(text) >= MIN_CHARS:
            texts.append(text)
    return texts


TEXTS = [*OWN_TEXTS.values(), *_real_texts()]


def _script_share(text: str, low: int, high: int) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(low <= ord(ch) <= high for ch in letters) / max(len(letters), 1)


def serves(encoding: str, text: str) -> bool:
    """Whether the text is in the script the encoding is for."""
    if encoding.startswith("utf-16"):
        return True
    if encoding in WESTERN:
        return not text.isascii() and _script_share(text, 0, 0x024F) > 0.95
    if encoding in CYRILLIC:
        return _script_share(text, 0x0400, 0x04FF) > 0.5
    if encoding == "shift_jis":
        return _script_share(text, 0x3040, 0x30FF) > 0.05  # kana: Japanese, not Chinese
    return _script_share(text, 0x4E00, 0x9FFF) > 0.5 and _script_share(text, 0x3040, 0x30FF) == 0


def cases(encoding: str) -> Iterator[tuple[str, bytes]]:
    """(text, bytes) for every text of the set that the encoding serves and can hold."""
    for text in TEXTS:
        if len(text) < MIN_CHARS or not serves(encoding, text) or _has_c1_controls(text):
            continue
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        if not encoding.startswith("utf") and not data.isascii() and _is_utf8(data):
            continue
        yield text, data


def _has_c1_controls(text: str) -> bool:
    """C1 controls (U+0080-U+009F) are no real text: they are the dev set's own mojibake."""
    return any(0x80 <= ord(ch) <= 0x9F for ch in text)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def expected(text: str) -> str:
    """What decoding promises: NFC, Unix newlines."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_round_trip_per_encoding(encoding: str) -> None:
    pairs = list(cases(encoding))
    assert pairs, f"no text for {encoding}"
    failures = [text[:60] for text, data in pairs if decode_text(data) != expected(text)]
    rate = 1 - len(failures) / len(pairs)
    assert rate >= MIN_ROUND_TRIP, f"{encoding}: {rate:.3f} of {len(pairs)}; {failures[:5]}"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("en", "cp1252"),
        ("fr", "cp1252"),
        ("fr", "iso-8859-15"),
        ("fr-latin1", "latin-1"),
        ("de", "latin-1"),
        ("es", "cp1252"),
        ("ru", "windows-1251"),
        ("ru", "koi8-r"),
        ("ru-2", "koi8-r"),
        ("uk", "windows-1251"),
        ("ja", "shift_jis"),
        ("zh", "gb18030"),
        ("ja", "utf-16-le"),
        ("zh", "utf-16-be"),
        ("ru", "utf-16-le"),
        ("en", "utf-16-be"),
    ],
)
def test_own_texts_round_trip(name: str, encoding: str) -> None:
    assert decode_text(OWN_TEXTS[name].encode(encoding)) == OWN_TEXTS[name]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"Tickets now cost \xa340 for adults, the operator said on Monday.", "£40"),
        (b"The council\x92s vote came late on Wednesday after a long debate.", "council’s"),
        (b"Prices rose 3% in May \x96 the sharpest rise this year.", "May – the"),
    ],
)
def test_a_stray_byte_in_ascii_is_windows_1252(data: bytes, text: str) -> None:
    assert text in decode_text(data)


def _has_cjk(text: str) -> bool:
    return any(0x3040 <= ord(ch) <= 0x9FFF or 0xAC00 <= ord(ch) <= 0xD7AF for ch in text)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from(OWN_TEXTS["en"].encode("ascii", "ignore").split()), min_size=8),
    stray=st.lists(st.integers(0x80, 0xFF), min_size=1, max_size=3),
)
def test_mostly_ascii_is_never_read_as_cjk(words: list[bytes], stray: list[int]) -> None:
    """Stray non-UTF-8 bytes (each alone between words) in English never turn it into CJK."""
    data = b" ".join(
        w + (bytes([stray[i]]) if i < len(stray) else b"") for i, w in enumerate(words)
    )
    text = decode_text(data)
    assert not _has_cjk(text)
    assert all(w.decode() in text for w in words)


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (b"keep\x80 The The The The The The to", "keep"),  # once read as UTF-16: all CJK
        (b"The\xc3 The\xdd councils\xec The The The The The", "councils"),  # once cp1258
    ],
)
def test_stray_bytes_found_by_the_property_stay_english(data: bytes, word: str) -> None:
    text = decode_text(data)
    assert not _has_cjk(text)
    assert word in text


def test_real_mostly_ascii_pages_are_never_read_as_cjk() -> None:
    western = [data for _, data in cases("cp1252")]
    if len(western) < 10:
        pytest.skip("../shared/data/wcxb-dev is not beside this checkout")
    assert not [data[:40] for data in western if _has_cjk(decode_text(data))]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text_not_binary(encoding: str) -> None:
    text = "Harbour reopens after storm\n\nThe harbour reopened on Monday."
    assert decode_text(text.encode(encoding)) == text


def test_binary_with_nul_bytes_is_still_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(DecodeError) as info:
        decode_text(png)
    assert info.value.error_type == "binary_content"
