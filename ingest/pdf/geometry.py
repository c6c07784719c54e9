"""Page geometry: turn landscape pages drawn rotated on a portrait page upright, and glue characters into lines."""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Any

_LATIN = re.compile(r"[A-Za-z0-9%.,:;()\-+/]")
_SPACE_GAP = 0.25  # a gap wider than this share of the font size between Latin/digit chars is a word space
_SEGMENT_GAP = 0.8  # a gap wider than this many font sizes splits a line (column gutter, table cell)


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of characters on one line with no wide gap inside: its box, font size and text."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    chars: tuple[dict, ...] = ()


def rotation(page: Any) -> int:
    """Quarter turns (0, 1 = text runs upwards, 3 = downwards) of most of a page's characters."""
    turns = {0: 0, 1: 0, 3: 0}
    for c in page.chars:
        a, b, cc, d = c["matrix"][:4]
        if abs(b) > abs(a) and not c["upright"]:
            turns[1 if b > 0 else 3] += 1
        else:
            turns[0] += 1
    best = max(turns, key=turns.get)
    return best if turns[best] > 0.6 * max(1, len(page.chars)) else 0


def _turn(obj: dict, turns: int, w: float, h: float) -> dict:
    """Coordinates of one object after turning the page so that rotated text reads left to right."""
    o = dict(obj)
    x0, x1, top, bottom = obj["x0"], obj["x1"], obj["top"], obj["bottom"]
    if turns == 1:  # text runs upwards: reading x grows as top shrinks, lines follow left to right
        nx0, nx1, ntop, nbottom = h - bottom, h - top, x0, x1
        pts = [(h - y, x) for x, y in obj.get("pts", ())]
    else:  # text runs downwards
        nx0, nx1, ntop, nbottom = top, bottom, w - x1, w - x0
        pts = [(y, w - x) for x, y in obj.get("pts", ())]
    o.update(x0=nx0, x1=nx1, top=ntop, bottom=nbottom, doctop=ntop, y0=w - nbottom, y1=w - ntop,
             width=nx1 - nx0, height=nbottom - ntop)
    if "pts" in obj:
        o["pts"] = pts
    if "upright" in obj:
        o["upright"] = True
    return o


def _baseline(c: dict, turns: int, w: float) -> float:
    """Where the character's baseline lies across its line (in the upright page's top coordinates), from the
    text matrix: glyph boxes from broken font metrics (digits set in another font) sit too high or too low."""
    e, f = c["matrix"][4], c["matrix"][5]
    if turns == 1:
        return e
    if turns == 3:
        return w - e
    return c["bottom"] - (f - c["y0"])


def _settle(c: dict, base: float) -> dict:
    size = c.get("size") or (c["bottom"] - c["top"])
    top, bottom = base - 0.88 * size, base + 0.12 * size
    return {**c, "top": top, "bottom": bottom, "doctop": top, "height": bottom - top}


def upright_page(page: Any) -> tuple[Any, int]:
    """A derived page whose characters sit on their baselines, with every object turned upright when the page's
    text is drawn rotated (a landscape table on a portrait page)."""
    from pdfplumber.page import DerivedPage  # lazy: only PDFs need pdfplumber

    turns = rotation(page)
    w, h = page.width, page.height
    objects = dict(page.objects)
    if turns:
        objects = {k: [_turn(o, turns, w, h) for o in v] for k, v in objects.items()}
        # characters drawn upright on a turned page are its portrait page number, not the table's text
        chars = [_settle(t, _baseline(c, turns, w)) for c, t in zip(page.chars, objects.get("char", []))
                 if not c["upright"]]
    else:
        chars = [_settle(c, _baseline(c, 0, w)) for c in objects.get("char", [])]
    objects["char"] = chars

    class _Settled(DerivedPage):
        @property
        def objects(self) -> dict:
            return objects

    settled = _Settled(page)
    settled.bbox = (0, 0, h, w) if turns else page.bbox
    return settled, turns


def _size(c: dict) -> float:
    return max(1.0, min(c["bottom"] - c["top"], c.get("size") or 99))


def lines_of(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into visual lines (vertical centres close), each sorted left to right."""
    rows: list[list[dict]] = []
    centres: list[float] = []
    for c in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        if not c["text"].strip():
            continue
        mid, size = (c["top"] + c["bottom"]) / 2, _size(c)
        if rows and abs(mid - centres[-1]) <= 0.45 * size:
            rows[-1].append(c)
            centres[-1] = (centres[-1] * (len(rows[-1]) - 1) + mid) / len(rows[-1])
        else:
            rows.append([c])
            centres.append(mid)
    return [sorted(r, key=lambda c: c["x0"]) for r in rows]


def _dedupe(line: list[dict]) -> list[dict]:
    """Drop characters drawn twice over themselves (fake bold): the same glyph again at nearly the same x, closer
    than half its own width and than 0.3 font sizes. Two narrow letters side by side (the ll of illicit, 11 in a
    condensed font) are a whole width apart; glyphs whose boxes are a full em wide but advance by half of it (the
    digits of the Qingdao budget book) are half an em apart: all of them stay."""
    out: list[dict] = []
    for c in line:
        if out and _same_glyph(out[-1], c):
            continue
        out.append(c)
    return out


def _same_glyph(a: dict, b: dict) -> bool:
    width = max(min(a["x1"] - a["x0"], b["x1"] - b["x0"]), 0.0)
    return a["text"] == b["text"] and abs(b["x0"] - a["x0"]) < min(0.3 * _size(b), 0.5 * width)


def text_of(chars: list[dict]) -> str:
    """Characters of one line as text: no space inside CJK, a space where Latin words or numbers had a gap."""
    out: list[str] = []
    prev = None
    for c in chars:
        if prev is not None:
            gap = c["x0"] - prev["x1"]
            if gap > _SPACE_GAP * _size(c) and _LATIN.match(prev["text"][-1]) and _LATIN.match(c["text"][0]):
                out.append(" ")
        out.append(c["text"])
        prev = c
    return "".join(out)


def segments(chars: list[dict], gap: float = _SEGMENT_GAP) -> list[Segment]:
    """Every line of the characters cut at gaps wider than `gap` font sizes."""
    out: list[Segment] = []
    for line in lines_of(chars):
        line = _dedupe(line)
        size = statistics.median(_size(c) for c in line)
        run = [line[0]]
        for c in line[1:]:
            if c["x0"] - run[-1]["x1"] > gap * size:
                out.append(_segment(run))
                run = []
            run.append(c)
        out.append(_segment(run))
    return out


def _segment(run: list[dict]) -> Segment:
    return Segment(min(c["x0"] for c in run), max(c["x1"] for c in run), min(c["top"] for c in run),
                   max(c["bottom"] for c in run), statistics.median(_size(c) for c in run), text_of(run), tuple(run))
