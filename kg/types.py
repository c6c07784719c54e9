"""Frozen value types passed between stages; imports nothing of ours."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def content_id(prefix: str, *parts: object) -> str:
    """A stable id from content: `<prefix>-<sha1[:12]>` of the parts joined."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{h[:12]}"


def _check_span(start: int, end: int, what: str) -> None:
    if not (0 <= start <= end):
        raise ValueError(f"{what}: bad half-open span [{start}, {end})")


@dataclass(frozen=True, slots=True)
class Page:
    """A page of the source (PDF only), as a span of the cleaned text."""

    number: int  # 1-based
    start: int
    end: int

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Page")


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the span of cleaned text it governs."""

    title: str
    level: int  # 1 = 一、, 2 = （一）, 3 = 1. / 1、, 4 = 1.1 / （1）; 1 also for 专栏/附录
    start: int  # the heading line's start
    end: int  # where the next heading of the same or a higher level starts
    path: tuple[str, ...]  # titles from the top level down to this one

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Section")


@dataclass(frozen=True, slots=True)
class Document:
    """A report: metadata plus its cleaned canonical text (all offsets refer to it)."""

    id: str  # doc-<sha1[:12]> of the raw file bytes
    source: str  # file name the document was ingested from; same name = same document
    title: str
    text: str
    sha256: str  # of the raw bytes
    issuer: str | None = None
    year: int | None = None
    region: str | None = None  # canonical short name of the region it is about, any level: 辽宁, 成都, 黔东南
    encoding: str = "utf-8"
    pages: tuple[Page, ...] = ()
    sections: tuple[Section, ...] = ()
    footnotes: int = 0  # footnote lines lifted out of the running text
    # The context a report leaves implicit (ingest/context.py); None when it cannot be told.
    date: str | None = None  # delivery / issue date, ISO: 2026-01-27
    genre: str | None = None  # 统计公报, 金融运行报告, 政府工作报告, 预算/决算, 债券披露, 评级报告, 政府公报, research
    region_code: str | None = None  # GB/T 2260 code of `region` (any level: 510000, 510100, 522600)
    data_period: str | None = None  # what its figures are about, as Figure.period: "2023", "2025-2026"
    data_year: int | None = None  # the year periods written without one (三季度末, 全年) fall in
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text was read by OCR from a scan (may hold misreadings)

    def __post_init__(self) -> None:
        if not self.id.startswith("doc-"):
            raise ValueError(f"Document id must start with 'doc-': {self.id!r}")
        if not self.text.strip():
            raise ValueError(f"Document {self.source!r} has no text")

    def page_at(self, offset: int) -> int | None:
        """1-based page number holding the character at offset, if known."""
        for p in self.pages:
            if p.start <= offset < p.end:
                return p.number
        return None

    def section_at(self, offset: int) -> tuple[str, ...]:
        """Section path of the innermost section containing offset."""
        # the innermost section is the containing one that starts last (a 专栏 box inside a
        # numbered section starts after it); on a tie the deeper level wins
        best: Section | None = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or (s.start, s.level) >= (best.start, best.level)):
                best = s
        return best.path if best else ()


@dataclass(frozen=True, slots=True)
class Cell:
    """One body cell of a table with the headers that qualify it."""

    row: int  # index into Table.rows
    col: int  # column index (0 = the row-header column)
    row_header: tuple[str, ...]  # e.g. ("本外币", "金融机构各项存款同比增长（%）")
    col_header: tuple[str, ...]  # e.g. ("2024 年目标", "社零") or ("8月",)
    value: str  # the cell text as it stands, e.g. "6.1", "—", "未完成"
    start: int  # span of the value in Document.text
    end: int

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Cell")


@dataclass(frozen=True, slots=True)
class Table:
    """A table found in the cleaned text, with caption, unit, headers and cells."""

    id: str  # table-<sha1[:12]> of doc id + offsets
    doc_id: str
    start: int  # from the caption (when there is one) to the last row / source line
    end: int
    caption: str = ""  # e.g. "表 3 2024 年金融机构票据业务量统计表"
    label: str = ""  # normalised reference: "表3", "图表28", "附录表1"
    unit: str = ""  # e.g. "亿元", "%"
    source: str = ""  # the 数据来源/资料来源/来源 line, if any
    header_rows: tuple[tuple[str, ...], ...] = ()  # raw header rows (cells as written)
    rows: tuple[tuple[str, ...], ...] = ()  # raw body rows (cells as written)
    row_spans: tuple[tuple[int, int], ...] = ()  # span of each body row line in Document.text
    cells: tuple[Cell, ...] = ()
    section: tuple[str, ...] = ()
    page: int | None = None
    notes: tuple[str, ...] = ()  # 注： lines
    skipped_rows: int = 0  # malformed rows that were not turned into cells

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Table")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A retrievable passage: a contiguous slice of Document.text.

    `prefix` is context that is not part of the slice (document title, section,
    and for table chunks the caption, unit and header rows) so that a chunk
    about one table row still says which table, column and unit it is.
    """

    id: str  # chunk-<sha1[:12]> of doc id + offsets
    doc_id: str
    start: int
    end: int
    text: str
    kind: str = "text"  # "text" or "table"
    section: tuple[str, ...] = ()
    page: int | None = None
    table_id: str | None = None
    prefix: str = ""

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Chunk")
        if self.end - self.start != len(self.text):
            raise ValueError(f"Chunk {self.id}: text length differs from its span")
        if self.kind not in ("text", "table"):
            raise ValueError(f"Chunk kind must be 'text' or 'table': {self.kind!r}")

    @property
    def search_text(self) -> str:
        """What indexes see: the context prefix and the passage."""
        return f"{self.prefix}\n{self.text}" if self.prefix else self.text


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest run did, file by file."""

    added: tuple[str, ...] = ()  # doc ids
    replaced: tuple[str, ...] = ()  # doc ids of old versions removed
    unchanged: tuple[str, ...] = ()  # sources already ingested with the same content
    errors: tuple[tuple[str, str], ...] = field(default=())  # (path, reason)
    warnings: tuple[str, ...] = ()  # what the run could not do but that needs no action (e.g. an index left to catch up)
    duplicates: tuple[tuple[str, str], ...] = ()  # (file, the stored report it repeats): skipped, same content


ENTITY_TYPES = ("region", "concept", "institution", "policy", "meeting")


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical thing the reports talk about."""

    id: str  # stable: "region-210000", "concept-<slug>", "org-<slug>", "policy-<sha1[:12]>", "meeting-<slug>"
    type: str  # one of ENTITY_TYPES
    label: str  # canonical name (辽宁, 专项债券, 中国人民银行, 国办发〔2024〕52号 or the 《title》)
    aliases: tuple[str, ...] = ()
    code: str | None = None  # GB/T 2260 code for regions, the document number for policies
    broader: tuple[str, ...] = ()  # entity ids (concept scheme, parent institution, region of a city)

    def __post_init__(self) -> None:
        if self.type not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {self.type!r}")


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in a chunk, with the exact span of the words used."""

    entity_id: str
    doc_id: str
    chunk_id: str
    start: int
    end: int
    surface: str  # Document.text[start:end]

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Mention")


@dataclass(frozen=True, slots=True)
class Figure:
    """A number the reports state: value, unit, what it measures, when and where, and its evidence."""

    id: str  # fig-<sha1[:12]> of doc id + value span
    doc_id: str
    chunk_id: str
    start: int  # span of the value as written (e.g. "6325", "-0.8%") in Document.text
    end: int
    text: str  # Document.text[start:end]
    value: float  # as written, before the multiplier: 3.3 for "3.3 万亿元"
    unit: str  # the unit as written: 亿元, 万亿元, %, 个百分点, bp, 家, 个, 亿美元 ...
    multiplier: float = 1.0  # 1e8 for 亿元, 1e12 for 万亿元, 0.01 for % (value * multiplier = base quantity)
    indicator: str = ""  # the phrase it measures, e.g. "旅游收入", "金融机构各项存款同比增长"
    period: str = ""  # normalised: "2024", "2024Q4", "2024-08", "2024H1", "2024年末", "2023-2024" or ""
    region: str | None = None  # region entity id
    measure: str = "level"  # level, yoy (同比), change (比上年/上升…个百分点), share (占比), target, other
    direction: str | None = None  # up / down when the text says 增长/上升 or 下降/回落
    table_id: str | None = None
    row_header: tuple[str, ...] = ()
    col_header: tuple[str, ...] = ()
    # True when the value was not written with the figure but taken from its context: the document's region
    # (a city report never repeats its city), a relative period (今年, 去年, 过去五年) resolved against the
    # report's date, a period carried from an earlier sentence or heading, or the document's data period.
    period_inferred: bool = False
    region_inferred: bool = False

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Figure")


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link between two entities (or a document and an entity), with its evidence."""

    subject: str  # entity id or document id
    predicate: str  # a term of the project vocabulary: mentions, issuedBy, abbreviates, refersTo, broader, coOccurs
    object: str
    doc_id: str
    chunk_id: str | None = None
    start: int = 0  # evidence span in Document.text
    end: int = 0
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Citation:
    """The exact passage an answer rests on: Document.text[start:end] == text."""

    doc_id: str
    title: str
    chunk_id: str
    start: int
    end: int
    text: str
    page: int | None = None
    section: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "Citation")
        if self.end - self.start != len(self.text):
            raise ValueError("Citation text length differs from its span")


