"""A knowledge base's own decision model, versioned: `kg fit --feedback` installs a refit as the next version in
KB/decision/ (v1.json, v2.json, ...), `kg fit --rollback` goes back one; with none installed the shipped model
(kg/qa/decide/model.json) decides. The history is one line per install in KB/decision/installed."""
from __future__ import annotations

from pathlib import Path

FOLDER = "decision"
HISTORY = "installed"


def _history(kb_root: Path) -> list[str]:
    p = Path(kb_root) / FOLDER / HISTORY
    return [x for x in p.read_text(encoding="utf-8").split() if x] if p.exists() else []


def _write_history(kb_root: Path, names: list[str]) -> None:
    folder = Path(kb_root) / FOLDER
    tmp = folder / (HISTORY + ".tmp")
    tmp.write_text("".join(n + "\n" for n in names), encoding="utf-8")
    tmp.replace(folder / HISTORY)


def current(kb_root: str | Path) -> Path | None:
    """The model file this knowledge base answers with, or None for the shipped one."""
    names = _history(Path(kb_root))
    return Path(kb_root) / FOLDER / f"{names[-1]}.json" if names else None


def install(kb_root: str | Path, model_json: str) -> str:
    """Keep a model as the next version and make it current; its name (v3)."""
    root = Path(kb_root)
    folder = root / FOLDER
    folder.mkdir(exist_ok=True)
    taken = [int(p.stem[1:]) for p in folder.glob("v*.json") if p.stem[1:].isdigit()]
    name = f"v{max(taken, default=0) + 1}"
    tmp = folder / f"{name}.json.tmp"
    tmp.write_text(model_json + "\n", encoding="utf-8")
    tmp.replace(folder / f"{name}.json")
    _write_history(root, [*_history(root), name])
    return name


def rollback(kb_root: str | Path) -> tuple[str, str | None]:
    """Undo the last install: (the version left, the version now current or None for the shipped model). The
    file of the version left stays on disk. LookupError when nothing is installed."""
    root = Path(kb_root)
    names = _history(root)
    if not names:
        raise LookupError("no refitted model is installed in this knowledge base: it answers with the shipped one")
    _write_history(root, names[:-1])
    return names[-1], (names[-2] if len(names) > 1 else None)
