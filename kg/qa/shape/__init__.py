"""Answers of each shape: a value, a computed comparison, a list, a definition, a sentence; and their citations."""
