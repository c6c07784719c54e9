"""PolicyKG: Chinese policy reports into a knowledge graph with cited answers."""
