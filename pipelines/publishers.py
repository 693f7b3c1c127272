"""Who publishes a web address: the publisher of a document recorded with its URL.

Belongs here: the field's publishers by the web domain they publish under (ministries and agencies
of Japan, ASEAN bodies, the news organisations that report on them), named in English and Japanese;
the registrable domain of any other address (``news.example.co.jp`` → ``example``), which names the
site when no known publisher owns it. Used only when the page itself names no publisher: what a
page states comes first (``pipelines.document_header``).
Does not belong here: reading a page's text, or where a URL is recorded (``raw/sources.csv``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Domain → (English name, Japanese name; the English one again where no Japanese name is established). A subdomain belongs to the longest listed domain it ends
# with (jaif.asean.org is JAIF's, asean.org the Secretariat's). General vocabulary of the field:
# who publishes on Japan–ASEAN cooperation, not the sites of particular documents.
PUBLISHERS_BY_DOMAIN: dict[str, tuple[str, str]] = {
    # Government of Japan
    "mofa.go.jp": ("Ministry of Foreign Affairs of Japan", "外務省"),
    "meti.go.jp": ("Ministry of Economy, Trade and Industry", "経済産業省"),
    "kantei.go.jp": ("Prime Minister's Office of Japan", "首相官邸"),
    "mof.go.jp": ("Ministry of Finance of Japan", "財務省"),
    "maff.go.jp": ("Ministry of Agriculture, Forestry and Fisheries", "農林水産省"),
    "mlit.go.jp": ("Ministry of Land, Infrastructure, Transport and Tourism", "国土交通省"),
    "mhlw.go.jp": ("Ministry of Health, Labour and Welfare", "厚生労働省"),
    "mext.go.jp": ("Ministry of Education, Culture, Sports, Science and Technology", "文部科学省"),
    "env.go.jp": ("Ministry of the Environment", "環境省"),
    "soumu.go.jp": ("Ministry of Internal Affairs and Communications", "総務省"),
    "mod.go.jp": ("Ministry of Defense", "防衛省"),
    "cao.go.jp": ("Cabinet Office", "内閣府"),
    "asean.emb-japan.go.jp": ("Mission of Japan to ASEAN", "東南アジア諸国連合日本政府代表部"),
    # Agencies and bodies of Japan
    "jica.go.jp": ("JICA", "国際協力機構(JICA)"),
    "jetro.go.jp": ("JETRO", "日本貿易振興機構(JETRO)"),
    "jpf.go.jp": ("The Japan Foundation", "国際交流基金"),
    "jbic.go.jp": ("JBIC", "国際協力銀行(JBIC)"),
    "nexi.go.jp": ("NEXI", "日本貿易保険(NEXI)"),
    "jogmec.go.jp": ("JOGMEC", "エネルギー・金属鉱物資源機構(JOGMEC)"),
    "ide.go.jp": ("IDE-JETRO", "アジア経済研究所"),
    "jnto.go.jp": ("Japan National Tourism Organization", "日本政府観光局"),
    "asean.or.jp": ("ASEAN-Japan Centre", "日本アセアンセンター"),
    # ASEAN and regional bodies
    "asean.org": ("ASEAN Secretariat", "ASEAN事務局"),
    "jaif.asean.org": ("JAIF Management Team", "JAIF Management Team"),
    "eria.org": ("ERIA", "東アジア・アセアン経済研究センター(ERIA)"),
    "adb.org": ("Asian Development Bank", "アジア開発銀行"),
    "ahacentre.org": ("AHA Centre", "AHAセンター"),
    # News organisations
    "asahi.com": ("The Asahi Shimbun", "朝日新聞"),
    "yomiuri.co.jp": ("The Yomiuri Shimbun", "読売新聞"),
    "mainichi.jp": ("The Mainichi", "毎日新聞"),
    "nikkei.com": ("Nikkei", "日本経済新聞"),
    "sankei.com": ("The Sankei Shimbun", "産経新聞"),
    "tokyo-np.co.jp": ("Tokyo Shimbun", "東京新聞"),
    "nhk.or.jp": ("NHK", "NHK"),
    "kyodonews.net": ("Kyodo News", "共同通信"),
    "jiji.com": ("Jiji Press", "時事通信"),
    "japantimes.co.jp": ("The Japan Times", "ジャパンタイムズ"),
    "bangkokpost.com": ("Bangkok Post", "バンコク・ポスト"),
    "nationthailand.com": ("The Nation Thailand", "The Nation Thailand"),
    "thejakartapost.com": ("The Jakarta Post", "ジャカルタ・ポスト"),
    "straitstimes.com": ("The Straits Times", "ストレーツ・タイムズ"),
    "vnexpress.net": ("VnExpress", "VnExpress"),
    "thestar.com.my": ("The Star", "The Star"),
    "inquirer.net": ("Philippine Daily Inquirer", "フィリピン・デイリー・インクワイアラー"),
    "reuters.com": ("Reuters", "ロイター"),
    "bloomberg.com": ("Bloomberg", "ブルームバーグ"),
}

# Second-level labels under a country code that are not a site's own name (example.co.jp, example.com.my).
_SECOND_LEVEL = frozenset({"co", "go", "or", "ac", "ne", "gr", "ed", "lg", "ad", "com", "gov", "org", "net", "edu"})


def site_host(url: str) -> str | None:
    """The host of a web address, lower case, without ``www.`` (None when it is not one)."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def registrable_name(host: str) -> str:
    """The name a site is registered under: ``news.example.co.jp`` → ``example``."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def publisher_from_url(url: str | None, language: str) -> str | None:
    """The publisher a document's URL names: a known publisher of the field in the document's
    language (``ja`` or English), else the site's registered name; None without a web address."""
    host = site_host(url) if url else None
    if host is None:
        return None
    owners = [d for d in PUBLISHERS_BY_DOMAIN if host == d or host.endswith("." + d)]
    if owners:
        english, japanese = PUBLISHERS_BY_DOMAIN[max(owners, key=len)]
        return japanese if language == "ja" else english
    return registrable_name(host)
