"""A fixture corpus whose values try to break out of every format the archive writes."""
from __future__ import annotations

from conftest import OUTLETS_YML

HOSTILE_TITLE = '=HYPERLINK("https://evil.example") </title><script>alert(1)</script> {Braces} 100% & co_op #1 \\ ~ ^ $'
HOSTILE_PUBLISHER = "+Wire & Co_{Ltd} 100%"
HOSTILE_SOURCE = "https://dailyplanet.example/news?id=1&x=50%25#top_1"
ARCHIVE_URL = "https://web.archive.org/web/2023/https://dailyplanet.example/news"
GAMMA_TXT = """\
Hostile Headline

The wire service reported that the treaty was signed at the border.
"""
GAMMA_YML = f"""\
title: '{HOSTILE_TITLE}'
outlet: daily-planet
date: 2023-04
topics:
  - border
authors:
  - Jane Reporter
  - Ludwig van Beethoven
original_publisher: '{HOSTILE_PUBLISHER}'
source_url: '{HOSTILE_SOURCE}'
archive_url: {ARCHIVE_URL}
collected: 2024-01-02
summary: '@SUM(1+1) is what a spreadsheet would run.'
"""
HOSTILE_OUTLET = 'Quote" onload="alert(3)" <script>alert(2)</script> & Co'
OUTLETS_WITH_HOSTILE = OUTLETS_YML + f"""\
quoted:
  name: '{HOSTILE_OUTLET}'
  country: unknown
  language: en
  description: An outlet whose name tries to leave an attribute; it has no article yet.
"""
TOPICS_WITH_EMPTY = """\
border:
  title: The border
  description: Events on the border.
alliance:
  title: The alliance
  description: Two countries and their treaty.
quiet:
  title: A quiet topic
  description: No article is filed here yet.
"""
UNTRUSTED_FILES = {
    "seeds/003_gamma.txt": GAMMA_TXT,
    "metadata/003_gamma.yml": GAMMA_YML,
    "metadata/topics.yml": TOPICS_WITH_EMPTY,
    "metadata/outlets.yml": OUTLETS_WITH_HOSTILE,
}
