"""Cue words as data, one named list per concept, and the patterns built from them (longest first)."""
from __future__ import annotations

import re

# words that ask rather than name what is asked about
QUESTION_WORDS = ("是多少", "有多少", "多少", "是什么", "什么", "哪几个", "哪几", "哪些", "哪个", "哪一", "哪", "谁", "怎么",
                  "如何", "吗", "呢")
# words that carry no content of a question's own: its distributive and polite words, the particle 的
FILLER_WORDS = ("分别", "各是", "请问", "的")
# what separates the parts of one question (商圈和夜间消费聚集区; 多少？增速; A、B、C目标)
PART_JOINERS = ("以及", "还有", "并且", "和", "与", "及")
PART_PUNCTUATION = "，,？?；;、:："
EACH_WORDS = ("各", "分别")
# words that ask for a count or an amount: a short clause after such an ask may name only what else is counted
# (…多少？增速 / …多少只，总目标规模), an ask with the same question word
COUNTING_WORDS = ("多少", "几")
# how a clause that qualifies the ask before it opens (按可比价计算, 其中…, 截至…), so it is not an elided ask
QUALIFIER_LEADS = ("按", "以", "在", "从", "截至", "截止", "其中", "含", "包括", "即", "也就是", "分别", "请", "要求",
                   "口径", "根据", "据", "对比", "相比", "和", "与", "及", "或")


def alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


ASKING = re.compile(alternation(QUESTION_WORDS))
NOT_CONTENT = re.compile(alternation(QUESTION_WORDS + FILLER_WORDS))
PARTS = re.compile(f"[{re.escape(PART_PUNCTUATION)}]+|{alternation(PART_JOINERS)}")
EACH = re.compile(alternation(EACH_WORDS))
COUNTING = re.compile(alternation(COUNTING_WORDS))
QUALIFIER = re.compile(f"^(?:{alternation(QUALIFIER_LEADS)})")
