"""An analyst's correction answered back: asked again, a question an analyst marked wrong (pointing at the right
passage or cell) is answered with what they gave, cited to that span; one they marked as not in the reports is
answered "not found". The fitted model learns the class from the same example at the next `kg fit --feedback`;
this makes the very question right at once."""
from __future__ import annotations

from kg.types import Answer

NOTE = "依据分析师此前的更正（{id}）(from an analyst's correction)"


def recalled(fb, ctx) -> Answer | None:
    """The answer a stored Feedback gives its own question, or None when it gives none (judged right: the engine's
    answer stands; wrong without a span to cite; a span no longer in the knowledge base)."""
    from kg.qa.shape.cite import citation, unique
    if fb is None or fb.verdict == "right":
        return None
    if fb.verdict == "absent":
        return Answer(question=fb.question, text=f"语料中没有“{fb.question}”的答案（分析师已确认报告未提供）",
                      abstained=True, kind="text", score=0.0)
    cites = []
    for e in fb.evidence:
        doc = ctx.documents.get(e.doc_id)
        if doc is None or doc.text[e.start:e.end] != e.text:
            return None
        cites.append(citation(ctx, e.doc_id, e.start, e.end))
    text = fb.answer or (fb.evidence[0].text if fb.evidence and len(fb.evidence[0].text) <= 80 else "")
    if not cites or not text:
        return None
    return Answer(question=fb.question, text=text, abstained=False, citations=unique(cites),
                  kind=fb.kind if fb.kind in ("number", "entity", "list", "definition", "text") else "text",
                  score=1.0)
