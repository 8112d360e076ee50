"""Check one annotated document: python3 check.py TEXT_FILE GOLD_DIR DOC_ID

Every line must be JSON with the fields of GOLD-SPEC.md, and every quote an exact substring
of TEXT_FILE. Prints the problems and the counts per table."""
import json, sys
from pathlib import Path

FIELDS = {
    "targets": ["kind", "indicator", "value", "value_max", "unit", "comparator", "target_year", "baseline_value", "baseline_year"],
    "deadlines": ["text", "kind", "start_year", "end_year"],
    "areas": ["area", "canonical", "level", "parent", "admin_code", "responsible"],
    "agencies": ["agency", "role"],
    "measures": ["section", "title"],
}
ENUMS = {
    ("targets", "kind"): {"target", "achieved"},
    ("targets", "comparator"): {">=", ">", "<=", "<", "=", "range", "~"},
    ("deadlines", "kind"): {"by", "during", "recurring"},
    ("areas", "level"): {"province", "city", "county-city", "county", "district", "zone", None},
    ("agencies", "role"): {"lead", "support", "responsible"},
}
text = Path(sys.argv[1]).read_text(encoding="utf-8")
gold, doc = Path(sys.argv[2]), sys.argv[3]
bad = 0
for table, fields in FIELDS.items():
    path = gold / f"{table}.jsonl"
    if not path.exists():
        print(f"MISSING {path}"); bad += 1; continue
    n = 0
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as e:
            print(f"{table}:{i}: not JSON: {e}"); bad += 1; continue
        n += 1
        for f in ["doc", "quote", "optional"] + fields:
            if f not in rec:
                print(f"{table}:{i}: missing field {f}"); bad += 1
        if rec.get("doc") != doc:
            print(f"{table}:{i}: doc should be {doc!r}"); bad += 1
        if rec.get("quote") not in text:
            print(f"{table}:{i}: quote is not an exact substring of the text: {rec.get('quote')!r}"); bad += 1
        for (t, f), allowed in ENUMS.items():
            if t == table and rec.get(f) not in allowed:
                print(f"{table}:{i}: {f}={rec.get(f)!r} not in {sorted(map(str, allowed))}"); bad += 1
        if table == "targets" and not isinstance(rec.get("value"), (int, float)):
            print(f"{table}:{i}: value must be a number"); bad += 1
    print(f"{table}: {n} records")
print("OK" if not bad else f"{bad} problems")
