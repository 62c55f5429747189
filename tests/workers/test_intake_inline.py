"""`reviewer intake DIR --inline` inspects in-process and prints the contract's JSON line;
`reviewer show ID --json` then holds the findings (CONTRACT sections 2 and 3)."""
from __future__ import annotations

import json
import random

from samples.applications import build_application


def test_intake_inline_then_show_gives_the_findings(app, tmp_path):
    folder = tmp_path / "case"
    build_application(random.Random("inline-1"), "id_name_mismatch", folder,
                      external_id="ICP-INLINE-1")
    runner = app.test_cli_runner()
    taken = runner.invoke(args=["intake", "--inline", str(folder)])
    assert taken.exit_code == 0, taken.output
    line = json.loads(taken.output.strip().splitlines()[-1])
    assert line["status"] == "awaiting_review"
    shown = runner.invoke(args=["show", "ICP-INLINE-1", "--json"])
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.output)
    assert report["id"] == line["id"] and report["inspection"]["state"] == "done"
    assert "ID_NAME_MISMATCH" in {finding["code"] for finding in report["findings"]}
    assert report["recommendation"] == "reject"
    again = runner.invoke(args=["intake", "--inline", str(folder)])  # the same folder again
    assert again.exit_code == 0 and json.loads(again.output.strip().splitlines()[-1]) == line
