"""The knowledge graph: facts to RDF, the Oxigraph store, exports, SPARQL, the networkx view."""
