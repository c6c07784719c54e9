"""Every CLI command is documented in README, and --help is instant (no heavy imports)."""
import re
import subprocess
import sys
from pathlib import Path

from kg.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(sub.choices)


def test_every_command_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `kg (\w+)", readme, flags=re.M))
    missing = [c for c in _commands() if c not in documented]
    assert not missing, f"commands missing from README: {missing}"
    stale = documented - set(_commands())
    assert not stale, f"README documents commands that do not exist: {stale}"


def test_help_imports_no_heavy_library():
    code = ("import sys; from kg.cli.main import build_parser; build_parser().format_help(); "
            "heavy = [m for m in ('torch', 'sentence_transformers', 'faiss', 'spacy', 'rdflib', 'bm25s', 'jieba', "
            "'streamlit', 'numpy') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
