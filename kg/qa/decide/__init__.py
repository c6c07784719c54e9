"""The decision between proposed answers: the rules propose, a model fitted on labelled questions gives each
proposal P(right), and the likeliest is answered when it clears the threshold chosen on a dev split."""
from __future__ import annotations

from dataclasses import dataclass, replace

from kg.qa.decide.features import FEATURES, features, numbers_in, places_of, without_vectors
from kg.qa.decide.model import DecisionModel, load_model

__all__ = ["FEATURES", "DecisionModel", "Proposal", "decide", "proposals", "load_model"]

# With their floors (on the ranking score) this low the rules propose whatever they ranked first; whether that is
# an answer is the fitted model's call. A hand constant: low enough to let nearly every ranked value through.
RELAXED_FLOOR = 0.05
# How many of the values ranked first are proposed besides the one the rules state: the right value is
# among the first three ranked far more often than below them. A hand constant on cost (features per proposal).
ALTERNATIVES = 3


@dataclass(frozen=True, slots=True)
class Proposal:
    """One answer the rules could give, with where it came from and its features."""

    draft: object  # kg.qa.answer.Draft
    origin: str  # kg.qa.decide.features.ORIGINS
    row: dict


def _relaxed(ctx):
    if "relaxed_ctx" not in ctx.cache:
        s = ctx.settings
        ctx.cache["relaxed_ctx"] = replace(ctx, settings=replace(
            s, min_value_score=RELAXED_FLOOR, min_single_value_score=RELAXED_FLOOR, min_text_score=RELAXED_FLOOR))
    return ctx.cache["relaxed_ctx"]


def _stated(d):
    """The ranked value an answer states, when it states exactly the first one ranked."""
    if not d.ranked or d.answer.abstained or len(d.answer.citations) != 1:
        return None
    top, cite = d.ranked[0], d.answer.citations[0]
    s, e = top.candidate.value_span
    return top if cite.doc_id == top.candidate.doc_id and cite.start <= s and e <= cite.end else None


def proposals(question: str, ctx) -> tuple[object, list[Proposal]]:
    """The rules' draft, and the answers proposed for it: the draft itself when it answers; when it abstains,
    the rules' answer with their floors off, the clause of the best passage, and the value closest in words to
    what was asked; for a question listing items, the plan that looks each up (kg.qa.shape.plan)."""
    from kg.qa.answer import Draft, draft, elsewhere
    from kg.qa.shape.lookup import value_answer
    strict = draft(question, ctx)
    out: list[Proposal] = []
    if strict.question.op is None:  # 商圈和夜间消费聚集区多少个: one lookup per listed item
        from kg.qa.read.ground import corpus_text
        from kg.qa.shape.plan import run_plan
        from kg.qa.read.text import canon
        text = corpus_text(ctx)
        plan = run_plan(question, lambda s: canon(s) in text, ctx.gazetteer, lambda a: draft(a, ctx).answer)
        if plan is not None and plan.text != strict.answer.text:
            d = Draft(plan, strict.question, (), strict.chunks)
            out.append(Proposal(d, "parts", features(d, "parts", ctx)))
    if not strict.answer.abstained:
        top = _stated(strict)
        out.insert(0, Proposal(strict, "rules", features(strict, "rules", ctx, top)))
        out += alternatives(strict, ctx, {id(top)}, question)
        return strict, _agreement(out)
    loose = draft(question, _relaxed(ctx))
    stated = {id(_stated(loose))}
    if not loose.answer.abstained:
        out.append(Proposal(loose, "relaxed", features(loose, "relaxed", ctx, _stated(loose))))
    if strict.question.kind not in ("text", "definition") and loose.answer.kind not in ("text", "definition"):
        from kg.qa.shape.textual import text_answer
        # the clause of the best passage that covers the question, as an analyst would quote it
        said, _, chunks = text_answer(replace(strict.question, kind="text"), _relaxed(ctx))
        if said is not None and not elsewhere(question, said, ctx):
            d = Draft(said, strict.question, (), tuple(chunks))
            out.append(Proposal(d, "sentence", features(d, "sentence", ctx)))
    if strict.ranked:
        near = max(strict.ranked[:20], key=lambda s: s.terms)
        ans = value_answer(ctx, strict.question, [("", near)]) if near.score > 0 else None
        if ans is not None and id(near) not in stated and not elsewhere(question, ans, ctx):
            d = Draft(ans, strict.question, strict.ranked, strict.chunks)
            out.append(Proposal(d, "closest", features(d, "closest", ctx, near)))
            stated.add(id(near))
    out += alternatives(strict, ctx, stated, question)
    return strict, _agreement(out)


def alternatives(d, ctx, stated: set[int], question: str | None = None) -> list[Proposal]:
    """Each of the first ALTERNATIVES values ranked for a draft's question, not already proposed (ids in stated),
    as an answer of its own; with the question's text, one about a place the reports do not cover is left out."""
    from kg.qa.answer import Draft, elsewhere
    from kg.qa.shape.lookup import value_answer
    if d.question.kind not in ("number", "entity") or d.question.op is not None:
        return []
    out = []
    for s in d.ranked[:ALTERNATIVES]:
        if id(s) in stated or s.score <= 0:
            continue
        ans = value_answer(ctx, d.question, [("", s)])
        if question is None or not elsewhere(question, ans, ctx):
            alt = Draft(ans, d.question, d.ranked, d.chunks)
            out.append(Proposal(alt, "alt", features(alt, "alt", ctx, s)))
    return out


