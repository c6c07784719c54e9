"""Unanswerable twins of generated questions: the same question about a place or a year no report mentions, so
a decision fitted on generated questions also sees questions it must abstain on."""
from __future__ import annotations

import hashlib
import re
from typing import Sequence

from kg.types import Document, content_id

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)|(?<!\d)(\d\d)(?=年)")  # 2024, 2024年, 24年 (the 年 kept)


def absent_places(documents: Sequence[Document], regions: dict[str, tuple[str, str]]) -> list[str]:
    """Places of any level whose short name has 3+ characters and which no document names (short or full), sorted."""
    text = "".join(d.text for d in documents)
    names = {short for short, full in regions.values() if len(short) >= 3 and short not in text and full not in text}
    return sorted(names)


def absent_years(documents: Sequence[Document]) -> list[int]:
    """Years 2000-2035 that no document writes (as 2013, 2013年 or 13年)."""
    text = "".join(d.text for d in documents)
    return [y for y in range(2000, 2036) if str(y) not in text and f"{y % 100:02d}年" not in text]


def _pick(options: Sequence, key: str):
    return options[int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % len(options)]


def twin(record: dict, places: Sequence[str], years: Sequence[int], names: Sequence[str] = ()) -> dict | None:
    """The record's question about an absent place (when it names one of `names`, its place's names) or an
    absent year, as unanswerable."""
    q = record["question"]
    named = next((n for n in sorted(names, key=len, reverse=True) if n and n in q), "")
    if places and named:
        new = q.replace(named, _pick(places, q), 1)
        why = "a place no report names"
    elif years and (m := _YEAR.search(q)):
        y = _pick(years, q)
        new = q[:m.start()] + (str(y) if m.group(1) else f"{y % 100:02d}") + q[m.end():]
        why = "a year no report names"
    else:
        return None
    return {"id": content_id("twin", record["id"], new), "question": new, "answer": "", "accept": [], "match": "any",
            "type": "unanswerable", "category": "unanswerable", "doc": record["doc"], "evidence": record["evidence"],
            "note": f"twin of {record['id']}: {why}", "split": record.get("split", "fit")}


def twins(records: Sequence[dict], documents: Sequence[Document], regions: dict[str, tuple[str, str]],
          every: int = 4) -> list[dict]:
    """One unanswerable twin for every `every`-th record (by a hash of its id), where one can be made."""
    places, years = absent_places(documents, regions), absent_years(documents)
    out = []
    for r in records:
        names = regions.get(r.get("region") or "", ())
        if int(hashlib.sha1(r["id"].encode()).hexdigest()[:8], 16) % every == 0 and (t := twin(r, places, years,
                                                                                                names)):
            out.append(t)
    return out
