"""CLI commands that answer questions: ask (one question or a batch) and answer scoring for eval."""
from __future__ import annotations

import argparse
import sys

from kg.cli.common import add_command, add_model_options, check_text_file, open_kb, print_json, settings


def _qa_settings(args: argparse.Namespace):
    from kg.qa import QASettings
    url, model = getattr(args, "generator_url", None), getattr(args, "generator_model", None)
    return QASettings(generator_url=url, generator_model=model, generate=bool(url and model))


def _print_answer(ans) -> None:
    print(ans.text)
    shown = ans.related if ans.abstained else ans.citations
    if shown:
        print("相关段落：" if ans.abstained else "引用：")
    for i, c in enumerate(shown, 1):
        page = f" 第{c.page}页" if c.page else ""
        where = " > ".join(c.section) or "-"
        print(f"  [{i}] {c.title}{page} | {where} | {c.chunk_id} [{c.start},{c.end})")
        print("      " + c.text.replace("\n", " ")[:200])


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer a question with cited passages, or say the corpus does not give it; --questions runs a batch."""
    from kg.errors import UsageError
    from kg.eval.qa import answer_record, load_jsonl
    from kg.qa import answer
    from kg.service import ask, check_question, open_qa
    if (args.question is not None) == bool(args.questions):
        raise UsageError("give a QUESTION or --questions FILE.jsonl (not both)")
    if args.questions:
        check_text_file(args.questions, "--questions")
    else:
        args.question = check_question(args.question)
    with open_kb(args) as kb:
        ctx = open_qa(kb, settings(args), _qa_settings(args))
        if args.questions:
            for n, q in enumerate(load_jsonl(args.questions), 1):
                if not isinstance(q, dict) or not str(q.get("question", "")).strip():
                    raise UsageError(f"{args.questions}:{n}: needs a non-empty \"question\" field")
                print_json(answer_record(str(q.get("id", f"q{n}")), answer(q["question"], ctx)))
            return 0
        reply = ask(ctx, args.question, kb=kb)
    if args.json:
        print_json({**answer_record("q1", reply.answer), "confidence": round(reply.answer.score, 3)})
    else:
        _print_answer(reply.answer)
        if reply.hint:
            print(reply.hint)
    return 0


def cmd_eval_answers(args: argparse.Namespace) -> int:
    """Answer every question of each FILE.jsonl and score the answers exactly as the question set's score.py does:
    per set and per category right, answered but wrong, wrongly "not found", citation hits.

    Reads args.kb, args.answers (question files), args.misses, args.json and the model options."""
    from kg.eval.qa import answer_record, check_questions, format_misses, format_summary, load_jsonl, score, summarise
    from kg.qa import answer
    from kg.service import open_qa
    sets = []
    for path in args.answers:
        questions = load_jsonl(check_text_file(path, "question set"))
        check_questions(questions, path)
        sets.append((path, questions))
    with open_kb(args) as kb:
        ctx = open_qa(kb, settings(args), _qa_settings(args))
        scored = [(path, score(qs, [answer_record(q["id"], answer(q["question"], ctx)) for q in qs]))
                  for path, qs in sets]
        tables = _calibration(sets, ctx) if getattr(args, "calibration", False) else {}
    if len(scored) > 1:
        scored.append(("all", [r for _, rows in scored for r in rows]))
    for path, rows in scored:
        summary = summarise(rows)
        if getattr(args, "json", False):
            print_json({"set": path, **summary.as_dict()})
        else:
            print(f"{path}: {format_summary(summary)}")
        if getattr(args, "by_report", False):
            docs = {q["id"]: (q.get("doc") or ["-"])[0] for _, qs in sets for q in qs}
            for doc in sorted({docs[r.id] for r in rows}):
                print(f"  {doc}: {summarise([r for r in rows if docs[r.id] == doc]).total.headline()}")
        if args.misses and path != "all":
            for line in format_misses(rows):
                print(line)
        for rng, n, p, right in tables.get(path, []):
            print(f"  calibration {rng}  n={n:<4} predicted {p:.2f}  observed {right:.2f}")
    return 0


def _calibration(sets: list[tuple[str, list[dict]]], ctx) -> dict[str, list]:
    """Per question set (and all together), the fitted P(right) of each question's likeliest proposal against
    whether it is right, by decile (kg.qa.decide.fit.calibration); empty without an installed model."""
    from kg.qa.decide import model_for
    from kg.qa.decide.fit import calibration, label
    model = model_for(ctx)
    if model is None:
        return {}
    labelled = {path: label(qs, ctx) for path, qs in sets}
    out = {path: calibration(model, ls) for path, ls in labelled.items()}
    if len(sets) > 1:
        out["all"] = calibration(model, [q for ls in labelled.values() for q in ls])
    return out


def cmd_eval_synthetic(args: argparse.Namespace) -> int:
    """Generate questions from the knowledge base's own cells, figures and definitions, answer them and count the
    round trip (value in the answer and the right passage cited) per report; --write saves the questions."""
    import json
    from pathlib import Path
    from kg.errors import UsageError
    from kg.eval.qa import answer_record
    from kg.eval.roundtrip import format_failures, format_report, report, run
    from kg.eval.synthetic import generate, vocabulary
    from kg.extract.gazetteer import load_gazetteer
    from kg.qa import answer
    from kg.service import open_qa
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit must be at least 1, got {args.limit}")
    if args.twins and not (args.write and args.no_answer):
        raise UsageError("--twins makes training data: give it with --write FILE.jsonl --no-answer")
    if args.twins < 0:
        raise UsageError(f"--twins must be at least 1, got {args.twins}")
    if args.phrasings < 1:
        raise UsageError(f"--phrasings must be at least 1, got {args.phrasings}")
    with open_kb(args) as kb:
        docs = [kb.document(i) for i in kb.doc_ids()]
        if args.doc:
            docs = [kb.document(args.doc)]
        figures = kb.facts("figure")
        gen = generate(docs, kb.tables(), figures, vocabulary(load_gazetteer()), args.seed, args.phrasings,
                       args.limit)
        questions = [q for q in gen.questions if args.split == "all" or q["split"] == args.split]
        if args.twins:
            from kg.eval.twins import twins
            questions += twins(questions, docs, vocabulary(load_gazetteer()).regions, args.twins)
        if args.write:
            Path(args.write).write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions),
                                        encoding="utf-8")
        print(f"{len(questions)} questions from {gen.facts} facts of {len(docs)} documents ({gen.ambiguous} "
              f"ambiguous facts skipped, {gen.unphrased} without a phraseable period)"
              + (f"; written to {args.write}" if args.write else ""), file=sys.stderr)
        for source, (facts, n) in sorted(gen.per_doc.items()):
            print(f"  {source}: {n} questions from {facts} usable facts", file=sys.stderr)
        if args.no_answer:
            return 0
        ctx = open_qa(kb, settings(args), _qa_settings(args))
        outcomes = run(questions, lambda q: answer_record("", answer(q, ctx)), figures)
    rep = report(outcomes)
    if getattr(args, "json", False):
        print_json(rep.as_dict())
    else:
        print(format_report(rep))
    if args.misses:
        for line in format_failures(outcomes):
            print(line)
    return 0


def add_eval_answer_options(sp: argparse.ArgumentParser) -> None:
    """What `kg eval FILE.jsonl ...` and `kg eval --synthetic` need on top of the retrieval options."""
    sp.add_argument("answers", nargs="*", metavar="FILE.jsonl",
                    help="score answers to these question sets (id, question, type, category, accept, evidence)")
    sp.add_argument("--json", action="store_true", help="print each summary as one JSON object")
    sp.add_argument("--by-report", action="store_true", help="also one line per report (a question's first doc)")
    sp.add_argument("--calibration", action="store_true", help="also predicted against observed right by decile: "
                    "the fitted P(right) of each question's likeliest proposed answer, and whether it is right")
    sp.add_argument("--synthetic", action="store_true", help="generate questions from the knowledge base's own "
                    "table cells, figures and definitions and score the round trip per report")
    sp.add_argument("--limit", type=int, metavar="N", help="--synthetic: at most N questions per document")
    sp.add_argument("--phrasings", type=int, default=3, metavar="K", help="--synthetic: phrasings per fact (3)")
    sp.add_argument("--seed", type=int, default=0, help="--synthetic: random seed of the phrasings (0)")
    sp.add_argument("--split", choices=["all", "fit", "holdout"], default="all",
                    help="--synthetic: only this part of the generated questions (split by a hash of the fact; "
                    "--limit counts before the split)")
    sp.add_argument("--doc", metavar="ID", help="--synthetic: only this document")
    sp.add_argument("--write", metavar="FILE.jsonl", help="--synthetic: write the questions (dev.jsonl format, "
                    "plus split) to FILE")
    sp.add_argument("--no-answer", action="store_true", help="--synthetic: only generate (with --write)")
    sp.add_argument("--twins", type=int, metavar="K", default=0, help="--synthetic: add an unanswerable twin (the "
                    "question about a place or year no report names) for every K-th question (training data for kg fit)")


def register(sub) -> None:
    sp = add_command(sub, "ask", "answer a question with exact citations, or say it is not in the corpus",
                     "kg ask \"辽宁2024年旅游收入是多少？\"", cmd_ask)
    sp.add_argument("question", nargs="?", metavar="QUESTION")
    sp.add_argument("--questions", metavar="FILE.jsonl", help="batch: {\"id\", \"question\"} per line; prints one "
                    "JSON line per question")
    sp.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    sp.add_argument("--generator-url", metavar="URL", help="OpenAI-compatible base URL: rewrite answers from the "
                    "cited passages (off unless given with --generator-model)")
    sp.add_argument("--generator-model", metavar="NAME", help="chat model name for --generator-url")
    add_model_options(sp)
