"""The knowledge base on disk: put, replace, remove, all-or-nothing writes, clear errors."""
import pytest

from kg.errors import StoreError
from kg.kb.store import KnowledgeBase
from kg.types import Cell, Chunk, Document, Page, Section, Table


def _parts(doc_id="doc-aaaaaaaaaaaa", source="a.txt", text="一、总体\n\n辽宁省政府债券净融资1163亿元。"):
    doc = Document(id=doc_id, source=source, title="辽宁省金融运行报告（2025）", text=text, sha256=doc_id,
                   region="辽宁", year=2025, pages=(Page(1, 0, len(text)),),
                   sections=(Section("一、总体", 1, 0, len(text), ("一、总体",)),))
    cell = Cell(0, 1, ("辽宁",), ("净融资",), "1163", text.index("1163"), text.index("1163") + 4)
    table = Table(id="table-" + doc_id[4:], doc_id=doc_id, start=0, end=len(text), label="表1", unit="亿元",
                  header_rows=(("地区", "净融资"),), rows=(("辽宁", "1163"),), row_spans=((0, 4),), cells=(cell,))
    chunk = Chunk(id="chunk-" + doc_id[4:], doc_id=doc_id, start=6, end=len(text), text=text[6:],
                  section=("一、总体",), page=1)
    return doc, (table,), (chunk,)


def test_missing_kb_says_how_to_build_it(tmp_path):
    with pytest.raises(StoreError, match="kg ingest"):
        KnowledgeBase.open(tmp_path / "nope")


def test_round_trip_of_document_tables_and_chunks(tmp_path):
    doc, tables, chunks = _parts()
    with KnowledgeBase.open(tmp_path, create=True) as kb:
        assert kb.put(doc, tables, chunks) is None
    with KnowledgeBase.open(tmp_path) as kb:
        assert kb.document(doc.id) == doc
        assert kb.document("a.txt") == doc  # by source name
        assert kb.document("doc-aaaa") == doc  # by id prefix
        assert kb.tables() == list(tables)
        assert kb.chunks(doc.id) == list(chunks)
        [info] = kb.documents()
        assert (info.chunks, info.tables, info.pages, info.chars) == (1, 1, 1, len(doc.text))


def test_a_changed_file_replaces_its_old_version(tmp_path):
    with KnowledgeBase.open(tmp_path, create=True) as kb:
        kb.put(*_parts())
        g = kb.generation
        old = kb.put(*_parts(doc_id="doc-bbbbbbbbbbbb", text="一、总体\n\n辽宁省政府债券净融资1163亿元，增长。"))
        assert old == "doc-aaaaaaaaaaaa"
        assert kb.doc_ids() == ["doc-bbbbbbbbbbbb"]
        assert [c.doc_id for c in kb.chunks()] == ["doc-bbbbbbbbbbbb"]
        assert kb.generation == g + 1


def test_remove_takes_chunks_and_tables_with_it(tmp_path):
    with KnowledgeBase.open(tmp_path, create=True) as kb:
        kb.put(*_parts())
        kb.put(*_parts(doc_id="doc-cccccccccccc", source="c.txt"))
        removed = kb.remove("a.txt")
        assert removed.id == "doc-aaaaaaaaaaaa"
        assert kb.doc_ids() == ["doc-cccccccccccc"]
        assert {c.doc_id for c in kb.chunks()} == {"doc-cccccccccccc"}
        assert {t.doc_id for t in kb.tables()} == {"doc-cccccccccccc"}
        with pytest.raises(StoreError, match="kg docs"):
            kb.remove("doc-aaaaaaaaaaaa")


def test_a_failed_write_leaves_the_previous_state(tmp_path):
    with KnowledgeBase.open(tmp_path, create=True) as kb:
        kb.put(*_parts())
        doc, tables, chunks = _parts(doc_id="doc-dddddddddddd", text="一、总体\n\n新文本1163。")
        dup = chunks + chunks  # the second insert of the same chunk id fails mid-transaction
        with pytest.raises(Exception):
            kb.put(doc, tables, dup)
        assert kb.doc_ids() == ["doc-aaaaaaaaaaaa"]
        assert kb.document("a.txt").text.endswith("1163亿元。")


def test_a_corrupt_database_is_a_clear_error(tmp_path):
    (tmp_path / "kb.sqlite").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="is damaged .*re-ingest the reports into a new knowledge base"):
        KnowledgeBase.open(tmp_path)
