"""Question answering: question -> Answer with exact citations, or an explicit abstention."""
from kg.qa.answer import answer, answer_all
from kg.qa.context import Generator, QAContext, QASettings, make_context

__all__ = ["answer", "answer_all", "make_context", "QAContext", "QASettings", "Generator"]
