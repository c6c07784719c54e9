"""Question answering: question -> Answer with exact citations, or an explicit abstention."""
from kg.qa.answer import answer, answer_all
from kg.qa.context import Generator, QAContext, QASettings, make_context, open_qa

__all__ = ["answer", "answer_all", "open_qa", "make_context", "QAContext", "QASettings", "Generator"]
