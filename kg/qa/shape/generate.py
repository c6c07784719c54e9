"""Optional generative mode: an OpenAI-compatible chat model rewrites an answer from its cited passages only."""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, replace
from typing import Sequence

from kg.errors import KgError
from kg.qa.context import Generator
from kg.types import Answer

_SYSTEM = ("你是政策报告分析助手。只依据给出的引文回答问题，答案简短（不超过80字），保留原文中的数字和单位；"
           "引文不足以回答时，只回答“语料中未找到”。")


@dataclass(frozen=True, slots=True)
class OpenAIChat:
    """POST {base_url}/chat/completions with urllib; no key is read from the environment (pass api_key)."""

    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 30.0

    def generate(self, question: str, draft: str, passages: Sequence[str]) -> str:
        cited = "\n".join(f"[{i}] {p}" for i, p in enumerate(passages, 1))
        body = {"model": self.model, "temperature": 0,
                "messages": [{"role": "system", "content": _SYSTEM},
                             {"role": "user", "content": f"问题：{question}\n引文：\n{cited}\n初稿答案：{draft}"}]}
        req = urllib.request.Request(self.base_url.rstrip("/") + "/chat/completions",
                                     data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {})})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                data = json.loads(r.read().decode("utf-8"))
            return data["choices"][0]["message"]["content"].strip()
        except (OSError, ValueError, KeyError, IndexError) as e:
            raise KgError(f"generator at {self.base_url} failed ({e}): check the URL and model, or turn generation off") from e


def rewrite(ans: Answer, generator: Generator) -> Answer:
    """The generator's wording of an answer, kept only when it still states every number of the draft."""
    if ans.abstained or not ans.citations:
        return ans
    text = generator.generate(ans.question, ans.text, [c.text for c in ans.citations])
    import re
    numbers = re.findall(r"-?\d+(?:\.\d+)?", ans.text)
    if not text or any(n not in text for n in numbers):
        return ans  # a rewrite that loses or changes a figure is not trusted
    return replace(ans, text=text)
