"""CLI command feedback: an analyst's verdict on an answer kept in the knowledge base (kg.qa.learn.feedback), the
examples listed, or exported as a question file."""
from __future__ import annotations

import argparse
import json
import re

from kg.cli.common import add_command, add_model_options, open_kb, print_json, settings


def _span(text: str) -> tuple[str, int, int]:
    """DOC:START-END (DOC an id, id prefix or file name, as `kg docs` and the citations show)."""
    from kg.errors import UsageError
    m = re.fullmatch(r"(.+):(\d+)-(\d+)", text.strip())
    if not m:
        raise UsageError(f"--evidence {text!r}: give DOC:START-END, e.g. doc-3abfec75a228:1200-1260 "
                         "(the span a citation or `kg chunks` shows)")
    return m[1], int(m[2]), int(m[3])


def cmd_feedback(args: argparse.Namespace) -> int:
    """Judge the answer to QUESTION (--right, --wrong with --answer/--evidence, --absent), or --list / --export."""
    from pathlib import Path
    from kg.errors import UsageError
    from kg.qa.learn.feedback import record
    verdicts = [v for v in ("right", "wrong", "absent") if getattr(args, v)]
    if args.list or args.export:
        if args.question or verdicts:
            raise UsageError("--list and --export take no QUESTION or verdict")
        with open_kb(args) as kb:
            items = kb.feedback()
            names = {d.id: d.source for d in kb.documents()}
        if args.export:
            out = Path(args.export)
            out.write_text("".join(json.dumps(record(f, names), ensure_ascii=False) + "\n"
                                   for f in items), encoding="utf-8")
            print(f"wrote {len(items)} examples to {out} (question-file format: kg eval / kg fit read it)")
        else:
            for f in items:
                print_json({"id": f.id, "question": f.question, "verdict": f.verdict, "shown": f.shown,
                            "answer": f.answer, "evidence": [e.text[:80] for e in f.evidence]})
        return 0
    if not args.question or len(verdicts) != 1:
        raise UsageError("give a QUESTION and one verdict: --right, --wrong (with --answer TEXT and/or --evidence "
                         "DOC:START-END) or --absent; or --list / --export FILE.jsonl")
    from kg.service import feedback, open_qa
    spans = [_span(e) for e in args.evidence or []]
    with open_kb(args) as kb:
        ctx = open_qa(kb, settings(args))
        fb = feedback(kb, ctx, args.question, verdicts[0], args.answer or "", spans)
        count = len(kb.feedback())
    print(f"kept {fb.id}: {fb.verdict}; shown “{fb.shown[:60]}”; {len(fb.proposals)} proposals with their features; "
          f"{count} examples in this knowledge base (kg fit --feedback refits with them)")
    return 0


def register(sub) -> None:
    sp = add_command(sub, "feedback", "say whether an answer is right (and where the right one is): kept as a "
                     "labelled example for kg fit", "kg feedback \"辽宁2024年旅游收入是多少？\" --wrong "
                     "--evidence 001_7318713557c0121f.txt:1200-1215", cmd_feedback)
    sp.add_argument("question", nargs="?", metavar="QUESTION")
    sp.add_argument("--right", action="store_true", help="the answer now given is right")
    sp.add_argument("--wrong", action="store_true", help="it is wrong: give the right --answer and/or --evidence")
    sp.add_argument("--absent", action="store_true", help="the reports do not hold the answer")
    sp.add_argument("--answer", metavar="TEXT", help="the right answer, in your words (e.g. 6325亿元)")
    sp.add_argument("--evidence", action="append", metavar="DOC:START-END",
                    help="the passage or table cell holding the right answer (repeatable)")
    sp.add_argument("--list", action="store_true", help="list the kept examples, one JSON object per line")
    sp.add_argument("--export", metavar="FILE.jsonl", help="write the examples as a question file")
    add_model_options(sp)
