"""Entities, mentions and relations on literal excerpts, then the span invariant over the real corpus."""
from __future__ import annotations

import pytest

from ingest.chunk import chunk_document
from kg.extract.gazetteer import load_gazetteer
from kg.extract.pipeline import extract
from kg.types import Document

POLICIES = (
    "2014年9月，国务院印发《国务院关于加强地方政府性债务管理的意见》（国发〔2014〕43号，以下简称“43号文”），"
    "地方政府举债融资机制开始规范。\n"
    "此后，43号文要求剥离融资平台的政府融资职能，专项债券逐步成为地方政府举债的主要渠道。\n"
    "2024年12月，国办发〔2024〕52号对专项债券实行负面清单管理。中国人民银行山西省分行印发了"
    "《山西省焦化、有色行业转型金融支持目录（试行）》。辽宁省专项债券发行规模扩大，二十届二中、三中全会提出要求。\n"
)


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


def _extract(gz, text: str, region: str | None = None):
    doc = Document(id="doc-test", source="t.txt", title="t", text=text, sha256="0" * 64, year=2024, region=region)
    chunks = chunk_document(doc, ())
    x = extract(doc, (), chunks, gz)
    by_chunk = {c.id: c for c in chunks}
    for m in x.mentions:
        assert text[m.start:m.end] == m.surface
        assert by_chunk[m.chunk_id].start <= m.start and m.end <= by_chunk[m.chunk_id].end
    return x


def _entity(x, label: str):
    (e,) = [e for e in x.entities if e.label == label]
    return e


def _rel(x, predicate: str, subject: str | None = None, obj: str | None = None):
    return [r for r in x.relations if r.predicate == predicate and (subject is None or r.subject == subject)
            and (obj is None or r.object == obj)]


def test_short_name_resolves_to_the_titled_policy(gz):
    x = _extract(gz, POLICIES)
    p = _entity(x, "《国务院关于加强地方政府性债务管理的意见》")
    assert (p.type, p.code) == ("policy", "国发〔2014〕43号") and "43号文" in p.aliases
    surfaces = [m.surface for m in x.mentions if m.entity_id == p.id]
    assert surfaces.count("43号文") == 2  # the definition and the later bare reference
    (ref,) = _rel(x, "refersTo", "doc-test", p.id)
    assert POLICIES[ref.start:ref.end] == "43号文" and ref.start > POLICIES.index("此后")
    (abbr,) = _rel(x, "abbreviates", "doc-test", p.id)
    assert POLICIES[abbr.start:abbr.end] == "43号文" and abbr.start < POLICIES.index("此后")


def test_issuers_from_number_title_and_verb(gz):
    x = _extract(gz, POLICIES)
    (p52,) = [e for e in x.entities if e.code == "国办发〔2024〕52号"]
    (r,) = _rel(x, "issuedBy", p52.id)
    assert r.object == "org-state-council-office" and POLICIES[r.start:r.end] == "国办发〔2024〕52号"
    assert _entity(x, "国务院办公厅").id == "org-state-council-office"  # described, though only its code is written
    assert not [m for m in x.mentions if m.surface == "国办"]  # 国办 inside 国办发 is not a mention
    p43 = _entity(x, "《国务院关于加强地方政府性债务管理的意见》")
    assert {r.object for r in _rel(x, "issuedBy", p43.id)} == {"org-state-council"}
    catalogue = _entity(x, "《山西省焦化、有色行业转型金融支持目录（试行）》")
    assert {r.object for r in _rel(x, "issuedBy", catalogue.id)} == {"org-pboc-140000"}


def test_regions_concepts_meetings_and_broader(gz):
    x = _extract(gz, POLICIES)
    assert _entity(x, "辽宁").id == "region-210000" and _entity(x, "辽宁").code == "210000"
    bond = _entity(x, "专项债券")
    assert bond.id == "concept-special-bond" and bond.broader
    assert _rel(x, "broader", bond.id, bond.broader[0])
    assert {e.label for e in x.entities if e.type == "meeting"} >= {"二十届二中全会", "二十届三中全会"}
    (m,) = _rel(x, "mentions", "doc-test", bond.id)
    assert m.weight == sum(1 for mm in x.mentions if mm.entity_id == bond.id) >= 3


def test_co_occurrence_links_different_types_only(gz):
    x = _extract(gz, POLICIES)
    types = {e.id: e.type for e in x.entities}
    co = _rel(x, "coOccurs")
    assert co and all(types[r.subject] != types[r.object] for r in co)
    assert any({r.subject, r.object} == {"region-210000", "concept-special-bond"} for r in co)
    # 山西省 inside 中国人民银行山西省分行 is nested, not a co-occurrence of its own
    inner = [r for r in co if {r.subject, r.object} == {"region-140000", "org-pboc-140000"}]
    assert all(POLICIES[r.start:r.end] != "中国人民银行山西省分行" for r in inner)
    assert all(r.chunk_id and r.weight >= 1 for r in co)


def test_extraction_is_deterministic(gz):
    assert _extract(gz, POLICIES) == _extract(gz, POLICIES)


def test_corpus_mentions_and_relations_keep_their_evidence(parsed_corpus, gz):
    for name, p in parsed_corpus.items():
        x = extract(p.doc, p.tables, p.chunks, gz)
        chunks = {c.id: c for c in p.chunks}
        ids = {e.id for e in x.entities}
        for m in x.mentions:
            assert p.doc.text[m.start:m.end] == m.surface, (name, m)
            c = chunks[m.chunk_id]
            assert c.start <= m.start and m.end <= c.end
        for r in x.relations:
            assert r.object in ids and (r.subject in ids or r.subject == p.doc.id), (name, r)
            if r.chunk_id:
                c = chunks[r.chunk_id]
                assert c.start <= r.start and r.end <= c.end, (name, r)
        assert {f.region for f in x.figures if f.region} <= ids
    x = extract(*[(v.doc, v.tables, v.chunks) for k, v in parsed_corpus.items() if k.startswith("004")][0], gz)
    (p43,) = [e for e in x.entities if e.code == "国发〔2014〕43号"]
    assert len(_rel(x, "refersTo", x.doc_id, p43.id)) >= 2  # 43号文 resolved by 2014年 in its sentence
