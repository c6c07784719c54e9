"""Command-line front end: `kg` (kg.cli.main:main)."""
