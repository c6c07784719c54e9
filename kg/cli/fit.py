"""CLI command fit: refit the answer decision (kg.qa.decide) from labelled question files, and from a knowledge
base's own feedback (kg.qa.learn)."""
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


def _labelled(args: argparse.Namespace, train: list[dict], dev: list[dict]):
    """(train labels, dev labels, embedder): read from --labels when they are there, else the engine is run."""
    from pathlib import Path
    from kg.errors import UsageError
    from kg.qa.decide import embedder_name
    from kg.qa.decide.fit import label, load_labels, save_labels
    from kg.service import open_qa
    saved = Path(args.labels) if args.labels else None
    if saved is not None and (saved / "train.jsonl").exists() and (saved / "dev.jsonl").exists():
        lt, ld = load_labels(saved / "train.jsonl"), load_labels(saved / "dev.jsonl")
        embedder = (json.loads((saved / "meta.json").read_text(encoding="utf-8")).get("embedder")
                    if (saved / "meta.json").exists() else None)
        if [q.id for q in lt] != [str(r["id"]) for r in train] or [q.id for q in ld] != [str(r["id"]) for r in dev]:
            raise UsageError(f"{saved} holds labels of other questions: give another --labels folder or delete it")
        print(f"read the labelled proposals from {saved} (delete it to label again with this code)", file=sys.stderr)
        return lt, ld, embedder
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
    return lt, ld, embedder


def _rollback(args: argparse.Namespace) -> int:
    from kg.errors import UsageError
    from kg.qa.learn.versions import rollback
    with open_kb(args) as kb:
        try:
            left, now = rollback(kb.root)
        except LookupError as e:
            raise UsageError(str(e)) from None
    print(f"rolled back {left}: this knowledge base now answers with {now or 'the shipped model'}")
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    """Label every answer the engine proposes for the train and dev questions, fit P(right) on train (with
    --feedback also on the knowledge base's feedback, weighted and capped), choose the threshold on dev (at most
    --max-wrong answered wrong), print before/after on dev (and on the feedback, each example answered by a model
    fitted without it) and install the model: the shipped one, or with --feedback the knowledge base's own next
    version, unless it is worse on dev than the one it replaces."""
    from dataclasses import replace
    from pathlib import Path
    from kg.errors import UsageError
    from kg.qa.decide.fit import calibration, choose_threshold, fit, fit_trees, outcome
    from kg.qa.decide.model import MODEL_FILE, load_model
    if args.rollback:
        return _rollback(args)
    if not 0 <= args.max_wrong < 1:
        raise UsageError(f"--max-wrong must be a fraction in [0, 1), got {args.max_wrong}")
    if not args.dev:
        raise UsageError("give --dev FILE.jsonl: the threshold is chosen on questions the fit did not see")
    if not args.train:
        raise UsageError("give the TRAIN.jsonl question files to fit on (bench/questions/bank/train.jsonl ...)")
    train, dev = _load(args.train), _load(args.dev)
    if args.exclude_doc:  # questions about a report the fitted model is to be measured on stay out of the fit
        left_out = set(args.exclude_doc)
        kept = [r for r in train if not left_out & set(r.get("doc") or [])]
        print(f"left out {len(train) - len(kept)} train questions about {', '.join(sorted(left_out))}",
              file=sys.stderr)
        train = kept
    fb, installed = [], load_model()
    if args.feedback:
        from kg.qa.learn.feedback import labelled
        from kg.qa.learn.versions import current
        with open_kb(args) as kb:
            fb = [labelled(f) for f in kb.feedback()]
            own = current(kb.root)
        if not fb:
            raise UsageError(f"no feedback in {args.kb}: judge answers first (kg feedback QUESTION --right/--wrong)")
        installed = load_model(str(own)) if own else installed
    lt, ld, embedder = _labelled(args, train, dev)
    names = lambda paths: ", ".join(Path(p).name for p in paths)  # no machine's paths in the model file
    info = {"train": f"{len(train)} questions ({names(args.train)})", "dev": f"{len(dev)} questions ({names(args.dev)})",
            **({"embedder": embedder} if embedder else {}),  # the vectors its dense similarity was read from
            **({"left_out": ", ".join(sorted(args.exclude_doc))} if args.exclude_doc else {})}

    def fitted(questions, weights=None):
        if args.learner == "trees":
            return fit_trees(questions, info, weights=weights)
        return fit(questions, args.c, info, weights=weights)

    weights = {}
    if fb:
        from kg.qa.learn.refit import weight
        w = weight(len(lt), len(fb))
        weights = {q.id: w for q in fb}
        info["feedback"] = f"{len(fb)} examples of the knowledge base, weight {w:.2f} each"
    model = fitted([*lt, *fb], weights)
    t = choose_threshold(model, ld, args.max_wrong)
    before, rules, after = outcome(installed, ld), outcome(None, ld), outcome(model, ld, t)
    info = {**dict(model.info), "threshold_on_dev": f"{t:.2f} (max wrong {args.max_wrong:.0%})", "dev": after.line()}
    model = replace(model, threshold=t, info=tuple(sorted(info.items())))
    print(f"dev, the rules alone:      {rules.line()}")
    print(f"dev, the installed model:  {before.line()}")
    print(f"dev, the new model (t={t:.2f}): {after.line()}")
    print(f"train, the new model:      {outcome(model, lt).line()}")
    if fb:
        from kg.qa.learn.refit import held_out
        print(f"feedback, the installed model: {outcome(installed, fb).line()}")
        print(f"feedback, each example by a model fitted without it: {held_out(lt, fb, fitted, t).line()}")
    print("dev calibration (each question's likeliest proposal): P range, n, mean P, share right")
    for rng, n, p, right in calibration(model, ld):
        print(f"  {rng}  n={n:<4} predicted {p:.2f}  observed {right:.2f}")
    if fb and not args.out:
        from kg.qa.learn.refit import worse
        from kg.qa.learn.versions import install
        if installed is not None and (why := worse(before, after)):
            print(f"not installed: {why}; the knowledge base keeps its model (--out FILE writes it anyway)",
                  file=sys.stderr)
            return 1
        with open_kb(args) as kb:
            name = install(kb.root, model.to_json())
        print(f"installed {name} in {args.kb} (kg fit --rollback --kb {args.kb} goes back)")
        return 0
    out = Path(args.out) if args.out else MODEL_FILE
    tmp = out.with_name(out.name + ".tmp")  # written whole, then renamed: a kill leaves the old model in place
    tmp.write_text(model.to_json() + "\n", encoding="utf-8")
    tmp.replace(out)
    load_model.cache_clear()
    print(f"wrote {out}")
    return 0


