"""Memberships: statements and lists of members, in both languages, on snippets written for these tests.

Each test builds a small page in the style of a kind of statement (a founding sentence with its
signatories, an accession sentence with a date per member, a list under a heading, a bracketed list after
a count, the parties an agreement is in force for, a status) and checks the rows: which organisation,
which members, which dates, with exact quotes. The traps: a list of another organisation's members
(Japan among them) never makes rows of ASEAN, a group named as a whole is not a member, a place is not a
founder, a country beside the statement is not in it, 'joined the talks' is not a membership.
"""

from __future__ import annotations

from pipelines.extract.member_lists import items_in, runs_in
from pipelines.extract.memberships import extract_memberships
from pipelines.extract.source import Source


def read(text: str, language: str) -> list[dict]:
    src = Source("snippet", text, None, language)
    rows = extract_memberships(src)["memberships"]
    for r in rows:
        assert src.text[r["char_start"] : r["char_end"]] == r["quote"]
        assert 0 < len(r["quote"]) <= 400
        assert r["quote"] == r["quote"].strip()
    return rows


def facts(rows: list[dict]) -> set[tuple]:
    return {(r["organization"], r["member_code"], r["status"], r["joined"]) for r in rows}


def quote_of(rows: list[dict], code: str) -> str:
    return next(r["quote"] for r in rows if r["member_code"] == code)


# --- English --------------------------------------------------------------------------------------------


def test_founding_signatories_and_accessions_to_the_agreement_are_members_of_the_centre():
    text = (
        "Membership\n\n"
        "The Pacific Trade Centre was established on 3 March 1990 based on the Agreement on the Pacific Trade "
        "Centre (hereinafter “the Agreement”) signed by the governments of ASEAN, then consisting of the "
        "Republic of Indonesia, Malaysia and the Kingdom Thailand, and Japan. Later Viet Nam (May 4, 1995) and "
        "the Independent State of Papua New Guinea (June 9, 1999) formally acceded to the Agreement. Now all "
        "the 5 ASEAN countries and Japan are members of the Centre.\n"
    )
    rows = read(text, "en")
    assert facts(rows) == {
        ("Pacific Trade Centre", "IDN", "member", "1990-03-03"),
        ("Pacific Trade Centre", "MYS", "member", "1990-03-03"),
        ("Pacific Trade Centre", "THA", "member", "1990-03-03"),
        ("Pacific Trade Centre", "JPN", "member", "1990-03-03"),
        ("Pacific Trade Centre", "VNM", "member", "1995-05-04"),
        ("Pacific Trade Centre", "PNG", "member", "1999-06-09"),
    }
    # The trap: the list describes ASEAN ('then consisting of'), but what the statement is about is the
    # Centre; Japan, listed with them, is not made a member of ASEAN, nor is ASEAN a member of the Centre.
    assert not [r for r in rows if r["organization"] == "ASEAN" or r["member_code"] == "ASEAN"]
    assert quote_of(rows, "PNG").endswith("formally acceded to the Agreement")


def test_formed_by_a_list_then_joined_one_by_one_with_a_date_each():
    text = (
        "The Coral Forum was formed on 2 May 1980 in Suva, Fiji, by Samoa, Tonga and Vanuatu. Palau "
        "subsequently joined on 3 June 1985, Nauru on 1 July 1990, Tuvalu and Kiribati on 4 April 1994, and "
        "Niue on 5 May 1999."
    )
    rows = read(text, "en")
    assert facts(rows) == {
        ("Coral Forum", "WSM", "member", "1980-05-02"),
        ("Coral Forum", "TON", "member", "1980-05-02"),
        ("Coral Forum", "VUT", "member", "1980-05-02"),
        ("Coral Forum", "PLW", "member", "1985-06-03"),
        ("Coral Forum", "NRU", "member", "1990-07-01"),
        ("Coral Forum", "TUV", "member", "1994-04-04"),  # shares the date stated after Kiribati
        ("Coral Forum", "KIR", "member", "1994-04-04"),
        ("Coral Forum", "NIU", "member", "1999-05-05"),
    }  # Fiji is where it was formed, not a founder
    assert "Nauru on 1 July 1990" in quote_of(rows, "NRU")


