"""Chunking: sentence-aware text chunks, header-repeating table chunks, the offset invariant."""
from ingest.chunk import ChunkSettings, chunk_document, sentence_spans
from kg.types import Cell, Document, Section, Table

TEXT = ("一、总判断\n\n"
        "2024 年第四季度宏观杠杆率上升 0.4 个百分点，从三季度末的 290.2%上升至 290.6%。"
        "其中，居民部门杠杆率下降 0.2个百分点，从三季度末的 61.6%下降至 61.4%；"
        "非金融企业杠杆率下降 1.5 个百分点，从三季度末的 169.9%下降至 168.4%。\n\n"
        "二、分部门\n\n"
        "政府部门杠杆率上升 2.1个百分点，从三季度末的 58.7%上升至 60.8%。" * 6)


def _doc(text: str, sections=()) -> Document:
    return Document(id="doc-000000000000", source="t.txt", title="测试报告", text=text, sha256="0", sections=sections)


def _sections(text: str):
    a = text.index("一、总判断")
    b = text.index("二、分部门")
    return (Section("一、总判断", 1, a, b, ("一、总判断",)), Section("二、分部门", 1, b, len(text), ("二、分部门",)))


def test_sentences_end_at_chinese_punctuation():
    s = "第一句。第二句；第三句！\n\n标题\n\n尾巴"
    got = [s[a:b] for a, b in sentence_spans(s, 0, len(s))]
    assert got == ["第一句。", "第二句；", "第三句！", "标题", "尾巴"]


def test_chunks_are_slices_and_stay_in_their_section():
    doc = _doc(TEXT, _sections(TEXT))
    chunks = chunk_document(doc, (), ChunkSettings(size=120, overlap=40))
    assert len(chunks) > 3
    cut = TEXT.index("二、分部门")
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
        assert len(c.text) <= 120
        assert c.end <= cut or c.start >= cut, "a chunk crosses a section heading"
        assert c.prefix.startswith("测试报告")
    assert chunks[-1].section == ("二、分部门",)
    assert "二、分部门" in chunks[-1].prefix


def test_consecutive_chunks_overlap_by_whole_sentences():
    doc = _doc(TEXT, _sections(TEXT))
    chunks = [c for c in chunk_document(doc, (), ChunkSettings(size=130, overlap=60)) if c.section == ("二、分部门",)]
    pairs = list(zip(chunks, chunks[1:]))
    assert any(b.start < a.end for a, b in pairs), "no overlap at all"
    for a, b in pairs:
        assert b.start > a.start
        assert a.end - b.start <= 60
        assert TEXT[b.start - 1] in "。；\n" or b.start == a.end


def test_ids_are_stable_and_depend_on_offsets():
    doc = _doc(TEXT, _sections(TEXT))
    one = chunk_document(doc, ())
    two = chunk_document(doc, ())
    assert [c.id for c in one] == [c.id for c in two]
    assert len({c.id for c in one}) == len(one)
    assert all(c.id.startswith("chunk-") for c in one)


def test_table_chunks_repeat_caption_unit_and_headers():
    head = "表 3 2024 年金融机构票据业务量统计表\n单位：亿元\n季度\t余额\t累计发生额\n"
    rows = "".join(f"{q}\t{3000 + q}.5\t{1000 * q}.4\n" for q in range(1, 41))
    text = "前言。\n\n" + head + rows + "数据来源：中国人民银行辽宁省分行。\n\n结语。"
    t0 = text.index("表 3")
    spans, pos = [], text.index("1\t3001")
    for line in rows.splitlines():
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    end = text.index("结语") - 2
    table = Table(id="table-x", doc_id="doc-000000000000", start=t0, end=end, caption="表 3 2024 年金融机构票据业务量统计表",
                  label="表3", unit="亿元", header_rows=(("季度", "余额", "累计发生额"),), row_spans=tuple(spans),
                  cells=(Cell(0, 1, ("1",), ("余额",), "3001.5", spans[0][0] + 2, spans[0][0] + 8),))
    doc = _doc(text)
    chunks = chunk_document(doc, (table,), ChunkSettings(table_size=150))
    tchunks = [c for c in chunks if c.kind == "table"]
    assert len(tchunks) > 2
    assert tchunks[0].start == t0 and tchunks[-1].end == end
    for c in tchunks:
        assert doc.text[c.start:c.end] == c.text
        assert c.table_id == "table-x"
        assert c.prefix.startswith("表3 表 3 2024 年金融机构票据业务量统计表 单位：亿元")
        assert "季度\t余额\t累计发生额" in c.search_text
    last_row = "40\t3040.5\t40000.4"
    assert last_row in tchunks[-1].text
    assert not any(c.kind == "text" and "3040.5" in c.text for c in chunks), "table rows leaked into text chunks"
    assert [c.text for c in chunks if c.kind == "text"] == ["前言。", "结语。"]
