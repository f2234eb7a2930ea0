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
from pathlib import Path

import rjieba
from pypinyin import lazy_pinyin
from pypinyin.seg.simpleseg import seg as pinyin_words

DATA_DIR = Path(__file__).parent / "data"


@functools.cache
def _tokenizer() -> rjieba.Jieba:
    """A private jieba-rs tokenizer with the domain dictionary (no global state shared)."""
    tokenizer = rjieba.Jieba()
    for line in (DATA_DIR / "dictionary.txt").read_text(encoding="utf-8").splitlines():
        word, *rest = line.split() or [""]
        if word:
            frequency = int(rest[0]) if rest else None
            tokenizer.add_word(word, frequency, rest[1] if len(rest) > 1 else None)
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
    words = tokenizer.cut_for_search(text, True) if for_index else tokenizer.cut(text, True)
    return " ".join(word for word in words if word.isalnum() or _is_word(word))


def tokens(text: str) -> list[str]:
    """``text`` cut in the precise mode, spaces and punctuation kept: joined, they give the text
    back, so a caller can leave some words out and keep the rest as it was written."""
    return list(_tokenizer().cut(text, True)) if text else []


def _is_word(token: str) -> bool:
    """A token with a letter or digit in it (9001C-2017, 3.5%), not punctuation or space."""
    return any(character.isalnum() for character in token)


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
