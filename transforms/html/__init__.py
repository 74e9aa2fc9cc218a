"""HTML: the stage that decides what a saved web page says and what kind of page it is.

`read_html_page` (`page`) parses the markup and composes the rest: the main text (`body`:
trafilatura's readings, then our clean-up), the metadata (`meta`: canonical URL, site,
language, date), the headline (`title`), the authors (`authors`), every `<a href>` classified
(`links`), what else it says about itself (`extras`: image, categories, tags) and whether
the page is an index rather than an article, with its evidence (`kind`, scoring the signals
`kind_signals` measures; what its URL says: `page_url`).
"""

from transforms.html.kind import is_index_page
from transforms.html.kind_signals import page_signals
from transforms.html.links import extract_links
from transforms.html.page import HtmlPage, read_html_page

__all__ = ["HtmlPage", "extract_links", "is_index_page", "page_signals", "read_html_page"]
