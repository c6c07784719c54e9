"""Check a question set against its sources: python bench/questions/check_questions.py FILE.jsonl ...

Asserts, for every item: the fields of ../shared/eval/dev.jsonl are present, ids are unique,
each evidence string occurs (whitespace removed, NFKC) in the source text of one of its docs
(PDFs: `pdftotext -layout` or `pdftotext -raw`; Qingdao's
decimals only read right in -raw, Hohhot's newspaper columns only in -raw), the reference answer satisfies its own accept/reject
strings under the scorer's rules, and unanswerable items carry no accept strings.
Warns when an accept string is found neither in the evidence nor in the source (a computed answer).
"""
import json
import re
import subprocess
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
KEYS = ["id", "question", "answer", "accept", "match", "type", "category", "doc", "evidence"]
TYPES = {"number", "text", "entity", "list", "unanswerable"}
CATS = {"fact", "table", "compare", "definition", "cross_doc", "unanswerable"}
MAX = {"number": 80, "entity": 80, "list": 80, "text": 200}
SUP = re.compile("[\u00b2\u00b3\u00b9\u2070-\u209f]")


def norm(s):
    s = unicodedata.normalize("NFKC", SUP.sub("", s or "")).replace("\u2212", "-").replace("\u2014", "-")
    return re.sub(r"\s+", "", s)


def contains(answer, accept):
    if isinstance(accept, list):
        return any(contains(answer, x) for x in accept)
    a, x = norm(answer), norm(accept)
    if re.fullmatch(r"[-+]?\d+(\.\d+)?%?", x):
        pat = r"(?<![\d.])" + re.escape(x) + (r"(?![\d])" if x.endswith("%") else r"(?!\.?\d)")
        return re.search(pat, a) is not None
    return bool(x) and x in a


def contains_spaced(text, accept):
    """contains() on text whose whitespace is kept as a token boundary."""
    return any(contains(tok, accept) for tok in [text] + text.split()) or contains(text.replace(" ", "|"), accept)


@lru_cache(maxsize=None)
def source(doc):
    for base in (ROOT / "data" / "corpus", SHARED / "extra", SHARED / "realpdf"):
        p = base / doc
        if p.exists():
            if p.suffix == ".pdf":  # both reading orders of the text layer, one after the other
                modes = (["-layout"], ["-raw"])
                outs = [subprocess.run(["pdftotext", *m, str(p), "-"], capture_output=True, check=True) for m in modes]
                return "\n".join(norm(o.stdout.decode("utf-8", "replace")) for o in outs)
            return norm(p.read_text(encoding="utf-8"))
    raise FileNotFoundError(doc)


def flat(acc):
    for a in acc:
        yield from (a if isinstance(a, list) else [a])


def check(path):
    errors, warns, seen = [], [], set()
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        r = json.loads(line)
        tag = f"{path}:{n} {r.get('id')}"
        for k in KEYS:
            if k not in r:
                errors.append(f"{tag}: missing {k}")
        if r["id"] in seen:
            errors.append(f"{tag}: duplicate id")
        seen.add(r["id"])
        if r["type"] not in TYPES or r["category"] not in CATS:
            errors.append(f"{tag}: bad type/category")
        if (r["type"] == "unanswerable") != (r["category"] == "unanswerable"):
            errors.append(f"{tag}: unanswerable type/category mismatch")
        texts = [source(d) for d in r["doc"]]
        for ev in r["evidence"]:
            if not any(norm(ev) in t for t in texts):
                errors.append(f"{tag}: evidence not in source: {ev}")
        if r["type"] == "unanswerable":
            if r["accept"]:
                errors.append(f"{tag}: unanswerable with accept strings")
            continue
        ok = [contains(r["answer"], a) for a in r["accept"]]
        if not r["accept"] or not (all(ok) if r["match"] == "all" else any(ok)):
            errors.append(f"{tag}: answer does not satisfy accept {r['accept']}")
        for x in r.get("reject", []):
            if contains(r["answer"], x):
                errors.append(f"{tag}: answer contains reject {x}")
        if len(norm(r["answer"])) > MAX[r["type"]]:
            errors.append(f"{tag}: reference answer longer than {MAX[r['type']]}")
        # table cells run together once whitespace is gone, so look for accepts in the spaced evidence
        evid = " | ".join(unicodedata.normalize("NFKC", e) for e in r["evidence"])
        for a in flat(r["accept"]):
            if not contains_spaced(evid, a) and not any(contains(t, a) for t in texts):
                warns.append(f"{tag}: accept {a!r} not in evidence/source (computed?)")
    return errors, warns


if __name__ == "__main__":
    bad = 0
    for f in sys.argv[1:]:
        errs, warns = check(f)
        for w in warns:
            print("warn:", w)
        for e in errs:
            print("ERROR:", e)
        bad += len(errs)
        print(f"{f}: {sum(1 for _ in open(f))} items, {len(errs)} errors, {len(warns)} warnings")
    sys.exit(1 if bad else 0)
