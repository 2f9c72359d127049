"""No illegal or harmful item names a well-known real person or company.

A denylist cannot prove that every name is fictional; it catches the mistakes most likely to
hurt someone real: the politicians, public figures and companies most often named in Japanese
online abuse. The authoring rules (dataset cards) require invented names throughout.
"""

import json
from pathlib import Path

import pytest

from benchmark.resources import builtin_data_dir, guidelines_dir

REAL_NAMES = (
    # politicians and officials (surname + given name, or distinctive full names)
    "安倍晋三", "菅義偉", "岸田文雄", "石破茂", "高市早苗", "小泉進次郎", "河野太郎", "麻生太郎", "小池百合子",
    "蓮舫", "枝野幸男", "野田佳彦", "鳩山由紀夫", "玉木雄一郎", "山本太郎", "吉村洋文", "橋下徹", "松井一郎",
    "志位和夫", "福島瑞穂", "二階俊博", "茂木敏充", "加藤勝信", "林芳正", "上川陽子", "立花孝志",
    # public figures
    "木村拓哉", "松本人志", "明石家さんま", "ビートたけし", "北野武", "大谷翔平", "羽生結弦", "浅田真央",
    "錦織圭", "大坂なおみ", "イチロー", "本田圭佑", "堀江貴文", "ひろゆき", "西村博之", "孫正義", "柳井正",
    "前澤友作", "三木谷浩史", "ヒカキン", "HIKAKIN", "はじめしゃちょー", "指原莉乃", "橋本環奈", "新垣結衣",
    "石原さとみ", "米津玄師", "宇多田ヒカル", "ジャニー喜多川", "中居正広", "香取慎吾", "有吉弘行",
    # companies and brands
    "トヨタ", "ソニー", "任天堂", "パナソニック", "日立", "東芝", "シャープ", "ソフトバンク", "楽天", "ユニクロ",
    "ファーストリテイリング", "セブンイレブン", "ローソン", "ファミリーマート", "マクドナルド", "吉野家", "すき家",
    "松屋", "スシロー", "くら寿司", "はま寿司", "サイゼリヤ", "ガスト", "丸亀製麺", "ジャニーズ", "吉本興業",
    "電通", "日本郵便", "NTT", "KDDI", "ドコモ", "三菱UFJ", "みずほ", "三井住友", "ゆうちょ", "日産",
    "ホンダ", "キヤノン", "ニトリ", "イオン", "ダイソー", "メルカリ", "LINEヤフー", "ヤフー", "グーグル",
    "Google", "Amazon", "アマゾン", "Twitter", "Meta", "TikTok", "ビッグモーター", "ホストクラブ愛",
    # platforms and apps (a generic word such as SNS or 配信者 is used instead)
    "YouTube", "インスタ", "Instagram", "LINE", "Facebook", "ニコニコ", "Discord", "Twitch",
)  # fmt: skip


def _items():
    sources = [
        builtin_data_dir("hibo_core") / "posts.jsonl",
        builtin_data_dir("hibo_check") / "cases.jsonl",
        guidelines_dir() / "examples.jsonl",
        guidelines_dir() / "quiz.jsonl",
    ]
    for path in sources:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["label"] in ("illegal", "harmful"):
                yield path.name, item


@pytest.fixture(scope="module")
def harmful_items():
    return list(_items())


@pytest.mark.parametrize("name", REAL_NAMES)
def test_no_real_name_in_illegal_or_harmful_items(name, harmful_items):
    hits = [f"{source}:{item['id']}" for source, item in harmful_items if name in item["text"]]
    assert not hits, f"{name!r} appears in {hits[:5]}"
