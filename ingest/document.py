"""A file into a Document: read, clean, guess metadata, find sections."""
from __future__ import annotations

from pathlib import Path

from dataclasses import replace

from ingest.clean import clean
from ingest.context import data_period
from ingest.meta import guess_metadata
from ingest.read import read_source
from ingest.sections import find_sections
from kg.errors import InputError
from kg.types import Document


def build_document(path: str | Path) -> Document:
    """The cleaned, canonical Document of one file; InputError when the file cannot be ingested."""
    raw = read_source(path)
    cleaned = clean(raw.pages, raw.is_pdf)
    if not cleaned.text.strip():
        raise InputError(str(raw.path), "no text left after removing page furniture and web-page chrome: "
                                        "check that the file holds the report itself")
    meta = guess_metadata(cleaned.text, raw.name, raw.meta)
    doc = Document(
        id="doc-" + raw.sha1[:12],  # from the raw bytes: re-ingesting the same file gives the same id
        source=raw.name,
        title=meta.title,
        text=cleaned.text,
        sha256=raw.sha256,
        issuer=meta.issuer,
        year=meta.year,
        region=meta.region,
        encoding=raw.encoding,
        pages=cleaned.pages,
        sections=find_sections(cleaned.text),
        footnotes=cleaned.footnotes,
        ocr_pages=raw.ocr_pages,
        date=meta.date,
        genre=meta.genre,
        region_code=meta.region_code,
    )
    from kg.extract.numbers import data_year  # the year the text names most, not after its publication

    year = data_year(doc)
    period = data_period(meta.genre, meta.title, meta.date, meta.year, year)
    if meta.genre == "统计公报" and period and period.isdigit():  # 2023年…统计公报: its 全年 is 2023
        year = int(period)
    return replace(doc, data_year=year, data_period=period)
