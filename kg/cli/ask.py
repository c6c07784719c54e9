"""CLI commands that answer questions: ask (one question or a batch) and answer scoring for eval."""
from __future__ import annotations

import argparse

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
    from kg.service import check_question, language_hint, open_qa
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
        ans = answer(args.question, ctx)
    if args.json:
        print_json(answer_record("q1", ans))
    else:
        _print_answer(ans)
        hint = language_hint(ans.question) if ans.abstained else None
        if hint:
            print(hint)
    return 0


def cmd_eval_answers(args: argparse.Namespace) -> int:
    """Answer every question of FILE.jsonl and score the answers exactly as the question set's score.py does.

    Reads args.kb, args.answers (the question file), args.misses, args.json and the model options."""
    from kg.eval.qa import answer_record, check_questions, format_misses, format_summary, load_jsonl, score, summarise
    from kg.qa import answer
    from kg.service import open_qa
    questions = load_jsonl(check_text_file(args.answers, "question set"))
    check_questions(questions, args.answers)
    with open_kb(args) as kb:
        ctx = open_qa(kb, settings(args), _qa_settings(args))
        records = [answer_record(q["id"], answer(q["question"], ctx)) for q in questions]
    rows = score(questions, records)
    summary = summarise(rows)
    if getattr(args, "json", False):
        print_json(summary.as_dict())
    else:
        print(format_summary(summary))
    if args.misses:
        for line in format_misses(rows):
            print(line)
    return 0


def add_eval_answer_options(sp: argparse.ArgumentParser) -> None:
    """What `kg eval FILE.jsonl` needs on top of the retrieval options (--misses is shared)."""
    sp.add_argument("answers", nargs="?", metavar="FILE.jsonl",
                    help="score answers to this question set (id, question, type, category, accept, evidence)")
    sp.add_argument("--json", action="store_true", help="print the summary as one JSON object")


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