@dataclass(frozen=True, slots=True)
class Answer:
    """A short answer with its citations, or an explicit abstention with related passages."""

    question: str
    text: str  # the answer itself ("6325亿元"), or the abstention message ("语料中未找到…")
    abstained: bool
    citations: tuple[Citation, ...] = ()  # evidence for the answer (empty when abstained)
    related: tuple[Citation, ...] = ()  # closest passages shown when abstaining
    figures: tuple[Figure, ...] = ()  # every figure a computed answer used (difference, maximum ...)
    kind: str = "text"  # number, entity, list, definition, comparison, difference, text
    score: float = 0.0  # confidence the answer matches the question (what abstention thresholds)

    def __post_init__(self) -> None:
        if not self.abstained and not self.citations:
            raise ValueError("an answer must carry at least one citation")


@dataclass(frozen=True, slots=True)
class Reply:
    """What a front end shows for one question: as typed, as read (a follow-up is read with the question before
    it), the answer, and a hint for the asker when there is one."""

    typed: str
    question: str
    answer: Answer
    hint: str | None = None

    @property
    def followup(self) -> bool:
        return self.question != self.typed


@dataclass(frozen=True, slots=True)
class Facts:
    """What extraction found in one document; stored with it and removed with it."""

    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    figures: tuple[Figure, ...] = ()
    relations: tuple[Relation, ...] = ()
    skipped: int = 0  # numbers or cells that could not be read as figures
    definitions: tuple["Definition", ...] = ()
    enumerations: tuple["Enumeration", ...] = ()


