"""What a report leaves implicit: when it was delivered or issued, what kind of report it is, what period its
data covers. Read from the title, the delivery line (——2026年1月27日在…会议上), the cover and the closing
issuer/date lines."""
from __future__ import annotations

import re

_YMD = r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-./](\d{1,2})[-./](\d{1,2})(?!\d))"
_DATE = re.compile(_YMD)
_DELIVERED = re.compile(_YMD + r"\s*在.{2,40}?(?:会议|大会)上")
_DATE_LINE = re.compile(r"^[\s（(]*" + _YMD + r"[\s）)]*$")  # a line that is only a date: 2024-05-07, 2024年5月7日
_TAIL_LINES = 25

# (genre, pattern over the title and cover); the first that matches wins.
GENRES = (
    ("统计公报", re.compile(r"统计公报|国民经济和社会发展.{0,6}公报")),
    ("金融运行报告", re.compile(r"金融运行报告")),
    ("评级报告", re.compile(r"评级报告|信用评级|跟踪评级")),
    ("债券披露", re.compile(r"债券.{0,12}(?:使用情况|信息披露|披露|发行情况|存续期)|(?:信息披露|发行).{0,8}债券")),
    ("预算/决算", re.compile(r"预算执行|预算草案|预算（草案）|预算\(草案\)|决算|预算报告|财政预算")),
    ("政府工作报告", re.compile(r"政府工作报告")),
    ("政府公报", re.compile(r"人民政府公报|政府公报")),
)
_RESEARCH = re.compile(r"分析师|研究员|执业证书|研究(?:所|院|中心|报告)|证券|宏观|专题|点评|策略|展望")


def _iso(m: re.Match) -> str | None:
    y, mo, d = int(m.group(1)), int(m.group(2) or m.group(4)), int(m.group(3) or m.group(5))
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def report_date(text: str, head: list[str]) -> str | None:
    """The delivery or issue date (ISO): 2026年1月27日在…会议上 anywhere near the top, else a date in the title
    block, else a date line among the last lines (a communiqué ends with its issuer and date)."""
    top = text[:4000]
    if (m := _DELIVERED.search(top)) and (iso := _iso(m)):
        return iso
    for s in head:
        if (m := _DATE.search(s)) and (iso := _iso(m)):
            return iso
    for s in reversed([s.strip() for s in text.rstrip().split("\n")[-_TAIL_LINES:] if s.strip()]):
        if (m := _DATE_LINE.match(s)) and (iso := _iso(m)):
            return iso
    return None


_BY_ISSUER = {"统计局": "统计公报", "调查队": "统计公报", "财政局": "预算/决算", "财政厅": "预算/决算",
              "资信": "评级报告", "评级": "评级报告", "评估": "评级报告"}
_ISSUER = re.compile("|".join(_BY_ISSUER))


def genre_of(title: str, head: list[str], text: str, issuer: str | None = None) -> str | None:
    """统计公报, 金融运行报告, 政府工作报告, 预算/决算, 债券披露, 评级报告, 政府公报, research; None if unclear."""
    cover = " ".join([title, *(s for s in head[:12] if len(s) <= 40 and "。" not in s)])
    for name, rx in GENRES:
        if rx.search(title):
            return name
    for name, rx in GENRES:
        if rx.search(cover):
            return name
    opening = [s.strip() for s in text[:600].split("\n") if 0 < len(s.strip()) <= 40 and "。" not in s]
    for name, rx in GENRES:  # a title lost from the text layer: a short opening line still says it
        if any(rx.search(s) for s in opening):
            return name
    if issuer and (m := _ISSUER.search(issuer)):
        return _BY_ISSUER[m.group(0)]
    if _RESEARCH.search(cover) or _RESEARCH.search(text[:3000]):
        return "research"
    return None


_YEARS = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def data_period(genre: str | None, title: str, date: str | None, year: int | None,
                fallback: int | None) -> str | None:
    """The period the report's figures are about, as Figure.period writes it (2023, 2025-2026).

    A communiqué or a rating/bond report: the year in its title. A government work report delivered in Y
    reviews Y-1 and plans Y. A budget report on 2025年预算执行情况和2026年预算草案 covers both years.
    Otherwise the year the text names most (fallback, numbers.data_year).
    """
    titled = [int(y) for y in _YEARS.findall(title)]
    delivered = int(date[:4]) if date else year
    if genre == "政府工作报告" and delivered:
        return f"{delivered - 1}-{delivered}"
    if genre == "预算/决算" and titled:
        lo, hi = min(titled), max(titled)
        return str(lo) if lo == hi else f"{lo}-{hi}"
    if genre in ("统计公报", "债券披露") and titled:
        return str(titled[0])
    if genre == "金融运行报告" and fallback:
        return str(fallback)
    return str(fallback) if fallback else None