def repeats_a_figure(answer) -> bool:
    """An answer of several parts (…；… or …，…) that states one figure in two of them while its passages state it
    only once: one value given for two asks (支出4502.5亿元，收入总计4502.5亿元 from one clause), never a right
    answer to both. (收入总计、支出总计 both 2308.13亿元 is right when the passages say it twice.)"""
    import re
    seen: set[str] = set()
    twice: set[str] = set()
    for part in re.split(r"[；;，]", answer.text):
        nums = numbers_in(part)
        twice |= nums & seen
        seen |= nums
    if not twice:
        return False
    cited = " ".join(dict.fromkeys(c.text for c in answer.citations))
    return any(len(places_of(n, cited)) < 2 for n in twice)


def _agreement(props: list[Proposal]) -> list[Proposal]:
    """How many of the other proposals state a number this one states, and how many proposals there are; a
    proposal that gives one figure for two asks is dropped (repeats_a_figure)."""
    props = [p for p in props if not repeats_a_figure(p.draft.answer)]
    said = [numbers_in(p.draft.answer.text) for p in props]
    out = []
    for i, p in enumerate(props):
        agree = sum(1 for j, n in enumerate(said) if j != i and n & said[i])
        out.append(replace(p, row={**p.row, "agree": float(min(agree, 3)), "proposals": float(min(len(props), 8))}))
    return out


def embedder_name(ctx) -> str | None:
    """The embedding model of the knowledge base's vectors, or None when it has none (BM25 only)."""
    s = ctx.searcher
    return getattr(s.embedder, "name", None) if getattr(s, "dense", None) is not None else None


def same_embedder(model: DecisionModel, ctx) -> bool:
    """Whether the dense similarity means what it meant when the model was fitted: the same embedding model (a
    model that names none, fitted before this was recorded, is taken at its word)."""
    fitted = dict(model.info).get("embedder")
    return fitted is None or fitted == embedder_name(ctx)


def model_for(ctx) -> DecisionModel | None:
    """The decision model a context answers with: its knowledge base's own refit, else the shipped one."""
    return load_model(ctx.settings.model_file) if ctx.settings.model_file else load_model()


def decide(question: str, ctx, model: DecisionModel | None = None, proposed=None):
    """The answer with its P(right) as score, or the rules' abstention (closest shown) when no proposal is likely
    enough. Without an installed model, or with QASettings.decide off, the rules' own answer stands. proposed:
    what proposals(question, ctx) gave, when the caller has it already (feedback keeps the proposals too)."""
    from kg.qa.shape.cite import unique
    model = model or model_for(ctx)
    if model is None or not ctx.settings.decide:
        from kg.qa.answer import draft
        return draft(question, ctx).answer
    strict, props = proposed or proposals(question, ctx)
    # the dense similarity is read only from the vectors the model was fitted with
    p_right = model.p_right if same_embedder(model, ctx) else (lambda row: model.p_right(without_vectors(row)))
    scored = sorted(((p_right(p.row), i, p) for i, p in enumerate(props)), key=lambda x: (-x[0], x[1]))
    if ctx.settings.compose:  # answers made of parts: several asks one by one, or two figures computed
        from kg.qa.answer import Draft
        from kg.qa.decide.arith import computed
        from kg.qa.decide.compose import composed
        for origin, whole in (("composed", composed(strict, ctx, p_right, _relaxed(ctx))
                               if strict.question.op is None else None),
                              ("computed", computed(strict.question, ctx, p_right, _relaxed(ctx)))):
            if whole is not None and (not scored or whole[0] > scored[0][0]):
                d = Draft(whole[1], strict.question, (), strict.chunks)
                scored.insert(0, (whole[0], -1, Proposal(d, origin, {})))
    if scored and scored[0][0] >= model.threshold:
        p, _, best = scored[0]
        return replace(best.draft.answer, score=p)
    ans = strict.answer
    refused = not ans.abstained
    if refused:  # the rules answered, the model doubts it: no "不符" message, only the guess below
        from kg.qa.answer import abstain
        ans = abstain(strict.question, ctx, list(strict.ranked), list(strict.chunks))
    if not scored or (scored[0][0] < 0.5 and not refused):
        # nothing the model finds more likely right than wrong: no guess to show; score is still P(right)
        return replace(ans, score=scored[0][0] if scored else 0.0)
    p, _, best = scored[0]
    # the likeliest answer is shown as what it is, a guess below the threshold, with its passage first
    guess = f"可能是“{best.draft.answer.text[:40]}”（把握度{p:.0%}，低于作答门槛{model.threshold:.0%}，请核对相关段落）"
    text = f"语料中未找到有把握的答案：{guess}" if refused else f"{ans.text}；{guess}"
    return replace(ans, text=text, score=p, related=unique([*best.draft.answer.citations, *ans.related])[:4])
