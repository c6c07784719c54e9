"""The spaCy pipeline: blank zh offline, gazetteer SpanRuler with overlaps, the same facts as kg.extract.pipeline,
a component a user adds, and displaCy data."""
from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from kg.extract import nlp as N  # noqa: E402
from kg.extract.pipeline import extract  # noqa: E402


@pytest.fixture(scope="module")
def gz():
    from kg.extract.gazetteer import load_gazetteer
    return load_gazetteer()


@pytest.fixture(scope="module")
def pipeline(gz):
    return N.make_pipeline(gz)


def test_blank_zh_segments_characters_without_a_model(pipeline):
    assert pipeline.lang == "zh" and pipeline.config["nlp"]["tokenizer"]["@tokenizers"] == N.TOKENIZER
    assert pipeline.pipe_names == ["gazetteer_ruler", *N.COMPONENTS]
    assert [t.text for t in pipeline.make_doc("辽宁 GDP")] == ["辽", "宁", "G", "D", "P"]


def test_char_tokenizer_equals_spacys_own_char_segmenter(parsed_corpus, pipeline):
    own = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    texts = [" a b", "a  b ", "\n\nx y\n", "", "  ", "x", "中国 人民银行  辽宁\n省分行 GDP 12.5%"]
    texts += [p.doc.text for p in parsed_corpus.values()]
    for text in texts:
        a, b = own.make_doc(text), pipeline.make_doc(text)
        assert [(t.text, t.whitespace_) for t in a] == [(t.text, t.whitespace_) for t in b], text[:40]
        assert b.text == text


def test_gazetteer_spans_may_overlap(pipeline):
    doc = pipeline.get_pipe("gazetteer_ruler")(pipeline.make_doc("中国人民银行辽宁省分行发布报告。"))
    found = {(s.text, s.label_) for s in doc.spans["gazetteer"]}
    assert ("中国人民银行辽宁省分行", "ORG") in found and ("辽宁省", "REGION") in found


def test_spacy_path_gives_the_same_facts_on_the_bundled_corpus(parsed_corpus, pipeline, gz):
    for name, p in parsed_corpus.items():
        doc = N.run(pipeline, p.doc, p.tables, p.chunks)
        assert N.extraction_from_doc(doc, gz) == extract(p.doc, p.tables, p.chunks, gz), name
        assert all(s.text == p.doc.text[s.start_char:s.end_char] for s in doc.spans["entities"])


def test_a_component_a_user_adds_contributes_mentions(parsed_corpus, gz):
    from spacy.language import Language

    @Language.component("test_extra_liaoning")
    def extra(doc):  # a stand-in for a trained NER model: one more mention of 辽宁 where the text says 辽
        i = doc.text.index("辽宁")
        doc.spans["entities"] = [*doc.spans["entities"], doc.char_span(i, i + 1, "REGION", kb_id="region-210000")]
        return doc

    nlp = N.make_pipeline(gz, components=("kg_entities",), ruler=False)
    nlp.add_pipe("test_extra_liaoning")
    p = parsed_corpus["001_7318713557c0121f.txt"]
    x = N.extraction_from_doc(N.run(nlp, p.doc, p.tables, p.chunks), gz)
    i = p.doc.text.index("辽宁")
    assert any(m.start == i and m.end == i + 1 and m.surface == "辽" for m in x.mentions)
    assert x.figures == () and len(x.mentions) == len(extract(p.doc, p.tables, p.chunks, gz).mentions) + 1


def test_components_refuse_a_doc_without_its_document(pipeline):
    from kg.errors import UsageError
    with pytest.raises(UsageError, match="kg.extract.nlp.run"):
        pipeline("辽宁省2024年地区生产总值增长5.1%。")


def test_displacy_data_renders_a_passage(parsed_corpus, pipeline):
    from spacy import displacy
    p = parsed_corpus["000_79d761e802c0c155.txt"]
    doc = N.run(pipeline, p.doc, p.tables, p.chunks)
    c = p.chunks[3]
    data = N.displacy_data(doc, c.start, c.end)
    assert data["text"] == c.text and data["ents"]
    for e in data["ents"]:
        assert any(s.start_char == c.start + e["start"] and s.end_char == c.start + e["end"] and s.label_ == e["label"]
                   for key in ("entities", "figures", "periods", "docnumbers", "definitions") for s in doc.spans[key])
    assert all(a["end"] <= b["start"] for a, b in zip(data["ents"], data["ents"][1:])), "ent style cannot overlap"
    assert "<mark" in displacy.render(data, style="ent", manual=True)
    spans = N.displacy_data(doc, c.start, c.end, style="span")
    assert len(spans["spans"]) >= len(data["ents"]) and "span" in displacy.render(spans, style="span", manual=True)


def test_displacy_facts_shows_stored_facts_without_spacy(parsed_corpus):
    from spacy import displacy
    p = parsed_corpus["002_7ea20709f1132c53.txt"]
    e = next(x for x in p.facts.enumerations if x.key == "三大工程")
    a, b = e.items[0][0] - 10, e.term_span[1] + 5
    data = N.displacy_facts(p.doc.text, a, b, p.facts)
    assert data["text"] == p.doc.text[a:b]
    items = [p.doc.text[a + x["start"]:a + x["end"]] for x in data["ents"] if x["label"] == "ITEM"]
    assert items == list(e.item_texts)
    assert "<mark" in displacy.render(data, style="ent", manual=True)
