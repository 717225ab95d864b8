"""The offline JavaScript ranking gives the same lists and reasons as the Python one."""

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.coping.library import load_library
from app.coping.ranking import Candidate, Fit, Situation, Toolbox, Usage, fnv1a, rank
from app.coping.vocabulary import PLACES

JS = Path(__file__).resolve().parents[2] / "web" / "static" / "coping" / "ranking.js"
CANDS = [Candidate.from_strategy(s) for s in load_library().strategies]


def _cand(c: Candidate) -> dict:
    """As the flow page sends it: `systems` in the strategy's own order."""
    d = dataclasses.asdict(c)
    out = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in d.items() if k != "channels"}
    out["systems"] = list(c.channels) or sorted(c.systems)
    return out


def _cases() -> list[dict]:
    ids = [c.id for c in CANDS]
    usage = {
        sid: Usage(uses=i % 9, mean_drop=(i % 5) * 0.9, helped=i % 4) for i, sid in enumerate(ids)
    }
    box = Toolbox(
        favourites=frozenset(ids[3:6]),
        hidden=frozenset(ids[6:9]),
        recommended=frozenset(ids[20:21]),
    )
    fit = Fit(
        seeks=frozenset({"tactile", "vestibular"}),
        avoids=frozenset({"auditory"}),
        overwhelmed=frozenset({"olfactory"}),
        kit=frozenset({"stress_ball", "phone", "weighted_blanket"}),
    )
    no_kit = dataclasses.replace(fit, kit=frozenset())
    cases = []
    for level in range(11):
        for place, minutes in ((None, None), (PLACES[level % 4], (1, 5, 15)[level % 3])):
            for variant in range(4):
                cases.append(
                    {
                        "situation": Situation(level, place, minutes),
                        "usage": usage if variant else None,
                        "toolbox": box if variant else None,
                        # 3: a kit never filled in (no missing-kit penalty)
                        "fit": fit if variant == 2 else no_kit if variant == 3 else None,
                        "seed": f"client:{level}:{variant}",
                        "limit": 8,
                    }
                )
    return cases


def _as_json(case: dict) -> dict:
    box, fit, usage = case["toolbox"], case["fit"], case["usage"]
    return {
        "situation": dataclasses.asdict(case["situation"]),
        "opts": {
            "usage": {k: dataclasses.asdict(v) for k, v in usage.items()} if usage else None,
            "toolbox": {k: sorted(v) for k, v in dataclasses.asdict(box).items()} if box else None,
            "fit": {k: sorted(v) for k, v in dataclasses.asdict(fit).items()} if fit else None,
            "seed": case["seed"],
            "limit": case["limit"],
        },
    }


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_ranking_matches_python(tmp_path: Path) -> None:
    cases = _cases()
    payload = {"candidates": [_cand(c) for c in CANDS], "cases": [_as_json(c) for c in cases]}
    (tmp_path / "in.json").write_text(json.dumps(payload))
    script = tmp_path / "run.mjs"
    script.write_text(
        f"import {{ rank, fnv1a }} from {json.dumps(JS.as_uri())};\n"
        "import { readFileSync } from 'node:fs';\n"
        f"const data = JSON.parse(readFileSync({json.dumps(str(tmp_path / 'in.json'))}, 'utf8'));\n"
        "const out = data.cases.map((c) => rank(data.candidates, c.situation, c.opts));\n"
        "console.log(JSON.stringify({ out, hash: fnv1a('café|box-breathing') }));\n"
    )
    result = subprocess.run(
        ["node", str(script)], capture_output=True, text=True, check=True, timeout=60
    )
    got = json.loads(result.stdout)
    assert got["hash"] == fnv1a("café|box-breathing")
    for case, js in zip(cases, got["out"], strict=True):
        py = rank(
            CANDS,
            case["situation"],
            usage=case["usage"],
            toolbox=case["toolbox"],
            fit=case["fit"],
            seed=case["seed"],
            limit=case["limit"],
        )
        assert [(r["id"], r["reason"], list(r["reasons"])) for r in js] == [
            (r.id, r.reason, list(r.reasons)) for r in py
        ], case["situation"]
        assert [r["expected_drop"] for r in js] == pytest.approx([r.expected_drop for r in py])
