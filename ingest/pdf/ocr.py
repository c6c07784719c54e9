"""Scanned PDF pages read by OCR into characters and table rules, which the text-layer reader then lays out.

A page is a scan when images cover most of it and its text layer holds no more than a few characters
outside the header and footer bands (a page-number or stamp overlay). Such a page is rendered (twice the
scan's own resolution, 200-300 dpi, at most MAX_PIXELS), read by RapidOCR with a box per character, and its
ruled lines are found in the image; both become pdfplumber objects of a derived page, so the layout code
(ingest/pdf: lines, lattice tables as tab-separated rows, captions, continued tables, furniture) reads it
as it reads a text layer.

Engine: RapidOCR 3.10 (PyPI `rapidocr`, PP-OCRv6 small det/rec models inside its wheel: nothing is downloaded)
on onnxruntime, one thread. Measured against Debian's tesseract 5.3 + tesseract-ocr-chi-sim on 9 pages: 8
pages of ../shared/realpdf rendered at 120 dpi by pdftoppm (statistics, budget, rating and bond-table pages),
scored against their text layers, and p.3 of the 120-dpi image-only Zhangjiajie communiqué transcribed by hand.
char = share of the reference's CJK, digit, "." and "%" characters read in order (alignment: chart labels that a
text layer lacks do not count against it); numbers = recall of the reference's number tokens, after the same
repair of a space read after a decimal point ("66. 8") for every engine; s/page = wall seconds per page, one
thread, on a 2-core machine busy with other work.

    engine (input)                         char   numbers  s/page  install
    tesseract psm 3, image as is           0.903  0.831     2.1    ~25 MB (apt: tesseract-ocr, -chi-sim)
    tesseract psm 3, upscaled 2x           0.843  0.855     2.8
    RapidOCR 1.4 (PP-OCRv4), as is         0.944  0.982     4.8    ~180 MB (onnxruntime, opencv, models)
    RapidOCR 3.10 (PP-OCRv6), 2x, its      0.923  0.995     4.2    ~290 MB (onnxruntime 78, opencv-headless
      default 2000-pixel cap                                                173, rapidocr 33)
    RapidOCR 3.10, 2x, no cap (used here)  0.999  0.994    12.5    (8-20 s of CPU a page)

Tesseract misses one number in six at this resolution; RapidOCR reads 99% of them, which is what questions about
figures need, so it is the engine despite its size and speed. Without the 2000-pixel cap the characters of a
page of 6-pt bond-table text go from 0.83 to 1.00 read right. The 20-page Zhangjiajie scan reads in about 140 s;
the cost is bounded: at most MAX_OCR_PAGES pages per document and MAX_SECONDS_PER_PAGE on average.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

INSTALL = "install the OCR engine: pip install rapidocr==3.10.0 onnxruntime (or re-run scripts/setup.sh)"
SCAN_COVER = 0.5  # share of the page its images (one, or strips) must cover for the page to be a scan
THIN_TEXT = 10  # visible text-layer characters (outside the header/footer bands) an overlay has at most
EDGE = 0.12  # share of the page height at the top and at the bottom holding headers, footers, page numbers
UPSCALE, MIN_DPI, MAX_DPI = 2.0, 200.0, 300.0  # render resolution: twice the scan's own, within these bounds
MAX_PIXELS = 9_000_000  # a page image is rendered at a lower resolution rather than larger (A4 at 300 dpi: 8.7 M)
MAX_OCR_PAGES = 60  # scanned pages OCR'd per document; a longer scan is refused (split it)
MAX_SECONDS_PER_PAGE = 60.0  # average OCR time per page above which a document is refused
INK = 160  # grey level (0-255) below which a pixel is ink
RULE_WIDTH = 0.12  # a horizontal rule spans at least this share of the image width
RULE_HEIGHT_PT = 14.0  # a vertical rule is at least this tall (points): taller than a glyph of body text
RULE_TOL_PT = 3.0  # a vertical rule ends this close to a horizontal rule to be part of its grid


class OcrError(Exception):
    """Why scanned pages cannot be read (engine missing, over a bound), with the fix."""


@dataclass(frozen=True, slots=True)
class Glyph:
    """One recognised character, its box in image pixels, and whether the OCR put a space after it."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    space: bool = False


class Engine(Protocol):
    def read(self, image: Any) -> list[list[Glyph]]:
        """The text lines recognised in a PIL image, each as its characters with their boxes, left to right."""


