"""Guess a report's title, issuer, year, region (any level: 四川, 成都, 黔东南, 普陀区), date and genre from its
cleaned text."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.context import genre_of, report_date
from ingest.formats import SourceMeta
from ingest.sections import FOOTNOTES_TITLE, find_sections, heading_title
from kg.extract.places import load_places

# The 34 province-level divisions: canonical short name and full name (kept for callers; regions at every level
# come from kg.extract.places).
PROVINCES = (
    ("北京", "北京市"), ("天津", "天津市"), ("河北", "河北省"), ("山西", "山西省"), ("内蒙古", "内蒙古自治区"),
    ("辽宁", "辽宁省"), ("吉林", "吉林省"), ("黑龙江", "黑龙江省"), ("上海", "上海市"), ("江苏", "江苏省"),
    ("浙江", "浙江省"), ("安徽", "安徽省"), ("福建", "福建省"), ("江西", "江西省"), ("山东", "山东省"),
    ("河南", "河南省"), ("湖北", "湖北省"), ("湖南", "湖南省"), ("广东", "广东省"), ("广西", "广西壮族自治区"),
    ("海南", "海南省"), ("重庆", "重庆市"), ("四川", "四川省"), ("贵州", "贵州省"), ("云南", "云南省"),
    ("西藏", "西藏自治区"), ("陕西", "陕西省"), ("甘肃", "甘肃省"), ("青海", "青海省"), ("宁夏", "宁夏回族自治区"),
    ("新疆", "新疆维吾尔自治区"), ("台湾", "台湾省"), ("香港", "香港特别行政区"), ("澳门", "澳门特别行政区"),
)
_FULL = dict(PROVINCES)

_HEAD_LINES = 40  # the title block is at the top; past this we are in the body
_LABEL = re.compile(r"^[\[【]?(?:摘\s*要|内容摘要|目\s*录|内容目录|图表目录|投资要点|核心观点|要点|相关报告|报告要点)[\]】]?$")
_META = re.compile(r"^(?:分析师|研究员|执业证书|证书编号|电话|邮箱|e-?mail|联系人|作者|来源|时间|日期|发布时间"
                   r"|(?:责任)?编辑|记者)\s*[:：]?", re.I)
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_VENUE = re.compile(r"^[（(]?(?:19|20)\d{2}\s*年.{0,40}(?:会议|大会)上[）)]?$"  # where and when it was delivered
                    r"|^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[\s\d时分:]*$")  # a web page's date line
_PERSON = re.compile(r"(?:省长|市长|主席|总理|区长|州长)\s*\S{2,4}$")
_ORG = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(?:银行|分行|支行|研究所|研究院|研究中心|中心|人民政府|政府|委员会"
                  r"|办公厅|部|局|署|厅|证券|公司|集团|协会|学会|大学|学院)$")
_SOURCE = re.compile(r"^(?:数据来源|资料来源|来源)\s*[:：](.+)$")
_DELEGATE = re.compile(r"我代表([\u4e00-\u9fff]{2,12}?)(?:[，,、]|向)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_MENTION = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_HASHLIKE = re.compile(r"[0-9a-f]{8,}", re.I)
_STOP = re.compile(r"[。！？!?；;]")


@dataclass(frozen=True, slots=True)
class Meta:
    title: str
    issuer: str | None = None
    year: int | None = None
    region: str | None = None  # canonical short name of the region it is about (辽宁, 成都, 黔东南), None if national
    region_code: str | None = None  # GB/T 2260 code of that region (510100); 100000 for a national government
    date: str | None = None  # delivery / issue date, ISO (2026-01-27)
    genre: str | None = None  # 统计公报, 金融运行报告, 政府工作报告, 预算/决算, 债券披露, 评级报告, 政府公报, research


def _head(text: str) -> list[str]:
    """Non-empty lines above the first numbered heading (the cover and title block)."""
    lines = []
    for line in text.split("\n"):
        s = line.strip()
        if s == FOOTNOTES_TITLE or len(lines) >= _HEAD_LINES or (heading_title(s) and "\t" not in line):
            break
        if s:
            lines.append(s)
    return lines


def _skippable(s: str) -> bool:
    return bool(_LABEL.match(s) or _META.match(s) or _VENUE.match(s) or _PERSON.search(s) or _ORG.match(s)
                or "\t" in s or s.endswith("摄") or s[:1] in "-⚫•●◆■□▪—【[(（" or _STOP.search(s[-1:] or "。"))


def _undelivered(s: str) -> str:
    """"政府工作报告——2024年3月5日在…会议上…": the part after the dash says where it was delivered."""
    main, dash, rest = s.partition("——")
    return main if dash and main and (_DATE.match(rest) or "会议上" in rest) else s


def _title(head: list[str]) -> str | None:
    candidates = [_undelivered(s) for s in head]
    i = next((i for i, s in enumerate(candidates)
              if not _skippable(s) and len(s) <= 60 and not s.endswith(("：", ":"))), None)
    if i is None:
        return None
    title = candidates[i]
    for nxt in head[i + 1:i + 3]:
        if len(nxt) <= 4 and not _STOP.search(nxt) and not _skippable(nxt):  # wrapped big type: "…再平衡" / "之路"
            title += nxt
        elif nxt.startswith("——") and len(nxt) <= 40 and not _DATE.search(nxt):  # a subtitle
            title += nxt
            break
        else:
            break
    return re.sub(r"\s+", " ", title).strip()


_LEVEL_RANK = {"province": 1, "prefecture": 2, "county": 3}


def _region_in(s: str | None):
    """The most specific region a title or cover line names: 四川省成都市… -> 成都; 全国 does not count."""
    found = [r for _, _, r in load_places().find(s or "") if r.level in _LEVEL_RANK]
    if not found:
        return None
    deepest = max(_LEVEL_RANK[r.level] for r in found)
    return next(r for r in found if _LEVEL_RANK[r.level] == deepest)


def _dominant_region(text: str):
    """A report about one place names it throughout; its own districts and its province do not count against it."""
    places = load_places()
    found = [r for _, _, r in places.find(text) if r.level in _LEVEL_RANK]
    counts = Counter(found)
    if counts:
        top, n = counts.most_common(1)[0]
        others = sum(k for r, k in counts.items()
                     if not (places.is_within(r, top) or places.is_within(top, r)))
        if n >= 20 and n >= 0.7 * (n + others):
            return top
    return None


def _credited(text: str) -> str | None:
    """Reports credit their own unit last on source lines: "资料来源：…；国家资产负债表研究中心。"."""
    credits = []
    for line in text.split("\n"):
        if m := _SOURCE.match(line.strip()):
            last = re.split(r"[、，,；;]", m.group(1).strip(" 。."))[-1].strip()
            credits.append(re.sub(r"整理$", "", last).strip())
    if credits:
        name, n = Counter(credits).most_common(1)[0]
        if n >= 3 and n >= 0.4 * len(credits) and 2 <= len(name) <= 20:
            return name
    return None


def _closing(text: str) -> str | None:
    """A communiqué ends with its issuer above the date: "黔东南州统计局\n2024-05-07"."""
    tail = [s.strip() for s in text.rstrip().split("\n")[-6:] if s.strip()]
    return next((s for s in reversed(tail) if _ORG.match(s) and len(s) <= 20), None)


def _delegate(text: str, region) -> str | None:
    """政府工作报告: "我代表省人民政府，向大会报告工作" names the issuing government."""
    m = _DELEGATE.search(text[:3000])
    if m is None:
        return None
    who = m.group(1)
    return region.full_name + who[1:] if who[0] in "省市州县区" and region else who


def _year(title: str, head: list[str], text: str) -> int | None:
    if m := _YEAR.search(title):
        return int(m.group(1))
    for s in head:
        if m := _DATE.search(s):
            return int(m.group(1))
    counts = Counter(int(y) for y in _YEAR_MENTION.findall(text))
    recent = [y for y, n in counts.items() if n >= 3]
    return max(recent) if recent else None  # an untitled report is as recent as the years it discusses


def _fallback_title(text: str, name: str) -> str:
    """Untitled text: its top-level headings, else its first sentence, else a readable file name."""
    tops = [re.sub(r"^[一二三四五六七八九十]+、", "", s.title) for s in find_sections(text) if s.level == 1
            and re.match(r"^[一二三四五六七八九十]+、", s.title)]
    if len(tops) >= 2:
        return "；".join(tops[:3])
    stem = name.rsplit(".", 1)[0]
    if stem and not _HASHLIKE.search(stem):
        return stem.replace("_", " ")
    first = next((s for s in text.split("\n") if len(s.strip()) >= 8), stem).strip()
    return re.split(r"[。；;！？]", first)[0][:40] or stem


def _hinted_title(guess: str | None, hint: str | None) -> str | None:
    """A file's own title field (a web page's ArticleTitle, a Word title set in big type) over the guess from
    the text's first lines, unless the guess holds it and says more (a subtitle)."""
    if not hint:
        return guess
    squeeze = re.sub(r"\s+", "", hint)
    return guess if guess and squeeze in re.sub(r"\s+", "", guess) and len(guess) > len(hint) else hint


