"""A saved web page's encoding (a BOM, the declared charset, else a sniff) and what it says about itself in its
<meta> fields (ArticleTitle, PubDate, ContentSource), and the rules for the site chrome around its article."""
from __future__ import annotations

import codecs
import json
import re
from functools import lru_cache
from pathlib import Path

from ingest.formats import SourceMeta
from kg.errors import InputError

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "big5": "cp950",
            "iso-8859-1": "cp1252", "latin1": "cp1252", "unicode": "utf-8", "utf8": "utf-8"}
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
_CJK = r"\u3400-\u9fff"


@lru_cache(maxsize=1)
def rules() -> dict:
    """The lists of web_chrome.json, patterns compiled."""
    out = json.loads((Path(__file__).with_name("web_chrome.json")).read_text(encoding="utf-8"))
    out["chrome_class"] = re.compile(out["chrome_class"], re.I)
    out["chrome_lines"] = re.compile(out["chrome_lines"], re.I)
    out["not_issuer"] = re.compile(out["not_issuer"])
    out["byline_chrome"] = re.compile(out["byline_chrome"])
    out["title_separators"] = re.compile(out["title_separators"])
    out["drop_tags"] = frozenset(out["drop_tags"])
    return out


def decode_html(data: bytes, path: str) -> tuple[str, str]:
    """(text, codec): a BOM, else the charset the page declares (GB2312 read as its superset GB18030), else
    UTF-8, else GB18030; InputError when none of them fits."""
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, codec in boms:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    tried = []
    if m := _CHARSET.search(data[:8192]):
        declared = m.group(1).decode("ascii").lower()
        codec = _ALIASES.get(declared, declared)
        try:
            codecs.lookup(codec)
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):  # a wrong declaration is common: sniff instead
            tried.append(declared)
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            tried.append(codec)
    raise InputError(path, f"web page in an unknown encoding (tried {', '.join(tried)}): "
                           "save it again from the browser as UTF-8")


def page_meta(root) -> SourceMeta:
    """The title, publication date and issuer a page states in its <meta> fields (else its <title>)."""
    cfg = rules()
    fields: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("name") or m.get("property") or "").strip().lower()
        if key and key not in fields and (m.get("content") or "").strip():
            fields[key] = m.get("content").strip()

    def first(names: list[str]) -> str | None:
        return next((fields[n.lower()] for n in names if n.lower() in fields), None)

    title = first(cfg["meta_title"])
    if title is None and (t := root.find(".//title")) is not None and t.text_content().strip():
        title = cfg["title_separators"].split(t.text_content().strip())[0]
    if title:
        title = re.sub(rf"\s+(?=[{_CJK}\d])|(?<=[{_CJK}\d])\s+", "", " ".join(title.split()))
    date = None
    if (raw := first(cfg["meta_date"])) and (d := _DATE.search(raw)):
        date = f"{d.group(1)}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
    issuer = first(cfg["meta_issuer"])
    if issuer and cfg["not_issuer"].match(issuer):
        issuer = None
    return SourceMeta(title, date, issuer)
