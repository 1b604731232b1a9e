"""The citation search of the rulebook (site/docs/javascripts/regelwerk.js) parses what lawyers type,
run in Node.js where it is installed (the browser tests drive the same code in Chromium)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent.parent / "site" / "docs" / "javascripts" / "regelwerk.js"

_TREIBER = r"""
const fs = require('fs');
let src = fs.readFileSync(process.argv[1], 'utf8');
src = src.replace(/\}\)\(\);\s*$/, 'window.__zitat = parseZitat; })();');
global.window = {addEventListener() {}};
global.document = {addEventListener() {}, querySelectorAll() { return []; }, querySelector() { return null; }, readyState: 'loading'};
global.location = {hash: '', pathname: '/'}; global.requestAnimationFrame = () => {};
eval(src);
const aus = {};
for (const t of JSON.parse(process.argv[2])) aus[t] = window.__zitat(t);
console.log(JSON.stringify(aus));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js fehlt")
def test_regression_roemischer_absatz_in_der_suche():
    """Regression (issue 23): "160 II SGB IX" (Absatz in Roman numerals, as lawyers cite) found nothing."""
    eingaben = ["160 II SGB IX", "§ 160 II 1 Nr. 3 SGB IX", "§ 77 IV SGB IX a.F.", "§ 160 Abs. 2 Satz 1 SGB IX", "160"]
    lauf = subprocess.run(["node", "-e", _TREIBER, str(JS), json.dumps(eingaben)], capture_output=True, text=True, timeout=60)
    assert lauf.returncode == 0, lauf.stderr
    z = json.loads(lauf.stdout)
    assert z["160 II SGB IX"] == {"gesetz": "sgb9", "gesetzGenannt": True, "paragraph": "160", "stufen": [["abs", "2"]]}
    assert z["§ 160 II 1 Nr. 3 SGB IX"]["stufen"] == [["abs", "2"], ["satz", "1"], ["nr", "3"]]
    assert z["§ 77 IV SGB IX a.F."]["gesetz"] == "sgb9-af" and z["§ 77 IV SGB IX a.F."]["stufen"] == [["abs", "4"]]
    assert z["§ 160 Abs. 2 Satz 1 SGB IX"]["stufen"] == [["abs", "2"], ["satz", "1"]]
    assert z["160"] is None  # a bare number stays a search term
