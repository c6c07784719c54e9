"""The bigram shortlist that spares answering a scan of every table and indicator: on the bundled reports'
own table captions and headers, every text a term can match is on it, and a term's shortlist is not all."""
from kg.qa.find.shortlist import BigramIndex
from kg.qa.read.text import Term, canon, term_match

TERMS = [Term((canon("地区生产总值"),)), Term((canon("GDP"), canon("国内生产总值")), concept=True),
         Term((canon("专项债券"), canon("专项债")), concept=True), Term((canon("存款余额&人民币"),)),
         Term((canon("新增限额"),), weight=0.5), Term((canon("利差"),))]


def _texts(parsed_corpus) -> list[str]:
    out = []
    for parsed in parsed_corpus.values():
        for t in parsed.tables:
            heads = [x for row in t.header_rows for x in row] + [x for c in t.cells for x in c.row_header]
            out.append(canon(" ".join((t.label, t.caption, " ".join(dict.fromkeys(heads))))))
    return out


def test_every_text_a_term_matches_is_on_the_shortlist(parsed_corpus):
    texts = _texts(parsed_corpus)
    index = BigramIndex(texts)
    found = 0
    for term in TERMS:
        near = index.shortlist([term])
        matched = [i for i, t in enumerate(texts) if term_match(term, t) > 0]
        assert set(matched) <= set(near), term
        assert near == sorted(near)
        found += len(matched)
    assert found > 20  # the terms do match tables of these reports
    assert 0 < len(index.shortlist(TERMS[2:3])) < len(texts)


def test_a_one_letter_form_cannot_be_shortlisted(parsed_corpus):
    index = BigramIndex(_texts(parsed_corpus))
    assert index.shortlist([Term(("b",))]) is None
    assert index.shortlist([Term(("利差&b",))]) is None
