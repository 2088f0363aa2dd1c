"""Raise the quality-gate floors in tests/eval_floors.json to the current scores.

For each eval set (``recaps``, ``real`` under ``../shared/eval`` or ``$RECAPS_EVAL_DIR``) this
runs ``recapscraper parse --manifest`` and ``score.py --json``, rounds every field's
accuracy (``group``: F1) down to 3 decimals and raises the floor when that is higher.
A floor is never lowered: a field that scores below its floor is reported and left alone
(the gate, ``tests/test_eval_gate.py``, fails on it). Prints what changed.

    .venv/bin/python bench/update_floors.py [--dry-run] [--sets recaps,real]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS_FILE = ROOT / "tests" / "eval_floors.json"
DEFAULT_EVAL_DIR = Path(os.environ.get("RECAPS_EVAL_DIR") or ROOT.parent / "shared" / "eval")


def floor3(value: float) -> float:
    """Round down to 3 decimals (0.9667 -> 0.966), immune to float noise (0.95 stays 0.95)."""
    return math.floor(value * 1000 + 1e-6) / 1000


def current_scores(eval_dir: Path, set_name: str) -> dict[str, float]:
    """Field -> accuracy (group -> F1) of the current code on one eval set."""
    cases = eval_dir / set_name / "cases.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        with pred.open("wb") as sink:
            subprocess.run([sys.executable, "-m", "recapscraper.cli", "parse", "--manifest",
                            str(cases), "--no-body"], cwd=ROOT, env=env, stdout=sink, check=True)
        out = subprocess.run([sys.executable, str(eval_dir / "score.py"), str(cases), str(pred),
                              "--json"], capture_output=True, text=True, check=True).stdout
    return {field: s["accuracy"] for field, s in json.loads(out)["fields"].items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--sets", default="recaps,real", help="comma-separated sub-folders")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    args = parser.parse_args(argv)

    floors = json.loads(FLOORS_FILE.read_text(encoding="utf-8")) if FLOORS_FILE.exists() else {}
    changed = 0
    for set_name in args.sets.split(","):
        if not (args.eval_dir / set_name / "cases.jsonl").is_file():
            print(f"skip {set_name}: no {args.eval_dir / set_name / 'cases.jsonl'}", file=sys.stderr)
            continue
        pinned = floors.setdefault(set_name, {})
        for field, score in sorted(current_scores(args.eval_dir, set_name).items()):
            new, old = floor3(score), pinned.get(field)
            if old is None or new > old:
                print(f"{set_name}.{field}: {'(none)' if old is None else f'{old:.3f}'} -> {new:.3f}")
                pinned[field] = new
                changed += 1
            elif new < old:
                print(f"{set_name}.{field}: {score:.4f} is BELOW its floor {old:.3f} (kept)")
    if not changed:
        print("no floor changed")
    elif args.dry_run:
        print(f"{changed} floor(s) would change (dry run: nothing written)")
    else:
        ordered = {s: dict(sorted(fields.items())) for s, fields in sorted(floors.items())}
        FLOORS_FILE.write_text(json.dumps(ordered, indent=2) + "\n", encoding="utf-8")
        print(f"{changed} floor(s) raised in {FLOORS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