def register(sub) -> None:
    sp = add_command(sub, "fit", "refit the answer decision (P(right) per proposed answer) from question files "
                     "and the knowledge base's feedback",
                     "kg fit --kb KB bench/questions/bank/train.jsonl --dev bench/questions/bank/dev.jsonl", cmd_fit)
    sp.add_argument("train", nargs="*", metavar="TRAIN.jsonl", help="labelled questions to fit on (dev.jsonl format)")
    sp.add_argument("--dev", action="append", metavar="DEV.jsonl", help="questions the threshold is chosen on")
    sp.add_argument("--max-wrong", type=float, default=0.03, help="answered-wrong ceiling on dev (0.03)")
    sp.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic regression (1.0)")
    sp.add_argument("--learner", choices=("trees", "logistic"), default="trees",
                    help="gradient-boosted trees (default) or a logistic regression")
    sp.add_argument("--labels", metavar="DIR", help="keep the labelled proposals here, and reuse them when present "
                                                  "(refit without running the engine; delete DIR after changing it)")
    sp.add_argument("--out", metavar="FILE", help="write the model here instead of installing it")
    sp.add_argument("--exclude-doc", action="append", metavar="NAME",
                    help="leave out the train questions about this report (its file name as in the question "
                         "files' doc), to measure the model on it afterwards; repeatable")
    sp.add_argument("--feedback", action="store_true",
                    help="also fit on the knowledge base's feedback (kg feedback; each example weighs 3 train "
                         "questions, all of them at most a tenth of train) and install the result as the knowledge "
                         "base's own model, unless it is worse on dev by more than 1%% of its questions")
    sp.add_argument("--rollback", action="store_true", help="go back to the knowledge base's previous model")
    add_model_options(sp)
