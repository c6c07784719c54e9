"""Search pieces: tokens, fusion, BM25, filters and the hybrid searcher with a fake embedder."""
import numpy as np
import pytest

from kg.index.bm25 import Bm25Index
from kg.index.dense import DenseIndex
from kg.index.fusion import rrf
from kg.index.search import Filters, Searcher
from kg.index.tokenize import query_tokens, tokens
from kg.types import Chunk


def _chunk(i: int, doc: str, text: str, prefix: str = "") -> Chunk:
    return Chunk(id=f"chunk-{i:012d}", doc_id=doc, start=0, end=len(text), text=text, prefix=prefix)


CHUNKS = [
    _chunk(1, "doc-a", "全年接待游客 8.8 亿人次，旅游收入 6325 亿元，同比增长 25.9%。"),
    _chunk(2, "doc-a", "辽宁省政府债券净融资1163亿元，专项债规模增加1134亿元。"),
    _chunk(3, "doc-b", "全年全省发放消费品以旧换新补贴 48 亿元。"),
    _chunk(4, "doc-b", "4\t3759.8\t6200.5", prefix="表3 2024 年金融机构票据业务量统计表 单位：亿元\n季度\t银行承兑汇票承兑余额\t累计发生额"),
]


def test_bigram_tokens_keep_numbers_whole_and_fold_full_width():
    assert tokens("辽宁２０２４年ＧＤＰ增长4.2%") == ["辽宁", "2024", "年", "gdp", "增长", "4.2%"]
    assert tokens("旅游收入") == ["旅游", "游收", "收入"]
    assert "多少" not in query_tokens("辽宁旅游收入是多少")


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="bigram"):
        tokens("x", "words")


def test_rrf_sums_reciprocal_ranks_and_is_deterministic():
    fused = rrf([["a", "b", "c"], ["b", "c", "d"]], k=1)
    assert [d for d, _ in fused] == ["b", "c", "a", "d"]
    assert fused[0][1] == pytest.approx(1 / 3 + 1 / 2)
    assert rrf([["x", "y"], ["y", "x"]], k=60) == rrf([["x", "y"], ["y", "x"]], k=60)
    assert [d for d, _ in rrf([["x", "y"], ["y", "x"]])] == ["x", "y"]  # tie: first seen first
    with pytest.raises(ValueError):
        rrf([["a"]], weights=[1, 2])


def test_bm25_finds_the_passage_and_table_row_by_header_words(tmp_path):
    idx = Bm25Index.build(CHUNKS, "bigram")
    s = Searcher(CHUNKS, idx)
    assert s.search("辽宁 2024 旅游收入", 1)[0].chunk.id == CHUNKS[0].id
    assert s.search("表3 四季度银行承兑汇票承兑余额", 1)[0].chunk.id == CHUNKS[3].id
    idx.save(tmp_path / "bm25")
    again = Bm25Index.load(tmp_path / "bm25")
    assert np.allclose(again.scores("以旧换新补贴"), idx.scores("以旧换新补贴"))
    assert Bm25Index.load(tmp_path / "none") is None


def test_filters_restrict_to_a_document():
    s = Searcher(CHUNKS, Bm25Index.build(CHUNKS), doc_meta={"doc-a": ("辽宁", 2025), "doc-b": ("山西", 2025)})
    hits = s.search("亿元", 10, Filters(docs=frozenset({"doc-b"})))
    assert hits and {h.chunk.doc_id for h in hits} == {"doc-b"}
    assert {h.chunk.doc_id for h in s.search("亿元", 10, Filters(region="辽宁"))} == {"doc-a"}


def test_hybrid_search_uses_both_rankings_with_a_fake_embedder(tmp_path):
    from kg.index.embed import FakeEmbedder
    emb = FakeEmbedder(dim=64)
    vecs = emb.embed([c.search_text for c in CHUNKS], "passage")
    dense = DenseIndex.build([c.id for c in CHUNKS], vecs, emb.name)
    dense.save(tmp_path / "vec")
    dense = DenseIndex.load(tmp_path / "vec")
    s = Searcher(CHUNKS, Bm25Index.build(CHUNKS), dense, emb)
    top = s.search("以旧换新补贴发了多少", 2)
    assert top[0].chunk.id == CHUNKS[2].id
    assert top[0].bm25_rank == 1 and top[0].dense_rank is not None


def test_a_vector_index_refuses_another_model():
    from kg.errors import ModelError
    from kg.index.embed import FakeEmbedder
    dense = DenseIndex.build(["c"], np.ones((1, 8), dtype=np.float32), "other-model")
    with pytest.raises(ModelError, match="reindex"):
        Searcher(CHUNKS, Bm25Index.build(CHUNKS), dense, FakeEmbedder(dim=8))