DEFINITION_KINDS = ("means", "is", "ie", "abbreviation", "called", "glossary", "footnote", "formula")
ENUMERATION_KINDS = ("ordinal", "numbered", "circled", "dash", "include", "etc", "paren", "definition", "semicolon")


def _check_pair(span: tuple[int, int], text: str, what: str) -> None:
    _check_span(span[0], span[1], what)
    if span[1] - span[0] != len(text):
        raise ValueError(f"{what}: text length differs from its span {span}")


@dataclass(frozen=True, slots=True)
class Definition:
    """A statement that defines a term: `X是指…`, `（即X）`, `（以下简称X）`, a glossary entry, a defining footnote."""

    id: str  # def-<sha1[:12]> of doc id + term span + body span
    doc_id: str
    chunk_id: str
    term: str  # Document.text[term_span]: 两新, 新时代“六地”, GDP缩减指数 (outer quotes left out)
    term_span: tuple[int, int]
    body: str  # Document.text[body_span]: the defining clause
    body_span: tuple[int, int]
    kind: str  # one of DEFINITION_KINDS: means (是指/指), is (X是…的差额), ie (即), abbreviation, called, glossary,
    #            footnote, formula (X=A/B)
    key: str = ""  # lookup form of the term: the quoted core (六地), spaces and quotes dropped
    concept: str | None = None  # concept entity id when the term is a gazetteer concept

    def __post_init__(self) -> None:
        _check_pair(self.term_span, self.term, "Definition term")
        _check_pair(self.body_span, self.body, "Definition body")
        if self.kind not in DEFINITION_KINDS:
            raise ValueError(f"unknown definition kind {self.kind!r}")


@dataclass(frozen=True, slots=True)
class Enumeration:
    """A list a report gives for a term: `一是…二是…`, `①…②…`, `包括A、B和C`, `A、B、C等“三大工程”`."""

    id: str  # enum-<sha1[:12]> of doc id + term span + item spans
    doc_id: str
    chunk_id: str
    term: str  # Document.text[term_span]: 三大工程, 地方债限额调配有三种方式
    term_span: tuple[int, int]
    items: tuple[tuple[int, int], ...]  # span of each item in Document.text, in order
    item_texts: tuple[str, ...]  # Document.text of each item span
    kind: str  # one of ENUMERATION_KINDS
    count_word: str = ""  # the number the text announces (三大, 五个, 9个), checked against len(items)
    key: str = ""  # lookup form of the term, as Definition.key
    concept: str | None = None

    def __post_init__(self) -> None:
        _check_pair(self.term_span, self.term, "Enumeration term")
        if len(self.items) != len(self.item_texts) or len(self.items) < 2:
            raise ValueError(f"Enumeration {self.id}: needs two or more items, each with its text")
        for span, text in zip(self.items, self.item_texts):
            _check_pair(span, text, "Enumeration item")
        if self.kind not in ENUMERATION_KINDS:
            raise ValueError(f"unknown enumeration kind {self.kind!r}")