def guess_metadata(text: str, name: str, hint: SourceMeta = SourceMeta()) -> Meta:
    """Title, issuer, year and region of a cleaned report (name: its file name, a last resort; hint: what the
    file says about itself, used where the text says less)."""
    head = _head(text)
    title = _hinted_title(_title(head), hint.title)
    org = next((s for s in head if _ORG.match(s)), None)
    cover = " ".join(s for s in head if _VENUE.match(s) or _PERSON.search(s))
    region = (_region_in(title) or _region_in(org) or _region_in(cover) or _dominant_region(text))
    issuer = (org or _delegate(text, region) or _closing(text) or _credited(text)
              or (hint.issuer if hint.issuer and _ORG.match(hint.issuer) else None))
    region = region or _region_in(issuer)
    if region is None and issuer in ("国务院", "中华人民共和国国务院"):  # the State Council reports on the nation
        region = load_places().get("100000")
    if title is None:
        title = _fallback_title(text, name)
    date = report_date(text, head) or hint.date  # the text's delivery date, else the page's publication date
    year = _year(title, head, text) or (int(date[:4]) if date else None)
    if len(title) <= 10 and year and not _YEAR.search(title):  # a bare "政府工作报告": say whose and when
        who = region.full_name if region and region.level != "country" else (issuer or "")
        title = f"{year}年{who}{title}" if who not in title else f"{year}年{title}"
    named = region.name if region is not None and region.level != "country" else None  # national: None
    return Meta(title, issuer, year, named, region.code if region else None, date,
                genre_of(title, head, text, issuer))