def test_parties_an_agreement_is_in_force_for_include_asean_itself():
    text = "(As of May 2015, the XYZEP was in force for Japan, Viet Nam, Lao PDR, ASEAN and the Philippines.)"
    assert facts(read(text, "en")) == {
        ("XYZEP", code, "member", None) for code in ("JPN", "VNM", "LAO", "ASEAN", "PHL")
    }  # 'As of May 2015' is when the statement holds, not when they joined


def test_member_lists_under_a_heading_with_bullets_and_in_brackets():
    text = (
        "The seven members of the Harbour Council are:\n\n  • the Kingdom of Cambodia\n  • Malaysia\n"
        "  • Japan\n\nThe Council meets every year.\n\n"
        "Japan works with ASEAN's ten member states on ports, and with other ASEAN member countries "
        "(Singapore, Thailand and the Philippines) on training.\n"
    )
    assert facts(read(text, "en")) == {
        ("Harbour Council", "KHM", "member", None),
        ("Harbour Council", "MYS", "member", None),
        ("Harbour Council", "JPN", "member", None),
        ("ASEAN", "SGP", "member", None),
        ("ASEAN", "THA", "member", None),
        ("ASEAN", "PHL", "member", None),
    }  # Japan, named beside the bracketed list of ASEAN members, is not one of them


def test_status_statements_and_the_centre_resolved_to_the_one_named_before():
    text = (
        "Vietnam is already a member of the Osaka Exchange Centre in Osaka. On June 2, 2003, Laos has joined "
        "the Center. Brunei expressed its intention to join the Centre. Myanmar, a non-member of the Centre, "
        "is encouraged to join. Timor-Leste is an observer of the Island Forum."
    )
    assert facts(read(text, "en")) == {
        ("Osaka Exchange Centre", "VNM", "member", None),
        ("Osaka Exchange Centre", "LAO", "member", "2003-06-02"),
        ("Osaka Exchange Centre", "BRN", "applicant", None),
        ("Osaka Exchange Centre", "MMR", "non-member", None),
        ("Island Forum", "TLS", "observer", None),
    }


def test_english_traps_give_no_rows():
    text = (
        "ASEAN is a regional organisation.\n\n"
        "Prime Minister Tamsin Oduya of Malaysia joined the Summit in Tokyo. Vietnam joined by video link. "
        "Thailand joined the talks on 2 May 2019. Cambodia, Laos and Myanmar joined the ASEAN Summit.\n\n"
        "Participating members: Japan, Thailand and Vietnam.\n\n"
        "The Riverside Institute was established in 2012 by ASEAN with support from Japan and Australia.\n\n"
        "Japan and the ten ASEAN countries agreed to cooperate.\n\n"
        "4. Work with the remaining ASEAN members\n\nJapan extends assistance to Cambodia.\n"
    )
    assert read(text, "en") == []


# --- Japanese -------------------------------------------------------------------------------------------


def test_founders_with_a_count_then_accessions_of_the_organisation_the_passage_is_about():
    text = (
        "南洋協力機構は、太平洋の島国の協力を進める国際機関です。1985年、フィジー、トンガ、サモアの3か国が"
        "設立しました。その後、バヌアツ、パラオが相次いで加盟し、現在は5か国で構成されています。"
    )
    rows = read(text, "ja")
    assert facts(rows) == {
        ("南洋協力機構", "FJI", "member", "1985"),
        ("南洋協力機構", "TON", "member", "1985"),
        ("南洋協力機構", "WSM", "member", "1985"),
        ("南洋協力機構", "VUT", "member", None),
        ("南洋協力機構", "PLW", "member", None),
    }
    assert quote_of(rows, "PLW") == "その後、バヌアツ、パラオが相次いで加盟"


