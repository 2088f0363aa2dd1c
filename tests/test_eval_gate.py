"""Quality gate (trafilatura's eval_gate pattern): no field may score below its pinned floor.

For each labelled set under the shared eval folder (``../shared/eval/{recaps,real}`` next to
the repository, or ``$RECAPS_EVAL_DIR``), the test runs the real command line,
``recapscraper parse --manifest <set>/cases.jsonl``, then the set's own scorer,
``score.py CASES PRED --min field=floor ...``, with the floors pinned in
``tests/eval_floors.json``. A failure names every field that fell below its floor and the
cases it now gets wrong.

Floors only go up: ``bench/update_floors.py`` raises them to the current scores.
Where the eval folder is absent the test skips with the reason, except in CI (``CI=true`` or
``RECAPS_REQUIRE_SERVICES=1``), where a missing folder fails.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS_FILE = Path(__file__).resolve().parent / "eval_floors.json"
EVAL_DIR = Path(os.environ.get("RECAPS_EVAL_DIR") or ROOT.parent / "shared" / "eval")
REQUIRE_SERVICES = (os.environ.get("CI", "").lower() == "true"
                    or os.environ.get("RECAPS_REQUIRE_SERVICES") == "1")
# A whole set must parse well within this (the eval sets are 49 and 60 pages).
PARSE_TIMEOUT_S = 120


def _floors() -> dict[str, dict[str, float]]:
    return json.loads(FLOORS_FILE.read_text(encoding="utf-8"))


def _require_set(name: str) -> Path:
    cases = EVAL_DIR / name / "cases.jsonl"
    if not cases.is_file() or not (EVAL_DIR / "score.py").is_file():
        message = (f"eval set {name!r} not found: need {cases} and {EVAL_DIR / 'score.py'} "
                   "(set RECAPS_EVAL_DIR to the folder holding recaps/, real/ and score.py)")
        if REQUIRE_SERVICES:
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    return cases


def _predict(cases: Path, out: Path) -> float:
    """Run `recapscraper parse --manifest` into `out`; return the seconds it took."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    start = time.perf_counter()
    with out.open("wb") as sink:
        proc = subprocess.run(
            [sys.executable, "-m", "recapscraper.cli", "parse", "--manifest", str(cases),
             "--no-body"],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.PIPE, timeout=PARSE_TIMEOUT_S)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, (
        f"recapscraper parse --manifest {cases} exited {proc.returncode}:\n"
        + proc.stderr.decode("utf-8", "replace")[-3000:])
    return elapsed


def _score(cases: Path, pred: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(EVAL_DIR / "score.py"), str(cases), str(pred), *extra],
        capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("set_name", ["recaps", "real"])
def test_eval_scores_hold_their_floors(set_name, tmp_path):
    floors = _floors().get(set_name)
    assert floors, f"{FLOORS_FILE.name} pins no floors for {set_name!r}"
    cases = _require_set(set_name)
    pred = tmp_path / f"{set_name}.jsonl"
    elapsed = _predict(cases, pred)

    mins = [arg for field, floor in sorted(floors.items()) for arg in ("--min", f"{field}={floor}")]
    proc = _score(cases, pred, "--json", *mins)
    assert proc.returncode in (0, 1), f"score.py failed ({proc.returncode}):\n{proc.stderr}"
    scores = json.loads(proc.stdout.splitlines()[0])["fields"]

    below = {field: scores.get(field, {}).get("accuracy") for field, floor in floors.items()
             if field not in scores or scores[field]["accuracy"] < floor}
    if below or proc.returncode:
        misses = _score(cases, pred, *(a for f in below if f != "group" for a in ("--misses", f)))
        lines = [f"{field}: {got if got is not None else 'not scored'} < floor {floors[field]}"
                 for field, got in sorted(below.items())]
        pytest.fail(f"{set_name}: {len(lines)} field(s) below their floor "
                    f"(parse took {elapsed:.1f} s):\n  " + "\n  ".join(lines)
                    + "\n" + proc.stdout.splitlines()[-1] + "\n" + misses.stderr[-4000:])


def test_floors_file_is_well_formed():
    floors = _floors()
    assert set(floors) >= {"recaps", "real"}
    for set_name, fields in floors.items():
        for field, floor in fields.items():
            assert isinstance(floor, (int, float)) and 0 <= floor <= 1, (set_name, field, floor)
            assert round(floor, 3) == floor, f"{set_name}.{field}: floors have 3 decimals"
