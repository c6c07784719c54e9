"""Every question of the golden file parses as recorded (tests/golden/parses.py rewrites it after a deliberate change)."""
import importlib.util
import json
from pathlib import Path

_spec = importlib.util.spec_from_file_location("golden_parses", Path(__file__).with_name("golden") / "parses.py")
_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_golden)
GOLDEN, parse_record = _golden.GOLDEN, _golden.parse_record


def test_golden_parses_unchanged():
    from kg.extract.gazetteer import load_gazetteer
    gaz = load_gazetteer()
    records = [json.loads(x) for x in GOLDEN.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(records) >= 300
    changed = [r["question"] for r in records
               if json.loads(json.dumps(parse_record(r["question"], gaz), ensure_ascii=False)) != r]
    assert not changed, f"{len(changed)} parses changed, e.g. {changed[:3]}: run tests/golden/parses.py and review the diff"