def test_accession_lines_with_a_year_per_member_a_wrapped_name_and_a_page_number():
    text = (
        "２．SPCOとは何か\n\n"
        "1980年 フィジー・トンガ・サモアの3か国により設立\n\n"
        "1990年代 バヌアツ（1994年）、パラオ・ナウ\nル（1996年）が加盟\n\n"
        "121999年 キリバス加盟\n\n"
        "2011年 ツバルが加盟申請（2020年にオブザーバー参加決定）\n\n"
        "2004年 日本が南太平洋友好条約（SPTA）に加盟\n"
    )
    assert facts(read(text, "ja")) == {
        ("SPCO", "FJI", "member", "1980"),
        ("SPCO", "TON", "member", "1980"),
        ("SPCO", "WSM", "member", "1980"),
        ("SPCO", "VUT", "member", "1994"),
        ("SPCO", "PLW", "member", "1996"),  # shares the year stated after Nauru
        ("SPCO", "NRU", "member", "1996"),  # 'ナウ\nル': a name wrapped over a line break
        ("SPCO", "KIR", "member", "1999"),  # '12' is a page number run into the year
        ("SPCO", "TUV", "applicant", "2011"),
        ("SPCO", "TUV", "observer", "2020"),
        ("SPTA", "JPN", "member", "2004"),  # the organisation the statement names, not the slide's
    }


