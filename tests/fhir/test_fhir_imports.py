"""sharedsvc (and sharedsvc.fhir) start without importing fhir.resources."""

from __future__ import annotations

import subprocess
import sys


def test_importing_and_bulk_emitting_do_not_load_fhir_resources() -> None:
    code = (
        "import sys, sharedsvc.fhir as f\n"
        "from sharedsvc.registry import default_registry\n"
        "r = default_registry()\n"
        "e = [x for x in r.examples('adult-social-care/contact') if x.valid][0]\n"
        "m = r.record_model('adult-social-care/contact').model_validate(e.payload)\n"
        "f.validate_fhir('adult-social-care/contact', f.to_fhir_json(m))\n"
        "print('fhir.resources' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
