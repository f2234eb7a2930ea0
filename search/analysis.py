"""Chinese text analysis done in Python, at index and at query time alike.

The engine's CJK bigram analysis gives recall (any two adjacent characters match); word-level
segmentation gives precision (北斗导航 is one term, not 北斗 + 斗导 + 导航). OpenSearch ships no
Chinese word segmenter without a plugin, so jieba segments here, with a domain dictionary, into
space-separated words that a whitespace-analysed field indexes. The same function runs on the
query, so both sides always agree. Pinyin initials and full pinyin feed the suggestions, so that
``bddh`` finds 北斗导航.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import jieba
from pypinyin import lazy_pinyin
from pypinyin.seg.simpleseg import seg as pinyin_words

DATA_DIR = Path(__file__).parent / "data"

jieba.setLogLevel(logging.WARNING)


@functools.cache
def _tokenizer() -> jieba.Tokenizer:
    """A private jieba tokenizer with the domain dictionary (no global state shared)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DATA_DIR / "dictionary.txt"))
    return tokenizer


def segment(text: str, *, for_index: bool = False) -> str:
    """Words of ``text`` separated by spaces (punctuation and whitespace dropped).

    Documents are cut in jieba's search mode, which adds the shorter words inside long ones
    (稀土永磁材料 also yields 稀土, 永磁, 材料), so a query for the shorter word still finds
    the longer one; queries are cut in the precise mode.

    jieba cuts each run of its word characters (``_BLOCK``) on its own, so cutting the runs one
    by one gives the same words as cutting the whole text; the runs are cached because
    profiles repeat clauses, which made segmentation most of a rebuild's time.
    """
    if not text:
        return ""
    words: list[str] = []
    for block in _BLOCK.split(text):
        if block:
            words.extend(_block_words(block, for_index))
    return " ".join(words)


#: jieba's own block pattern: it splits the text on it and segments each block independently.
_BLOCK = jieba.re_han_default


@functools.lru_cache(maxsize=100_000)
def _block_words(block: str, for_index: bool) -> tuple[str, ...]:
    cut = _tokenizer().cut_for_search if for_index else _tokenizer().cut
    words = (word.strip() for word in cut(block, HMM=True))
    return tuple(word for word in words if word and any(ch.isalnum() for ch in word))


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
