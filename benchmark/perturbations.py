"""Japanese evasion perturbations: pure, seeded functions ``f(text, *, seed) -> str``.

They model how abusive posts dodge filters: 伏字 (masking), kana script swaps, half-width
katakana, full-width Latin, romaji, homophone kanji (氏ね), inserted spaces, symbols or
zero-width characters, elongation and emoji. Apply one to a test split to build a
robustness variant (:func:`perturb_texts`).

>>> to_full_width_latin("SNSで晒す", seed=0)
'ＳＮＳで晒す'
>>> hiragana_to_katakana("しね", seed=0)
'シネ'
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datasets import Dataset

Perturbation = Callable[..., str]

# Words that carry the legal or abusive signal; masking and homophones target these first.
SIGNAL_WORDS = (
    "死ね", "しね", "殺す", "ころす", "殺して", "消えろ", "クズ", "ゴミ", "カス", "バカ", "馬鹿", "アホ",
    "キモい", "ブス", "詐欺", "詐欺師", "横領", "不倫", "逮捕", "前科", "犯罪者", "住所", "晒す", "燃やす",
)  # fmt: skip
HOMOPHONES = {
    "死ね": ("氏ね", "市ね", "4ね", "しね"),
    "殺す": ("頃す", "コロす", "ころす"),
    "馬鹿": ("バカ", "ばか", "婆化"),
    "クズ": ("屑", "くず", "ｸｽﾞ"),
    "ゴミ": ("護美", "ごみ", "５３"),
    "詐欺": ("サギ", "さぎ"),
    "キモい": ("きもい", "木藻い"),
}
MASKS = ("○", "●", "＊", "×")
INSERTS = (" ", "・", "_", ".", "\u200b", "\u200c", "\u2060")
EMOJI = ("😂", "🤣", "😡", "🙄", "💢", "👍", "🔥", "😇", "🥺", "✋")
_HIRAGANA = range(0x3041, 0x3097)
_KATAKANA_OFFSET = 0x60
_VOWEL_ENDINGS = set(
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわん"
)


def _rng(seed: int, text: str) -> random.Random:
    # the text is part of the seed so that a whole split is perturbed reproducibly but not identically
    return random.Random(f"{seed}\x00{text}")


def _signal_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for word in SIGNAL_WORDS:
        start = text.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = text.find(word, start + 1)
    return sorted(set(spans))


def fuseji(text: str, *, seed: int, rate: float = 0.5) -> str:
    """伏字: mask part of each signal word (or, without one, a share of kanji/kana) with ○●＊×."""
    rng = _rng(seed, text)
    chars = list(text)
    spans = _signal_spans(text)
    positions = (
        [rng.randrange(a, b) for a, b in spans]
        if spans
        else [i for i, c in enumerate(chars) if _is_japanese(c) and rng.random() < rate * 0.2]
    )
    mask = rng.choice(MASKS)
    for i in positions:
        chars[i] = mask
    return "".join(chars)


def hiragana_to_katakana(text: str, *, seed: int) -> str:
    """All hiragana as katakana (しね → シネ)."""
    return "".join(chr(ord(c) + _KATAKANA_OFFSET) if ord(c) in _HIRAGANA else c for c in text)


def katakana_to_hiragana(text: str, *, seed: int) -> str:
    """All katakana as hiragana (バカ → ばか)."""
    return "".join(
        chr(ord(c) - _KATAKANA_OFFSET) if ord(c) - _KATAKANA_OFFSET in _HIRAGANA else c
        for c in text
    )


def _half_width_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        full = unicodedata.normalize("NFKC", half)
        if len(full) == 1:
            table.setdefault(full, half)
    return table


_TO_HALF = _half_width_table()
_DAKUTEN = {"\u3099": "\uff9e", "\u309a": "\uff9f"}


def to_half_width_katakana(text: str, *, seed: int) -> str:
    """Full-width katakana as half-width (ガキ → ｶﾞｷ); NFKC turns it back."""
    out = []
    for c in text:
        if c in _TO_HALF:
            out.append(_TO_HALF[c])
            continue
        decomposed = unicodedata.normalize("NFD", c)
        base, marks = decomposed[0], decomposed[1:]
        if marks and base in _TO_HALF and all(m in _DAKUTEN for m in marks):
            out.append(_TO_HALF[base] + "".join(_DAKUTEN[m] for m in marks))
        else:
            out.append(c)
    return "".join(out)


def to_full_width_latin(text: str, *, seed: int) -> str:
    """ASCII letters and digits as full-width (SNS → ＳＮＳ); NFKC turns them back."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


