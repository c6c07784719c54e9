"""CLI commands that read the knowledge base through search: search and eval."""
from __future__ import annotations

import argparse
import sys

from kg.cli.common import (add_command, add_model_options, check_text_file, open_kb, positive_int, print_json,
                           progress, settings)


def _hit_dict(h, rank: int) -> dict:
    c = h.chunk
    return {"rank": rank, "chunk_id": c.id, "doc": c.doc_id, "start": c.start, "end": c.end, "page": c.page,
            "section": list(c.section), "kind": c.kind, "score": round(h.score, 6), "bm25_rank": h.bm25_rank,
            "dense_rank": h.dense_rank, "text": c.text}


def cmd_search(args: argparse.Namespace) -> int:
    """Hybrid search; with --questions, one JSON line of hits per question."""
    from kg import service
    from kg.eval.retrieval import load_questions
    from kg.errors import UsageError
    args.query = " ".join(args.query).strip()  # unquoted words are one query: kg search 辽宁 旅游收入
    if bool(args.query) == bool(args.questions):
        raise UsageError("give a QUERY or --questions FILE.jsonl (not both)")
    if args.questions:
        check_text_file(args.questions, "--questions")
    with open_kb(args) as kb:
        searcher = service.open_searcher(kb, settings(args), progress(("embed",)))
        doc = kb.resolve(args.doc) if args.doc else None
        if args.questions:
            for q in load_questions(args.questions):
                hits = service.search(searcher, q["question"], args.k, doc, args.region, args.year)
                print_json({"id": q["id"], "question": q["question"],
                            "hits": [_hit_dict(h, i) for i, h in enumerate(hits, 1)]})
            return 0
        hits = service.search(searcher, args.query, args.k, doc, args.region, args.year)
        titles = {d.id: d.title for d in kb.documents()}
    for i, h in enumerate(hits, 1):
        if args.json:
            print_json(_hit_dict(h, i))
        else:
            c = h.chunk
            where = " > ".join(c.section) or "-"
            page = f" 第{c.page}页" if c.page else ""
            print(f"{i}. {titles.get(c.doc_id, c.doc_id)}{page} | {where} | {c.id} [{c.start},{c.end})")
            print("   " + c.text.replace("\n", " ")[:200])
    if not hits:
        print("no passage matches", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Retrieval figures per category (Recall@1/5/20, MRR@10)."""
    from kg import service
    from kg.errors import UsageError
    from kg.eval.retrieval import evaluate, load_questions, summarise
    if sum(map(bool, (args.retrieval, args.answers, args.synthetic))) > 1:
        raise UsageError("give one of FILE.jsonl (score answers), --retrieval FILE.jsonl or --synthetic")
    if args.synthetic:
        from kg.cli.ask import cmd_eval_synthetic
        return cmd_eval_synthetic(args)
    if args.answers:
        from kg.cli.ask import cmd_eval_answers
        return cmd_eval_answers(args)
    if not args.retrieval:
        raise UsageError("give FILE.jsonl to score answers, --retrieval FILE.jsonl to score retrieval, or "
                         "--synthetic to score questions generated from the knowledge base")
    questions = load_questions(check_text_file(args.retrieval, "--retrieval"))
    with open_kb(args) as kb:
        searcher = service.open_searcher(kb, settings(args), progress(("embed",)))
    chunks = list(searcher.chunks.values())
    rankers = {
        "fused": lambda q: [h.chunk.id for h in searcher.search(q, 20)],
        "bm25": lambda q: searcher.bm25_ranking(q, 20, lambda _: True),
        "dense": lambda q: searcher.dense_ranking(q, 20, lambda _: True),
    }
    methods = [args.method] if args.method != "all" else ["bm25", "dense", "fused"]
    for m in methods:
        if m == "dense" and searcher.dense is None:
            continue
        rows = evaluate(questions, chunks, rankers[m])
        for cat, s in summarise(rows).items():
            figures = "  ".join(f"{k} {v:.3f}" for k, v in s.items() if k != "n")
            print(f"{m:6} {cat:14} n={s['n']:<3} {figures}")
        if args.misses:
            for r in rows:
                if r.rank is None or r.rank > 5:
                    print(f"  miss {r.id} [{r.category}] rank={r.rank} gold_chunks={r.gold}")
    return 0


def register(sub) -> None:
    sp = add_command(sub, "search", "hybrid BM25 + vector search over the chunks",
                     "kg search \"辽宁 2024 旅游收入\" -k 5", cmd_search)
    sp.add_argument("query", nargs="*", metavar="QUERY", help="words to search for (quoted or not)")
    sp.add_argument("-k", type=positive_int, default=5, help="how many passages (5)")
    sp.add_argument("--json", action="store_true", help="one JSON object per hit")
    sp.add_argument("--questions", metavar="FILE.jsonl", help="batch: {\"id\", \"question\"} per line")
    sp.add_argument("--doc", metavar="ID", help="only this document")
    sp.add_argument("--region", metavar="NAME", help="only documents about this region (e.g. 辽宁)")
    sp.add_argument("--year", type=int, metavar="YYYY", help="only documents of this year")
    add_model_options(sp)
    sp = add_command(sub, "eval", "score answers (accuracy per category, citation hits, false abstentions) or, "
                     "with --retrieval, retrieval (Recall@k, MRR@10) on a question set",
                     "kg eval ../shared/eval/dev.jsonl --misses", cmd_eval)
    from kg.cli.ask import add_eval_answer_options
    add_eval_answer_options(sp)
    sp.add_argument("--retrieval", metavar="FILE.jsonl", help="score retrieval: questions with evidence strings")
    sp.add_argument("--method", choices=["fused", "bm25", "dense", "all"], default="all")
    sp.add_argument("--misses", action="store_true", help="list wrong answers, or (retrieval) questions whose "
                    "evidence is not in the top 5")
    add_model_options(sp)
