"""Chinese text analysis done in Python, at index and at query time alike.

The engine's CJK bigram analysis gives recall (any two adjacent characters match); word-level
segmentation gives precision (北斗导航 is one term, not 北斗 + 斗导 + 导航). OpenSearch ships no
Chinese word segmenter without a plugin, so jieba (jieba-rs, its Rust port, through rjieba)
segments here, with a domain dictionary, into space-separated words that a whitespace-analysed
field indexes. The same function runs on the
query, so both sides always agree. Pinyin initials and full pinyin feed the suggestions, so that
``bddh`` finds 北斗导航.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import rjieba
from pypinyin import lazy_pinyin
from pypinyin.seg.simpleseg import seg as pinyin_words

DATA_DIR = Path(__file__).parent / "data"

#: A standard's or certificate's code as people write it: GJB 150A, GJB150A-2009, GB/T 4754,
#: GBT4754, ISO 9001. Java's and Python's regular expressions read it alike, so the engine's
#: character filter (``search.documents``) and ``normalise_codes`` join the same codes.
CODE_PATTERN = (
    r"(?i)(?<![A-Z0-9])(GJB|GB|ISO|IEC|QJ|HB|SJ|WJ|CB)(?:\s*/?\s*[TZ](?=[\s\d]))?[\s-]*(\d)"
)
CODE_REPLACEMENT = "$1$2"


def normalise_codes(text: str) -> str:
    """``text`` with each standard code written as one token (GJB 150A -> GJB150A, GB/T 4754
    -> GB4754), so that every way of writing a code is found by every other."""
    return _CODE.sub(r"\1\2", text)


_CODE = re.compile(CODE_PATTERN)


@functools.cache
def _tokenizer() -> rjieba.Jieba:
    """A private jieba-rs tokenizer with the domain dictionary (no global state shared)."""
    tokenizer = rjieba.Jieba()
    listed = set()
    for line in (DATA_DIR / "dictionary.txt").read_text(encoding="utf-8").splitlines():
        word, *rest = line.split() or [""]
        if word:
            frequency = int(rest[0]) if rest else None
            tokenizer.add_word(word, frequency, rest[1] if len(rest) > 1 else None)
            listed.add(word)
    for word in synonym_words():  # cut whole, or the synonym filter never sees them
        if word not in listed:
            tokenizer.add_word(word, SYNONYM_FREQUENCY, None)
    return tokenizer


def segment(text: str, *, for_index: bool = False) -> str:
    """Words of ``text`` separated by spaces (punctuation and whitespace dropped).

    Documents are cut in jieba's search mode, which adds the shorter words inside long ones
    (稀土永磁材料 also yields 稀土, 永磁, 材料), so a query for the shorter word still finds
    the longer one; queries are cut in the precise mode.

    jieba-rs (through rjieba) cuts as the reference Python jieba does with the same
    dictionary (tests/search/test_segmentation.py compares them on the demo registry) at a
    fraction of its cost: segmentation was half of a rebuild's time in Python jieba.
    """
    if not text:
        return ""
    tokenizer = _tokenizer()
    text = normalise_codes(text)
    words = tokenizer.cut_for_search(text, True) if for_index else tokenizer.cut(text, True)
    return " ".join(word for word in words if word.isalnum() or _is_word(word))


@functools.lru_cache(maxsize=5_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The shorter dictionary words that make up ``word`` end to end (北斗终端 -> 北斗, 终端),
    longest first from the left, or () when they do not cover it (无人机 holds 无人 but no
    word for its last character)."""
    parts = {part for part in _tokenizer().cut_for_search(word, True) if part != word}
    cover: list[str] = []
    position = 0
    while position < len(word):
        longest = max((p for p in parts if word.startswith(p, position)), key=len, default="")
        if not longest:
            return ()
        cover.append(longest)
        position += len(longest)
    return tuple(cover)


def tokens(text: str) -> list[str]:
    """``text`` cut in the precise mode, spaces and punctuation kept: joined, they give the text
    back, so a caller can leave some words out and keep the rest as it was written."""
    return list(_tokenizer().cut(text, True)) if text else []


def _is_word(token: str) -> bool:
    """A token with a letter or digit in it (9001C-2017, 3.5%), not punctuation or space."""
    return any(character.isalnum() for character in token)


#: The dictionary frequency a synonym's word gets when the dictionary does not list it.
SYNONYM_FREQUENCY = 30


def synonym_words() -> list[str]:
    """The Chinese words of the synonym rules, each once."""
    found = [
        word.strip() for rule in synonyms() for side in rule.split("=>") for word in side.split(",")
    ]
    return list(dict.fromkeys(word for word in found if word and not word.isascii()))


def synonyms() -> list[str]:
    """Synonym rules (Solr format) for the engine's synonym_graph filter."""
    lines = (DATA_DIR / "synonyms.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@functools.lru_cache(maxsize=20_000)
def pinyin_forms(phrase: str) -> tuple[str, str]:
    """(initials, full pinyin) of a phrase: 北斗导航 -> ("bddh", "beidoudaohang").

    pypinyin cuts a phrase into words (its own segmentation) and converts each word on its own,
    so the phrase's pinyin is its words' pinyin in a row; the words are cached because names
    are made of a few thousand recurring words while almost every name is new (identical output
    on the 126,719 distinct phrases of a 100,000-profile registry, at a fifth of the cost). The
    initials are the syllables' first letters, as in pypinyin's FIRST_LETTER style.
    """
    syllables = [syllable for word in pinyin_words(phrase) for syllable in _word_pinyin(word)]
    return "".join(s[0] for s in syllables).lower(), "".join(syllables).lower()


@functools.lru_cache(maxsize=50_000)
def _word_pinyin(word: str) -> tuple[str, ...]:
    return tuple(syllable for syllable in lazy_pinyin(word, errors="ignore") if syllable)


def clear_caches() -> None:
    """Forget the cached pinyin, as a new process starts (bench/indexing.py times cold builds)."""
    pinyin_forms.cache_clear()
    _word_pinyin.cache_clear()


def suggestion_inputs(phrases: list[str]) -> list[str]:
    """What the suggest field indexes for ``phrases``: each phrase, its initials, its pinyin."""
    inputs: list[str] = []
    for phrase in phrases:
        phrase = phrase.strip()
        if not phrase:
            continue
        initials, full = pinyin_forms(phrase)
        inputs.extend(value for value in (phrase, initials, full) if value)
    return list(dict.fromkeys(inputs))


def phrase_matches_prefix(phrase: str, prefix: str) -> bool:
    """Whether a suggestion phrase answers what the user typed so far (text or pinyin)."""
    prefix = prefix.strip().lower()
    if not prefix:
        return False
    if phrase.lower().startswith(prefix) or (len(prefix) > 1 and prefix in phrase.lower()):
        return True
    initials, full = pinyin_forms(phrase)
    return initials.startswith(prefix) or full.startswith(prefix)