_ROMAJI = dict(
    zip(
        "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
        "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽぁぃぅぇぉっゃゅょー",
        "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
        "ma mi mu me mo ya yu yo ra ri ru re ro wa wo n ga gi gu ge go za ji zu ze zo da ji zu de do "
        "ba bi bu be bo pa pi pu pe po a i u e o っ ゃ ゅ ょ -".split(),
        strict=True,
    )
)


def to_romaji(text: str, *, seed: int) -> str:
    """Kana as Hepburn-style romaji (しね → shine); kanji and other characters are kept."""
    kana = katakana_to_hiragana(text, seed=seed)
    out: list[str] = []
    i = 0
    while i < len(kana):
        c = kana[i]
        nxt = kana[i + 1] if i + 1 < len(kana) else ""
        if c in _ROMAJI and nxt in "ゃゅょ" and nxt:
            base = _ROMAJI[c]
            stem = base[:-1] if base.endswith("i") else base
            if stem in ("sh", "ch", "j"):
                out.append(stem + {"ゃ": "a", "ゅ": "u", "ょ": "o"}[nxt])
            else:
                out.append(stem + {"ゃ": "ya", "ゅ": "yu", "ょ": "yo"}[nxt])
            i += 2
            continue
        if c == "っ" and nxt in _ROMAJI:
            out.append(_ROMAJI[nxt][0])
            i += 1
            continue
        romaji = _ROMAJI.get(c)
        # keep characters that are not kana (kanji, symbols) and lone small kana as they were
        out.append(
            romaji if romaji is not None and romaji not in ("っ", "ゃ", "ゅ", "ょ") else text[i]
        )
        i += 1
    return "".join(out)


def homophone_kanji(text: str, *, seed: int) -> str:
    """Signal words written with homophones (死ね → 氏ね / 市ね)."""
    rng = _rng(seed, text)
    for word, options in HOMOPHONES.items():
        if word in text:
            text = text.replace(word, rng.choice(options))
    return text


def insert_separators(text: str, *, seed: int, rate: float = 0.3) -> str:
    """Spaces, symbols or zero-width characters inside words (死・ね, ク\u200bズ)."""
    rng = _rng(seed, text)
    spans = _signal_spans(text) or [(0, len(text))]
    inside = {i for a, b in spans for i in range(a + 1, b)}
    out = []
    for i, c in enumerate(text):
        if i in inside and (rng.random() < rate or len(inside) <= 3):
            out.append(rng.choice(INSERTS))
        out.append(c)
    return "".join(out)


def elongate(text: str, *, seed: int, rate: float = 0.15) -> str:
    """Elongation marks after kana (しねー, うざ〜〜)."""
    rng = _rng(seed, text)
    out = []
    for c in text:
        out.append(c)
        if c in _VOWEL_ENDINGS and rng.random() < rate:
            out.append(rng.choice(("ー", "〜", "ーー", "〜〜")))
    return "".join(out)


def insert_emoji(text: str, *, seed: int, count: int = 2) -> str:
    """A few emoji at random positions."""
    rng = _rng(seed, text)
    chars = list(text)
    for _ in range(count):
        chars.insert(rng.randint(0, len(chars)), rng.choice(EMOJI))
    return "".join(chars)


def _is_japanese(c: str) -> bool:
    return "\u3041" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff"


PERTURBATIONS: dict[str, Perturbation] = {
    "fuseji": fuseji,
    "hiragana_to_katakana": hiragana_to_katakana,
    "katakana_to_hiragana": katakana_to_hiragana,
    "half_width_katakana": to_half_width_katakana,
    "full_width_latin": to_full_width_latin,
    "romaji": to_romaji,
    "homophone_kanji": homophone_kanji,
    "separators": insert_separators,
    "elongation": elongate,
    "emoji": insert_emoji,
}


def perturb_texts(texts: Sequence[str], name: str, *, seed: int = 0) -> list[str]:
    """Apply one named perturbation to every text (e.g. a test split's ``text`` column)."""
    try:
        function = PERTURBATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown perturbation {name!r}; choose one of {sorted(PERTURBATIONS)}."
        ) from None
    return [function(text, seed=seed) for text in texts]


def perturb_dataset(dataset: Dataset, name: str, *, seed: int = 0) -> Dataset:
    """A robustness variant of a split: ``text`` perturbed, the original kept in ``original_text``."""
    texts = list(dataset["text"])
    variant = dataset.add_column("original_text", texts).remove_columns("text")
    return variant.add_column("text", perturb_texts(texts, name, seed=seed)).add_column(
        "perturbation", [name] * len(texts)
    )
