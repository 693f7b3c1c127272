"""The publisher a recorded URL names, used only where the page names none."""

import pytest

from pipelines.documents import Document, with_site_publisher
from pipelines.publishers import publisher_from_url, registrable_name, site_host


@pytest.mark.parametrize(
    "url, language, publisher",
    [
        ("https://www.mofa.go.jp/region/page.html", "en", "Ministry of Foreign Affairs of Japan"),
        ("https://www.mofa.go.jp/mofaj/area/page.html", "ja", "外務省"),
        # A subdomain belongs to the longest listed domain: JAIF's site sits under the Secretariat's.
        ("https://jaif.asean.org/news/x", "en", "JAIF Management Team"),
        ("https://asean.org/news/x", "en", "ASEAN Secretariat"),
        ("https://www.asean.emb-japan.go.jp/release/x.html", "en", "Mission of Japan to ASEAN"),
        ("https://edition.example-daily.co.jp/a/1", "en", "example-daily"),  # unknown: its registered name
        ("http://www.example-news.com/x", "ja", "example-news"),
        ("https://news.example.com.my/a", "en", "example"),
    ],
)
def test_publisher_from_url(url, language, publisher):
    assert publisher_from_url(url, language) == publisher


@pytest.mark.parametrize("url", [None, "", "not a url", "file:///tmp/page.txt", "https://localhost/x"])
def test_no_web_address_names_no_publisher(url):
    assert publisher_from_url(url, "en") is None


def test_a_lookalike_domain_is_not_the_publisher_it_imitates():
    # notmofa.go.jp ends with "mofa.go.jp" as a string, not as a domain.
    assert publisher_from_url("https://notmofa.go.jp/x", "en") == "notmofa"


def test_site_host_and_registered_name():
    assert site_host("HTTPS://WWW.Example.ORG/path") == "example.org"
    assert registrable_name("a.b.example.or.jp") == "example"
    assert registrable_name("example.org") == "example"


def _doc(publisher):
    return Document("p", "p.txt", "text", "0" * 64, "utf-8", None, "en", publisher, None)


def test_what_the_page_states_comes_before_its_site():
    assert with_site_publisher(_doc("Embassy of Ruritania"), "https://www.mofa.go.jp/x").publisher == (
        "Embassy of Ruritania"
    )
    assert with_site_publisher(_doc(None), "https://www.mofa.go.jp/x").publisher == (
        "Ministry of Foreign Affairs of Japan"
    )
    assert with_site_publisher(_doc(None), None).publisher is None
