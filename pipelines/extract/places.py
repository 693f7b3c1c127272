"""Places where meetings are held: a gazetteer of the capitals and major cities of ASEAN's members and
Japan (English and Japanese names) and of Japan's official venues, with the country each is in.

General vocabulary only (a lexicon of places, like the country names of ``pipelines.normalize``):
no place is here because a particular page names it. A venue (迎賓館, 総理官邸) gives the host
country, never a city.
Does not belong here: deciding which place a statement's meeting was held in (``meetings``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines.normalize import country_code_wrapped, country_name_pattern, trie_pattern

# ISO 3166-1 alpha-3 -> city names (English spellings in use, then Japanese).
CITIES: dict[str, tuple[str, ...]] = {
    "BRN": ("Bandar Seri Begawan", "バンダルスリブガワン", "バンダル・スリ・ブガワン"),
    "KHM": ("Phnom Penh", "Siem Reap", "Sihanoukville", "プノンペン", "シェムリアップ", "シアヌークビル"),
    "IDN": (
        "Jakarta",
        "Bali",
        "Nusa Dua",
        "Denpasar",
        "Bandung",
        "Surabaya",
        "Yogyakarta",
        "Medan",
        "Makassar",
        "ジャカルタ",
        "バリ",
        "ヌサドゥア",
        "デンパサール",
        "バンドン",
        "スラバヤ",
        "ジョグジャカルタ",
        "メダン",
        "マカッサル",
    ),
    "LAO": ("Vientiane", "Luang Prabang", "ビエンチャン", "ヴィエンチャン", "ルアンパバーン", "ルアンプラバン"),
    "MYS": (
        "Kuala Lumpur",
        "Putrajaya",
        "Penang",
        "Kota Kinabalu",
        "Kuching",
        "Langkawi",
        "Malacca",
        "Melaka",
        "Johor Bahru",
        "クアラルンプール",
        "プトラジャヤ",
        "ペナン",
        "コタキナバル",
        "クチン",
        "ランカウイ",
        "マラッカ",
        "ジョホールバル",
    ),
    "MMR": (
        "Nay Pyi Taw",
        "Naypyidaw",
        "Naypyitaw",
        "Yangon",
        "Rangoon",
        "Mandalay",
        "ネーピードー",
        "ネピドー",
        "ヤンゴン",
        "マンダレー",
    ),
    "PHL": ("Manila", "Metro Manila", "Cebu", "Davao", "Makati", "Pasay", "マニラ", "セブ", "ダバオ", "マカティ"),
    "SGP": ("Singapore", "シンガポール"),
    "THA": (
        "Bangkok",
        "Chiang Mai",
        "Phuket",
        "Pattaya",
        "Hua Hin",
        "Cha-am",
        "Khon Kaen",
        "バンコク",
        "チェンマイ",
        "プーケット",
        "パタヤ",
        "ホアヒン",
        "チャアム",
        "コンケン",
    ),
    "TLS": ("Dili", "ディリ"),
    "VNM": (
        "Hanoi",
        "Ha Noi",
        "Ho Chi Minh City",
        "Da Nang",
        "Danang",
        "Hue",
        "Hai Phong",
        "Haiphong",
        "Can Tho",
        "ハノイ",
        "ホーチミン",
        "ダナン",
        "フエ",
        "ハイフォン",
        "カントー",
    ),
    "JPN": (
        "Tokyo",
        "Osaka",
        "Kyoto",
        "Nagoya",
        "Yokohama",
        "Kobe",
        "Fukuoka",
        "Sapporo",
        "Sendai",
        "Hiroshima",
        "Nagasaki",
        "Naha",
        "Okinawa",
        "Nara",
        "Niigata",
        "Kumamoto",
        "Kagoshima",
        "Tsukuba",
        "Ise-Shima",
        "東京",
        "大阪",
        "京都",
        "名古屋",
        "横浜",
        "神戸",
        "福岡",
        "札幌",
        "仙台",
        "広島",
        "長崎",
        "那覇",
        "沖縄",
        "奈良",
        "新潟",
        "熊本",
        "鹿児島",
        "つくば",
        "伊勢志摩",
    ),
}
# Official venues of the Government of Japan (the host country, not a city).
JAPAN_VENUES = (
    "総理大臣官邸",
    "総理官邸",
    "首相官邸",
    "迎賓館赤坂離宮",
    "迎賓館",
    "飯倉公館",
    "Prime Minister's Office of Japan",
    "Prime Minister’s Office of Japan",
    "Akasaka Palace",
    "Iikura Guest House",
)

CITY_CODES = {name: code for code, names in CITIES.items() for name in names}
_KATAKANA = "ァ-ヶー"


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    text: str
    code: str  # ISO 3166-1 alpha-3
    kind: str  # city | country | venue


@lru_cache(maxsize=1)
def _city_pattern() -> re.Pattern:
    names = sorted(CITY_CODES, key=len, reverse=True)
    # A city is not part of a longer word: Bali is not in Balik, バリ is not in バリア.
    return re.compile(f"(?<![{_KATAKANA}A-Za-z])(?:{trie_pattern(names)})(?![{_KATAKANA}a-z])")


@lru_cache(maxsize=1)
def _venue_pattern() -> re.Pattern:
    return re.compile(trie_pattern(list(JAPAN_VENUES)))


def places_in(text: str, a: int, b: int) -> list[Place]:
    """Cities, countries and Japan's official venues named in text[a:b], in order (a city that is also a
    country's name, Singapore, is a city)."""
    found: dict[int, Place] = {}
    for m in _city_pattern().finditer(text, a, b):
        found[m.start()] = Place(m.start(), m.end(), m[0], CITY_CODES[m[0]], "city")
    for m in _venue_pattern().finditer(text, a, b):
        found.setdefault(m.start(), Place(m.start(), m.end(), m[0], "JPN", "venue"))
    for m in country_name_pattern().finditer(text, a, b):
        code = country_code_wrapped(m[0])
        if code and len(code) == 3 and not any(p.start <= m.start() < p.end for p in found.values()):
            found.setdefault(m.start(), Place(m.start(), m.end(), m[0], code, "country"))
    return sorted(found.values(), key=lambda p: p.start)
