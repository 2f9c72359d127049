import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.perturbations import (
    PERTURBATIONS,
    fuseji,
    hiragana_to_katakana,
    homophone_kanji,
    insert_separators,
    katakana_to_hiragana,
    perturb_texts,
    to_full_width_latin,
    to_half_width_katakana,
    to_romaji,
)

POST = "如月はクズ。死ねよ、マジでバカじゃない？SNSで住所晒すぞ ガキが"
japanese = st.text(
    alphabet=st.sampled_from(
        list(
            "あいうえおかがきぎしじすずたちつてなにのはばぱアイウエオカガキギシジスズタチテナニハバパ漢字死ねクズ ABCxyz123、。！？"
        )
    ),
    max_size=40,
)


@pytest.mark.parametrize("name", sorted(PERTURBATIONS))
def test_every_perturbation_is_deterministic_and_seeded(name):
    first = perturb_texts([POST, "短い"], name, seed=3)
    assert first == perturb_texts([POST, "短い"], name, seed=3)
    assert first[0] != POST or name in ("full_width_latin",)


@settings(max_examples=200, deadline=None)
@given(japanese)
def test_width_perturbations_are_undone_by_nfkc(text):
    normal = unicodedata.normalize("NFKC", text)
    assert unicodedata.normalize("NFKC", to_full_width_latin(text, seed=0)) == normal
    assert unicodedata.normalize("NFKC", to_half_width_katakana(text, seed=0)) == normal


@settings(max_examples=200, deadline=None)
@given(japanese)
def test_kana_swaps_round_trip(text):
    katakana_only = hiragana_to_katakana(text, seed=0)
    assert not re.search("[\u3041-\u3096]", katakana_only)
    assert katakana_to_hiragana(katakana_only, seed=0) == katakana_to_hiragana(text, seed=0)


def test_masking_hits_the_signal_words():
    masked = fuseji(POST, seed=0)
    assert "クズ" not in masked and "死ね" not in masked and "住所" not in masked
    assert len(masked) == len(POST) and re.search("[○●＊×]", masked)


def test_homophones_and_separators():
    assert homophone_kanji("お前なんか死ね", seed=0) in {
        f"お前なんか{x}" for x in ("氏ね", "市ね", "4ね", "しね")
    }
    separated = insert_separators("死ね", seed=0)
    assert separated != "死ね" and re.sub("[ ・_.\u200b\u200c\u2060]", "", separated) == "死ね"


def test_romaji():
    assert to_romaji("しね", seed=0) == "shine"
    assert to_romaji("しゃちょうはきっとバカ", seed=0) == "shachouhakittobaka"
    assert to_romaji("如月はクズ", seed=0) == "如月hakuzu"


def test_unknown_perturbation_names_the_choices():
    with pytest.raises(ValueError, match="unknown perturbation 'leet'; choose one of"):
        perturb_texts(["x"], "leet")


def test_a_split_becomes_a_robustness_variant(hibo_core):
    from benchmark.perturbations import perturb_dataset

    variant = perturb_dataset(hibo_core["test"], "romaji", seed=2)
    assert len(variant) == len(hibo_core["test"])
    assert variant["original_text"] == hibo_core["test"]["text"]
    assert variant["label"] == hibo_core["test"]["label"]
    assert variant["text"] == perturb_texts(hibo_core["test"]["text"], "romaji", seed=2)
    assert set(variant["perturbation"]) == {"romaji"}