class RapidEngine:
    """RapidOCR on onnxruntime with the models its wheel ships, one thread, a box per character."""

    def __init__(self, threads: int = 1) -> None:
        try:
            import onnxruntime  # noqa: F401  (rapidocr imports it only when the first model loads)
            import rapidocr
        except ImportError:
            raise OcrError(f"scanned pages need OCR: {INSTALL}") from None
        models = Path(rapidocr.__file__).parent / "models"
        files = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx"}
        missing = [f for f in files.values() if not (models / f).is_file()]
        if missing:  # another rapidocr release: never let it download models
            raise OcrError(f"rapidocr {getattr(rapidocr, '__version__', '?')} lacks its bundled models "
                           f"({', '.join(missing)}): {INSTALL}")
        params = {f"{k}.model_path": str(models / f) for k, f in files.items()}
        params.update({"Global.log_level": "warning", "Global.use_cls": False, "Global.max_side_len": 4000,
                       "Global.return_word_box": True, "Global.return_single_char_box": True,
                       "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                       "EngineConfig.onnxruntime.inter_op_num_threads": threads})
        self._ocr = rapidocr.RapidOCR(params=params)

    def read(self, image: Any) -> list[list[Glyph]]:
        import numpy as np

        out = self._ocr(np.asarray(image.convert("RGB"))[:, :, ::-1])
        lines = []
        for text, words in zip(out.txts or (), out.word_results or ()):
            glyphs: list[Glyph] = []
            for word, _score, box in words:
                xs, ys = [p[0] for p in box], [p[1] for p in box]
                x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
                step = (x1 - x0) / max(1, len(word))  # a multi-character word: its box shared out evenly
                glyphs.extend(Glyph(c, x0 + i * step, top, x0 + (i + 1) * step, bottom)
                              for i, c in enumerate(word) if not c.isspace())
            after, k = set(), 0  # the glyphs a space follows in the line's text
            for c in text:
                if c.isspace():
                    after.add(k - 1)
                else:
                    k += 1
            lines.append([replace(g, space=True) if i in after and k == len(glyphs) else g
                          for i, g in enumerate(glyphs)])
        return lines


_PAGE_NO = re.compile(r"^[-－—–一]+\d{1,4}[-－—–一]+$")  # a page number —12— read as 一12一 or -12一
_PER_MILLE = re.compile(r"(?<=\d)%o")  # ‰ read as a per cent sign and an o
_DECIMAL = re.compile(r"\d\.(?=\d)")  # a space read after a decimal point ("21. 95") is none
_FULL_WIDTH = {";": "；", ",": "，"}  # before a CJK character: Chinese text's own punctuation, read half-width
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WIDE_MARK = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\u201c-\u201d]")  # ，。、；：（）“” … fill an em


def fix_misreadings(line: list[Glyph]) -> list[Glyph]:
    """One OCR line's glyphs with the known misreadings put right (_PAGE_NO, _PER_MILLE, _DECIMAL, _FULL_WIDTH)."""
    line, text = list(line), "".join(g.text for g in line)
    if _PAGE_NO.match(text):
        return [g if g.text.isdigit() else replace(g, text="—") for g in line]
    for m in _DECIMAL.finditer(text):  # the point runs on to the digit after it
        point = line[m.start() + 1]
        line[m.start() + 1] = replace(point, space=False, x1=max(point.x1, line[m.end()].x0))
    for i, (g, nxt) in enumerate(zip(line, line[1:])):
        if g.text in _FULL_WIDTH and _CJK.match(nxt.text):
            line[i] = replace(g, text=_FULL_WIDTH[g.text])
    for m in reversed(list(_PER_MILLE.finditer(text))):
        a, b = line[m.start()], line[m.end() - 1]
        line = line[:m.start()] + [Glyph("‰", a.x0, a.top, b.x1, b.bottom, b.space)] + line[m.end():]
    return line


def _inked(line: list[Glyph], ink: Any) -> list[Glyph]:
    """The line with its first glyph starting where its ink does (indents are measured from there)."""
    from ingest.pdf.ocr_image import ink_left

    first = line[0]
    x0 = ink_left(ink, first.x0, first.top, first.x1, first.bottom)
    return [replace(first, x0=x0), *line[1:]] if x0 is not None else line


def spaced(line: list[Glyph]) -> list[Glyph]:
    """An OCR line's glyph boxes closed over the slivers between glyphs it read as one word (its boxes step along
    the line by about a fifth of its height) and after full-width punctuation, and kept a third of the height apart
    where it read a space, so the layout code puts spaces where the OCR saw them (a wider gap where it saw none is
    a space it left out: 表2 2023年). The boxes stay the OCR's, which like a text layer's are advance boxes."""
    out = list(line)
    for i in range(len(out) - 1):
        g, nxt = out[i], out[i + 1]
        h = g.bottom - g.top
        if _WIDE_MARK.match(g.text) and nxt.x0 > g.x1:  # its ink sits in a corner of its em, the OCR box does not
            out[i] = replace(g, x1=nxt.x0, space=False)
        elif g.space and nxt.x0 - g.x1 < h / 3:
            out[i] = replace(g, x1=max(g.x0 + 1, nxt.x0 - h / 3))
        elif not g.space and 0 < nxt.x0 - g.x1 < h / 4:
            out[i] = replace(g, x1=nxt.x0)
    return out


def needs_ocr(page: Any) -> bool:
    """Whether a pdfplumber page is a scan: images cover most of it and its text layer is at most an overlay of a
    few characters outside the header and footer bands."""
    if sum(_clip(i, page) for i in page.images) < SCAN_COVER * page.width * page.height:
        return False
    lo, hi = EDGE * page.height, (1 - EDGE) * page.height
    body = sum(1 for c in page.chars if c["text"].strip() and lo < (c["top"] + c["bottom"]) / 2 < hi)
    return body < THIN_TEXT


def _clip(img: dict, page: Any) -> float:
    w = min(img["x1"], page.width) - max(img["x0"], 0)
    h = min(img["bottom"], page.height) - max(img["top"], 0)
    return max(0.0, w) * max(0.0, h)


def resolution(page: Any) -> float:
    """Dots per inch to render a scanned page at: twice its image's own, within MIN_DPI..MAX_DPI and MAX_PIXELS."""
    img = max(page.images, key=lambda i: _clip(i, page), default=None)
    own = img["srcsize"][0] * 72 / max(1.0, img["x1"] - img["x0"]) if img and img.get("srcsize") else MAX_DPI
    dpi = min(MAX_DPI, max(MIN_DPI, UPSCALE * own))
    return min(dpi, 72 * (MAX_PIXELS / (page.width * page.height)) ** 0.5)


class OcrReader:
    """Reads the scanned pages of one document one by one within its bounds; the engine (RapidEngine unless one is
    given) is loaded on the first page."""

    def __init__(self, engine: Engine | None = None, max_pages: int = MAX_OCR_PAGES,
                 max_seconds_per_page: float = MAX_SECONDS_PER_PAGE) -> None:
        self._engine = engine
        self.max_pages = max_pages
        self.max_seconds_per_page = max_seconds_per_page
        self.pages = 0
        self.seconds = 0.0

    def check_count(self, scanned: int) -> None:
        """Refuse up front a document with more scanned pages than max_pages."""
        if scanned > self.max_pages:
            raise OcrError(f"{scanned} scanned pages, over the limit of {self.max_pages} OCR'd pages per document: "
                           "split the PDF into parts")

    def page(self, page: Any) -> Any:
        """A derived pdfplumber page holding the OCR'd characters and the ruled lines of the page's image."""
        from ingest.pdf.ocr_image import find_rules, ink_of  # lazy: numpy

        if self._engine is None:
            self._engine = RapidEngine()
        started = time.monotonic()
        dpi = resolution(page)
        image = page.to_image(resolution=dpi, antialias=True).original.convert("RGB")
        ink = ink_of(image, INK)
        glyphs = [g for line in self._engine.read(image) if line for g in spaced(_inked(fix_misreadings(line), ink))]
        rules = find_rules(ink, int(RULE_WIDTH * image.width), int(RULE_HEIGHT_PT * dpi / 72), RULE_TOL_PT * dpi / 72)
        self.pages += 1
        self.seconds += time.monotonic() - started
        if self.seconds > self.max_seconds_per_page * self.pages:
            raise OcrError(f"OCR took {self.seconds:.0f} s for {self.pages} pages, over the budget of "
                           f"{self.max_seconds_per_page:.0f} s a page: retry on a less busy machine or split the PDF")
        scale = page.width / image.width
        return _derived(page, [_char(g, scale, page.height) for g in glyphs],
                        [_line(r, scale, page.height) for r in rules])


def _char(g: Glyph, s: float, height: float) -> dict:
    """A pdfplumber char (points) for a glyph. The OCR box is its line's, padded: seven tenths of its height is
    about the font size (a CJK glyph's advance), with the baseline a sixth of it above the box's bottom."""
    x0, x1, h = g.x0 * s, g.x1 * s, (g.bottom - g.top) * s
    size, base = 0.7 * h, g.bottom * s - 0.15 * h
    return {"object_type": "char", "text": g.text, "fontname": "OCR", "size": size, "upright": True,
            "x0": x0, "x1": x1, "width": x1 - x0, "top": base - size, "bottom": base, "doctop": base - size,
            "height": size, "y0": height - base, "y1": height - base + size,
            "matrix": (1.0, 0.0, 0.0, 1.0, x0, height - base)}


def _line(r: tuple[float, float, float, float], s: float, height: float) -> dict:
    x0, top, x1, bottom = (v * s for v in r)
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "y0": height - bottom, "y1": height - top,
            "linewidth": 1.0, "pts": [(x0, top), (x1, bottom)], "stroke": True, "fill": False}


def _derived(page: Any, chars: list[dict], lines: list[dict]) -> Any:
    from pdfplumber.page import DerivedPage  # lazy: only PDFs need pdfplumber

    objects = {"char": chars, "line": lines}

    class _Scanned(DerivedPage):
        @property
        def objects(self) -> dict:
            return objects

    scanned = _Scanned(page)
    scanned.bbox = page.bbox
    return scanned
