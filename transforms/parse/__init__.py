"""Parse: the stage that decides what one raw input is: a parsed document or a reject.

`parse_input` (`document`) detects the format from the path, decodes the bytes (`text`) and
parses text inputs (`text_page`: site text pages with their chrome learnt across a site, plain
articles), applying a sidecar's metadata; HTML pages are read by the `html` stage. `sites`
says which site an input comes from (registered domain, display name); `warc` which records
of a web archive are inputs, and what their headers say.
"""

from transforms.parse.document import RawInput, parse_input, site_group
from transforms.parse.sites import site_domain, site_name
from transforms.parse.text_page import find_chrome_lines, parse_plain_text, parse_text_page

__all__ = [
    "RawInput",
    "find_chrome_lines",
    "parse_input",
    "parse_plain_text",
    "parse_text_page",
    "site_domain",
    "site_group",
    "site_name",
]
