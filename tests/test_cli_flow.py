"""The CLI end to end on two bundled reports, with the fake embedder (no model): one line per error, JSON out."""
import json

import pytest

from kg.cli.main import main

from conftest import LIAONING  # noqa: E402


@pytest.fixture(scope="module")
def kb(tmp_path_factory, two_report_sources):
    src = two_report_sources
    kb = tmp_path_factory.mktemp("kb") / "kb"
    assert main(["ingest", "--kb", str(kb), "--model", "fake", str(src)]) == 0
    return kb


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_docs_and_chunks_as_json(kb, capsys):
    assert main(["docs", "--kb", str(kb), "--json"]) == 0
    docs = _json_lines(capsys.readouterr().out)
    assert {d["region"] for d in docs} == {"辽宁", "山西"}
    assert main(["chunks", "--kb", str(kb), "--doc", LIAONING, "--json"]) == 0
    chunks = _json_lines(capsys.readouterr().out)
    assert chunks and set(chunks[0]) >= {"id", "doc", "start", "end", "section", "page", "text"}


def test_search_finds_the_table_row_and_uses_the_recorded_model(kb, capsys):
    assert main(["search", "--kb", str(kb), "辽宁表3 四季度银行承兑汇票承兑余额", "--json", "-k", "5"]) == 0
    hits = _json_lines(capsys.readouterr().out)
    assert any("3759.8" in h["text"] for h in hits)
    assert main(["search", "--kb", str(kb), "x", "--model", "fake:32"]) == 1
    assert "reindex" in capsys.readouterr().err


def test_entity_and_figures(kb, capsys):
    assert main(["entity", "--kb", str(kb), "辽宁省", "--json"]) == 0
    view = json.loads(capsys.readouterr().out)
    assert view["entity"]["id"] == "region-210000"
    assert any(f["text"] == "6325" and f["unit"] == "亿元" for f in view["figures"])
    assert main(["figures", "--kb", str(kb), "--region", "山西", "--indicator", "房地产开发投资",
                 "--period", "2024-12", "--json"]) == 0
    figs = _json_lines(capsys.readouterr().out)
    assert any(f["text"] == "-5.1" for f in figs)


def test_export_and_sparql(kb, tmp_path, capsys):
    out = tmp_path / "g.ttl"
    assert main(["export", "--kb", str(kb), "-o", str(out)]) == 0
    import pyoxigraph
    assert sum(1 for _ in pyoxigraph.parse(path=str(out), format=pyoxigraph.RdfFormat.TURTLE)) > 1000
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?o a qb:Observation }"
    assert main(["sparql", "--kb", str(kb), q]) == 0
    res = json.loads(capsys.readouterr().out)
    assert int(res["results"]["bindings"][0]["n"]["value"]) > 1000
    assert main(["sparql", "--kb", str(kb), "INSERT DATA { <a:b> <a:c> <a:d> }"]) == 1
    assert "read-only" in capsys.readouterr().err


def test_bad_file_is_one_line_and_remove_works(kb, tmp_path, capsys):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    assert main(["ingest", "--kb", str(kb), str(bad)]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("[")]  # progress lines
    assert len(err) == 1 and err[0].startswith(f"error: {bad}")
    assert main(["remove", "--kb", str(kb), "nope"]) == 1
    assert "kg docs" in capsys.readouterr().err
    assert main(["docs", "--kb", str(kb)]) == 0
    assert capsys.readouterr().out.count("doc-") == 2


def test_the_real_reports_graph_passes_the_data_cube_checks(kb):
    """IC-1..4, 11, 13, 14 as the W3C writes them; IC-12 grouped (the pairwise form is quadratic)."""
    from test_graph import IC

    from kg.graph.store import GraphStore
    with GraphStore.open(kb / "graph", read_only=True) as store:
        n = int(next(iter(store.query("SELECT (COUNT(?o) AS ?n) WHERE { ?o a qb:Observation }")))[0].value)
        assert n > 2000  # every numeric cell and stated figure of the two reports
        for name, q in IC.items():
            if not name.startswith("IC-12"):
                assert not bool(store.query(q)), name
        dup = """SELECT ?ds ?a ?p ?i ?m ?v WHERE { ?o qb:dataSet ?ds ; sdmx-dimension:refArea ?a ;
                   sdmx-dimension:refPeriod ?p ; pkg:indicator ?i ; pkg:measure ?m ; pkg:valueSpan ?v }
                 GROUP BY ?ds ?a ?p ?i ?m ?v HAVING (COUNT(?o) > 1)"""
        assert not list(store.query(dup))
        # the same query does see duplicates once the value span is left out of the key
        loose = dup.replace(" ; pkg:valueSpan ?v }", " }").replace(" ?m ?v HAVING", " ?m HAVING").replace(
            "?m ?v WHERE", "?m WHERE")
        assert list(store.query(loose)), "the duplicate check found nothing even where duplicates must exist"