def test_japanese_lists_after_a_count_and_under_a_heading_name_their_own_organisation():
    text = (
        "１．ASEANとは何か\n\n"
        "加盟国：10カ国（ブルネイ、カンボジア、インドネ\nシア、ラオス、マレーシア、ミャンマー、フィリピン、"
        "シンガポール、タイ、ベトナム）\n\n"
        "日本南洋センターの加盟国：日本、インドネシア、タイ\n\n"
        "会合には、SPCO加盟5か国（フィジー、トンガ、サモア、バヌアツ、パラオ）及び日本が参加した。\n\n"
        "XYZのメンバー国：１２カ国\n\nASEAN１０カ国：\n\nタイ、ベトナム\n\n２カ国：\n\n日本、インド\n"
    )
    rows = read(text, "ja")
    asean = {r["member_code"] for r in rows if r["organization"] == "ASEAN"}
    assert asean == {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"}
    # The trap: the Centre's list under an ASEAN slide, Japan among them, is the Centre's.
    assert {r["member_code"] for r in rows if r["organization"] == "日本南洋センター"} == {"JPN", "IDN", "THA"}
    assert {r["member_code"] for r in rows if r["organization"] == "SPCO"} == {"FJI", "TON", "WSM", "VUT", "PLW"}
    # Under a header, a sub-label naming ASEAN is not a statement about ASEAN.
    assert {r["member_code"] for r in rows if r["organization"] == "XYZ"} == {"THA", "VNM", "JPN", "IND"}
    assert {r["organization"] for r in rows} == {"ASEAN", "日本南洋センター", "SPCO", "XYZ"}


def test_japanese_statements_naming_the_organisation_and_the_status():
    text = (
        "ブルネイは1984年にASEANに加盟した。\n\n"
        "カンボジア、ラオス(後発国)は、1995年から1999年にかけて東南アジア諸国連合(ASEAN)に加盟した。\n\n"
        "2001年からEAS首脳会議開催（SPCOのうちパラオ・ナウルは未加盟）\n\n"
        "東ティモールは2022年にSPCOのオブザーバーとなった。\n\n"
        "1967年8月8日、インドネシア、マレーシア、フィリピン、シンガポール、タイの5か国によりASEANが設立された。\n"
    )
    assert facts(read(text, "ja")) == {
        ("ASEAN", "BRN", "member", "1984"),
        ("ASEAN", "KHM", "member", None),  # a range of years is no member's date
        ("ASEAN", "LAO", "member", None),
        ("EAS", "PLW", "non-member", None),
        ("EAS", "NRU", "non-member", None),
        ("SPCO", "TLS", "observer", "2022"),
        ("ASEAN", "IDN", "member", "1967-08-08"),
        ("ASEAN", "MYS", "member", "1967-08-08"),
        ("ASEAN", "PHL", "member", "1967-08-08"),
        ("ASEAN", "SGP", "member", "1967-08-08"),
        ("ASEAN", "THA", "member", "1967-08-08"),
    }


def test_japanese_traps_give_no_rows():
    text = (
        "１．ASEANとは何か\n\n"
        "平成31年3月18日\n\n"
        "ボラン首相はタイを訪問し、ASEAN加盟国の首脳と会談した。\n\n"
        "日本は、カンボジアとの協力を強化し、ミャンマーの加盟を支援した。\n\n"
        "タイとベトナムが工場を設立した。\n\n"
        "ASEAN及びその加盟10カ国との間で会合が開催され、日本からは大臣が出席した。\n\n"
        "5カ国が加盟する地域機構のため、日本は約20億円を拠出。\n\n"
        "参加国：日本、タイ、ベトナム\n"
    )
    assert read(text, "ja") == []


# --- Lists ----------------------------------------------------------------------------------------------


def test_items_keep_formal_prefixes_and_dates_and_leave_names_inside_other_names():
    text = "the Socialist Republic of Viet Nam (May 4, 1995), the ASEAN-Japan Centre, Japan Foundation, ASEAN加盟国"
    src = Source("t", text, None, "en")
    items = items_in(src, 0, len(text))
    assert [(text[i.start : i.end], i.code, i.date.date if i.date else None) for i in items] == [
        ("the Socialist Republic of Viet Nam", "VNM", "1995-05-04")
    ]
    assert text[items[0].end : items[0].stop] == " (May 4, 1995)"


def test_runs_split_where_no_list_separator_joins_the_names():
    text = "Japan, Malaysia and Lao People’s Democratic Republic met Thailand; Cambodia\n・Myanmar"
    src = Source("t", text, None, "en")
    assert [[i.code for i in run.items] for run in runs_in(src, 0, len(text))] == [
        ["JPN", "MYS", "LAO"],
        ["THA", "KHM", "MMR"],
    ]


def test_a_table_row_of_members_under_a_title_naming_the_organisation():
    ja = "SPCOの概要\n加盟国 | フィジー、トンガ、サモア |\n人口 | 120万人 |\n"
    assert facts(read(ja, "ja")) == {("SPCO", code, "member", None) for code in ("FJI", "TON", "WSM")}
    en = "Region Profile: SPCO\n\nMember States | Fiji | Tonga | Samoa\nPopulation | 1.2 million\n"
    rows = read(en, "en")
    assert facts(rows) == {("SPCO", code, "member", None) for code in ("FJI", "TON", "WSM")}
    assert quote_of(rows, "TON") == "Member States | Fiji | Tonga"


def test_became_a_member_and_applied():
    en = (
        "Tonga became the island group's newest member. Samoa became SPCO's sixth member on 30 April 1999. "
        "Japan became a member of the Pacific Development Bank in 1966."
    )
    assert facts(read(en, "en")) == {
        ("SPCO", "WSM", "member", "1999-04-30"),
        ("Pacific Development Bank", "JPN", "member", "1966"),
    }
    ja = "SPCOは太平洋の地域機構である。ツバルが2019年に加盟を申請した。"
    assert facts(read(ja, "ja")) == {("SPCO", "TUV", "applicant", "2019")}


def test_an_agreement_entering_into_force_for_its_parties_on_a_date_each():
    en = (
        "The Pacific Trade Agreement entered into force on 1 December 2008 for Japan, Singapore and Laos, and "
        "on 1 January 2009 for Brunei and Malaysia."
    )
    assert facts(read(en, "en")) == {
        *{("Pacific Trade Agreement", code, "member", "2008-12-01") for code in ("JPN", "SGP", "LAO")},
        *{("Pacific Trade Agreement", code, "member", "2009-01-01") for code in ("BRN", "MYS")},
    }
    ja = (
        "XYZ協定は、2010年4月1日に日本と3か国（シンガポール、ラオス、ベトナム）との間で発効し、その後、"
        "マレーシア、タイについても発効した。"
    )
    assert facts(read(ja, "ja")) == {
        *{("XYZ協定", code, "member", "2010-04-01") for code in ("JPN", "SGP", "LAO", "VNM")},
        *{("XYZ協定", code, "member", None) for code in ("MYS", "THA")},  # 'その後': no date of theirs
    }


def test_members_listed_after_a_group_named_as_a_whole():
    en = (
        "The Osaka Exchange Centre opened in 1990. The Centre's members are the ten ASEAN Member States (AMS) "
        "and Japan. The Island Institute's member countries are the 10 ASEAN Member States, Australia, Korea, "
        "and New Zealand."
    )
    assert facts(read(en, "en")) == {
        ("Osaka Exchange Centre", "JPN", "member", None),
        ("Island Institute", "AUS", "member", None),
        ("Island Institute", "KOR", "member", None),
        ("Island Institute", "NZL", "member", None),
    }
    ja = "日本南洋センターは、1981年に設立された国際機関です。加盟国はASEAN10か国と日本。"
    assert facts(read(ja, "ja")) == {("日本南洋センター", "JPN", "member", None)}


def test_founding_members_in_a_year_and_a_treaty_named_with_its_acronym():
    en = (
        "The founding members of SPCO in 1980 were Fiji, Tonga and Samoa. The members of the Harbour Council "
        "as of 2020 are Japan and Laos. Japan acceded to the Treaty of Friendship in the South Pacific (TFSP) "
        "in 2004."
    )
    assert facts(read(en, "en")) == {
        *{("SPCO", code, "member", "1980") for code in ("FJI", "TON", "WSM")},
        ("Harbour Council", "JPN", "member", None),  # 'as of 2020' is not when they joined
        ("Harbour Council", "LAO", "member", None),
        ("TFSP", "JPN", "member", "2004"),
    }
    ja = "SPCOは1980年、フィジー、トンガ、サモアの3か国で発足した。その後、日本とタイで合弁会社を設立した。"
    assert facts(read(ja, "ja")) == {("SPCO", code, "member", "1980") for code in ("FJI", "TON", "WSM")}


def test_numbered_headings_over_lists_with_a_date_per_new_member():
    en = (
        "Outline of SPCO\n\n4. Membership\n(1)Original members\nFiji, Tonga and Samoa\n\n(2)New members\n"
        "Vanuatu (March 2, 1985)\nPalau and Nauru (June 4, 1994)\n\n*Members are party to the following:\n"
        "●Suva Declaration\n"
    )
    assert facts(read(en, "en")) == {
        *{("SPCO", code, "member", None) for code in ("FJI", "TON", "WSM")},
        ("SPCO", "VUT", "member", "1985-03-02"),
        ("SPCO", "PLW", "member", "1994-06-04"),
        ("SPCO", "NRU", "member", "1994-06-04"),
    }
    ja = (
        "SPCOの基礎知識\n\n4.加盟国 (1) 原加盟国\nフィジー、トンガ、サモア\n(2)新規加盟国\n バヌアツ(1985年3月2日)\n"
        " パラオ、ナウル(1994年6月4日)\n"
    )
    assert facts(read(ja, "ja")) == {
        *{("SPCO", code, "member", None) for code in ("FJI", "TON", "WSM")},
        ("SPCO", "VUT", "member", "1985-03-02"),
        ("SPCO", "PLW", "member", "1994-06-04"),
        ("SPCO", "NRU", "member", "1994-06-04"),
    }


def test_a_list_announced_as_below_and_what_a_later_accession_refers_to():
    ja = (
        "日本南洋センターとは、日本と太平洋諸国をつなぐ国際機関です。\n"
        "2020年時点でのSPCO加盟国は以下のとおりです。\n・フィジー\n・トンガ\n・サモア\n"
        "日本は、加盟国の大使館と連携しています。\nトンガが加盟しているので、交流も盛んです。\n"
    )
    rows = read(ja, "ja")
    assert facts(rows) == {("SPCO", code, "member", None) for code in ("FJI", "TON", "WSM")}
    # Japan, on the line after the list ('日本は、…'), is not one of its items.


def test_joinings_told_one_after_another():
    en = (
        "SPCO was founded in May 1980 in Suva by Fiji, Tonga and Samoa. Vanuatu joined the group in March 1985, "
        "followed by Palau in 1990, Nauru and Tuvalu in 1994 and Kiribati in 1999. Niue (formerly Savage Island) "
        "and Palau were accepted as full members of the association in 2001, as was Tokelau in 2003. Samoa "
        "became the sixth member on 8 January 1984. Tonga was admitted in 1995. Fiji joined SPCO soon after its "
        "independence from the United Kingdom in 1970."
    )
    rows = read(en, "en")
    assert facts(rows) >= {
        *{("SPCO", code, "member", "1980-05") for code in ("FJI", "TON", "WSM")},
        ("SPCO", "VUT", "member", "1985-03"),
        ("SPCO", "PLW", "member", "1990"),
        ("SPCO", "NRU", "member", "1994"),
        ("SPCO", "TUV", "member", "1994"),
        ("SPCO", "KIR", "member", "1999"),
        ("SPCO", "NIU", "member", "2001"),
    }
    assert not [r for r in rows if r["member_code"] == "GBR"]  # a country named in passing is not joining


def test_a_centre_whose_members_are_a_group_and_japan_in_japanese():
    ja = (
        "国際機関日本南洋センター(以下、センター)は、2021年に設立40周年を迎えました。\n\n"
        "センターは、1981年に当時のSPCO加盟国(原加盟国:フィジー、トンガ、サモア)政府および日本政府が協定に署名し、"
        "設立した国際機関です。後にバヌアツ、パラオも加盟し、現在はSPCO全5か国と日本がセンターのメンバー国と"
        "なっています。\n"
    )
    rows = read(ja, "ja")
    assert facts(rows) == {
        ("日本南洋センター", "VUT", "member", None),
        ("日本南洋センター", "PLW", "member", None),
        ("日本南洋センター", "JPN", "member", None),
    }  # the countries that joined later joined the Centre, not SPCO; Japan is the Centre's member


def test_an_agreement_in_force_between_our_country_and_its_partners_and_one_only_planned():
    ja = (
        "日・太平洋経済連携協定(JPEP)の効力の発生について\n\n"
        "1. 日・太平洋経済連携協定は、2009年4月に署名を完了し、同年12月にフィジー、トンガ、サモアの3か国との間で"
        "発効した。\n"
        "2. なお、この協定は、これまでに、我が国と、バヌアツ及びパラオの間で既に効力が発生しています。\n"
        "3. 4月1日に、この協定は、ナウルとの間で発効する予定。\n"
    )
    assert facts(read(ja, "ja")) == {
        *{("日・太平洋経済連携協定", code, "member", "2009-12") for code in ("FJI", "TON", "WSM")},
        *{("日・太平洋経済連携協定", code, "member", None) for code in ("JPN", "VUT", "PLW")},
    }  # Nauru: only planned; '我が国' in a Japanese government text is Japan


def test_an_organisation_named_with_or_and_a_membership_comprising_a_group():
    en = (
        "The South Pacific Cooperation Organisation or SPCO was established on 2 May 1980 in Suva by the three "
        "original member countries, namely, Fiji, Tonga and Samoa. Membership of the Island Summit (IS) comprises "
        "the five SPCO countries, Australia, Japan and the Republic of Korea."
    )
    assert facts(read(en, "en")) == {
        *{("SPCO", code, "member", "1980-05-02") for code in ("FJI", "TON", "WSM")},
        *{("IS", code, "member", None) for code in ("AUS", "JPN", "KOR")},
    }


def test_approximate_counts_and_datelines_around_member_lists():
    en = (
        "Jakarta, 3 March 2016 – Palau joined the Island Forum today. The Island Forum has around 20 members, "
        "including Japan and Fiji. On 2 May 2003, Tonga joined the Island Forum."
    )
    assert facts(read(en, "en")) == {
        ("Island Forum", "PLW", "member", None),  # the dateline is the page's date, not a statement of joining
        ("Island Forum", "JPN", "member", None),  # 'around 20' counts the members, it dates nothing
        ("Island Forum", "FJI", "member", None),
        ("Island Forum", "TON", "member", "2003-05-02"),
    }
    ja = "SPCOは太平洋の地域機構である。加盟国は約20か国（日本、フィジーなど）。\n\n2003年5月2日 トンガ加盟\n"
    assert facts(read(ja, "ja")) == {
        ("SPCO", "JPN", "member", None),
        ("SPCO", "FJI", "member", None),
        ("SPCO", "TON", "member", "2003-05-02"),
    }
