"""Ingestion over the whole bundled corpus: offsets, tables, metadata, the knowledge base life cycle."""
import shutil

import pytest

from kg.kb.build import ingest_paths, remove_document
from kg.kb.store import KnowledgeBase


def test_every_chunk_cell_section_and_table_is_a_slice_of_the_cleaned_text(parsed_corpus):
    for name, p in parsed_corpus.items():
        text = p.doc.text
        assert p.chunks, name
        for c in p.chunks:
            assert text[c.start:c.end] == c.text, (name, c.id)
            assert c.text.strip() == c.text and c.text
        for t in p.tables:
            assert 0 <= t.start < t.end <= len(text)
            for cell in t.cells:
                assert text[cell.start:cell.end] == cell.value, (name, t.label, cell)
        for s in p.doc.sections:
            assert text[s.start:s.end].startswith(s.title), (name, s.title)


def test_chunks_cover_the_text_and_ids_are_unique(parsed_corpus):
    for name, p in parsed_corpus.items():
        ids = [c.id for c in p.chunks]
        assert len(ids) == len(set(ids)), name
        covered = bytearray(len(p.doc.text))
        for c in p.chunks:
            covered[c.start:c.end] = b"\x01" * (c.end - c.start)
        missing = "".join(ch for ch, f in zip(p.doc.text, covered) if not f and not ch.isspace())
        assert len(missing) < 0.01 * len(p.doc.text), (name, missing[:200])


def test_titles_come_from_the_text_not_the_file_name(parsed_corpus):
    for name, p in parsed_corpus.items():
        assert p.doc.title and name[:3] not in p.doc.title and "_" not in p.doc.title, (name, p.doc.title)
    assert "辽宁" in parsed_corpus["001_7318713557c0121f.txt"].doc.title
    assert parsed_corpus["001_7318713557c0121f.txt"].doc.region == "辽宁"
    assert parsed_corpus["003_89f4975142656497.txt"].doc.region == "山西"
    assert parsed_corpus["004_3abfec75a228cbda.txt"].doc.region is None


def test_tables_are_found_in_the_four_reports_that_have_them(parsed_corpus):
    counts = {name: len(p.tables) for name, p in parsed_corpus.items()}
    assert counts["000_79d761e802c0c155.txt"] == 0
    for name in ("001_7318713557c0121f.txt", "002_7ea20709f1132c53.txt", "003_89f4975142656497.txt"):
        assert counts[name] >= 4, counts
    assert counts["004_3abfec75a228cbda.txt"] >= 30, counts
    labels = {t.label for t in parsed_corpus["001_7318713557c0121f.txt"].tables}
    assert {"表1", "表3", "附录表1", "附录表2"} <= labels


@pytest.fixture()
def kb(tmp_path):
    with KnowledgeBase.open(tmp_path / "kb", create=True) as kb:
        yield kb


def test_reingest_is_a_noop_and_a_changed_file_replaces_its_version(kb, corpus_files, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in corpus_files[:2]:
        shutil.copy(p, src / p.name)
    first = ingest_paths(kb, [src])
    assert len(first.added) == 2 and not first.errors
    gen, chunks = kb.generation, kb.chunks()
    again = ingest_paths(kb, [src])
    assert again.added == () and len(again.unchanged) == 2
    assert kb.generation == gen and kb.chunks() == chunks
    changed = src / corpus_files[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n附加说明：本段为修订内容。\n", encoding="utf-8")
    refused = ingest_paths(kb, [src])
    assert [r for _, r in refused.errors] == [f"a different document named {changed.name} is already in the "
                                              "knowledge base: pass --replace to replace it, or rename the file"]
    third = ingest_paths(kb, [src], replace=True)
    assert len(third.added) == 1 and len(third.replaced) == 1
    assert len(kb.doc_ids()) == 2
    assert any("本段为修订内容" in c.text for c in kb.chunks())


def test_bad_inputs_are_reported_and_the_rest_ingested(kb, corpus_files, tmp_path):
    ingest_paths(kb, [corpus_files[0]])
    before = kb.doc_ids()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf")
    (bad / "table.xlsx").write_bytes(b"PK\x03\x04 spreadsheet")
    shutil.copy(corpus_files[1], bad / corpus_files[1].name)
    rep = ingest_paths(kb, [bad, tmp_path / "missing.txt"])
    failed = {p.rsplit("/", 1)[-1]: reason for p, reason in rep.errors}
    assert set(failed) == {"empty.txt", "junk.txt", "broken.pdf", "table.xlsx", "missing.txt"}, failed
    assert all("\n" not in r and r for r in failed.values())
    assert len(rep.added) == 1
    assert set(before) < set(kb.doc_ids())


def test_remove_takes_exactly_one_document(kb, corpus_files):
    ingest_paths(kb, corpus_files[:3])
    target = kb.documents()[1]
    remove_document(kb, target.source)
    assert target.id not in kb.doc_ids() and len(kb.doc_ids()) == 2
    assert all(c.doc_id != target.id for c in kb.chunks())
    assert all(t.doc_id != target.id for t in kb.tables())
