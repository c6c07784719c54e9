"""CLI command fit: refit the answer decision (kg.qa.decide) from labelled question files."""
from __future__ import annotations

import argparse
import json
import sys

from kg.cli.common import add_command, add_model_options, check_text_file, open_kb, settings


def _load(paths: list[str]) -> list[dict]:
    from kg.eval.qa import check_questions, load_jsonl
    out = []
    for p in paths:
        qs = load_jsonl(check_text_file(p, "question set"))
        check_questions(qs, p)
        out += qs
    return out


def cmd_fit(args: argparse.Namespace) -> int:
    """Label every answer the engine proposes for the train and dev questions, fit P(right) on train, choose the
    threshold on dev (at most --max-wrong answered wrong), print before/after on dev and install the model."""
    from dataclasses import replace
    from pathlib import Path
    from kg.errors import UsageError
    from kg.qa.decide.fit import (calibration, choose_threshold, fit, fit_trees, label, load_labels, outcome,
                                  save_labels)
    from kg.qa.decide import embedder_name
    from kg.qa.decide.model import MODEL_FILE, load_model
    from kg.service import open_qa
    if not 0 <= args.max_wrong < 1:
        raise UsageError(f"--max-wrong must be a fraction in [0, 1), got {args.max_wrong}")
    if not args.dev:
        raise UsageError("give --dev FILE.jsonl: the threshold is chosen on questions the fit did not see")
    train, dev = _load(args.train), _load(args.dev)
    saved = Path(args.labels) if args.labels else None
    if saved is not None and (saved / "train.jsonl").exists() and (saved / "dev.jsonl").exists():
        lt, ld = load_labels(saved / "train.jsonl"), load_labels(saved / "dev.jsonl")
        embedder = (json.loads((saved / "meta.json").read_text(encoding="utf-8")).get("embedder")
                    if (saved / "meta.json").exists() else None)
        if [q.id for q in lt] != [str(r["id"]) for r in train] or [q.id for q in ld] != [str(r["id"]) for r in dev]:
            raise UsageError(f"{saved} holds labels of other questions: give another --labels folder or delete it")
        print(f"read the labelled proposals from {saved} (delete it to label again with this code)", file=sys.stderr)
    else:
        with open_kb(args) as kb:
            ctx = open_qa(kb, settings(args))
            embedder = embedder_name(ctx)
            tick = lambda what, n: (lambda i: print(f"\r{what} {i}/{n}", end="", file=sys.stderr, flush=True))
            lt = label(train, ctx, tick("labelling train", len(train)))
            ld = label(dev, ctx, tick("\nlabelling dev", len(dev)))
            print(file=sys.stderr)
        if saved is not None:
            saved.mkdir(parents=True, exist_ok=True)
            save_labels(lt, saved / "train.jsonl")
            save_labels(ld, saved / "dev.jsonl")
            (saved / "meta.json").write_text(json.dumps({"embedder": embedder}) + "\n", encoding="utf-8")
    names = lambda paths: ", ".join(Path(p).name for p in paths)  # no machine's paths in the model file
    info = {"train": f"{len(train)} questions ({names(args.train)})", "dev": f"{len(dev)} questions ({names(args.dev)})",
            **({"embedder": embedder} if embedder else {})}  # the vectors its dense similarity was read from
    model = fit_trees(lt, info) if args.learner == "trees" else fit(lt, args.c, info)
    t = choose_threshold(model, ld, args.max_wrong)
    before = outcome(load_model(), ld)
    rules = outcome(None, ld)
    after = outcome(model, ld, t)
    info = {**dict(model.info), "threshold_on_dev": f"{t:.2f} (max wrong {args.max_wrong:.0%})",
            "dev": after.line()}
    model = replace(model, threshold=t, info=tuple(sorted(info.items())))
    print(f"dev, the rules alone:      {rules.line()}")
    print(f"dev, the installed model:  {before.line()}")
    print(f"dev, the new model (t={t:.2f}): {after.line()}")
    print(f"train, the new model:      {outcome(model, lt).line()}")
    print("dev calibration (each question's likeliest proposal): P range, n, mean P, share right")
    for rng, n, p, right in calibration(model, ld):
        print(f"  {rng}  n={n:<4} predicted {p:.2f}  observed {right:.2f}")
    out = Path(args.out) if args.out else MODEL_FILE
    out.write_text(model.to_json() + "\n", encoding="utf-8")
    load_model.cache_clear()
    print(f"wrote {out}")
    return 0


def register(sub) -> None:
    sp = add_command(sub, "fit", "refit the answer decision (P(right) per proposed answer) from question files",
                     "kg fit --kb KB bench/questions/bank/train.jsonl --dev bench/questions/bank/dev.jsonl", cmd_fit)
    sp.add_argument("train", nargs="+", metavar="TRAIN.jsonl", help="labelled questions to fit on (dev.jsonl format)")
    sp.add_argument("--dev", action="append", metavar="DEV.jsonl", help="questions the threshold is chosen on")
    sp.add_argument("--max-wrong", type=float, default=0.03, help="answered-wrong ceiling on dev (0.03)")
    sp.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic regression (1.0)")
    sp.add_argument("--learner", choices=("trees", "logistic"), default="trees",
                    help="gradient-boosted trees (default) or a logistic regression")
    sp.add_argument("--labels", metavar="DIR", help="keep the labelled proposals here, and reuse them when present "
                                                  "(refit without running the engine; delete DIR after changing it)")
    sp.add_argument("--out", metavar="FILE", help="write the model here instead of installing it")
    add_model_options(sp)
