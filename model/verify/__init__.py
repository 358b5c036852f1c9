"""An independent solution verifier ("trust every number").

Re-reads the input workbook, re-applies the scenario and --enable/--disable
toggles the run used, and recomputes from the raw rows every constraint of
contract v1 and the objective against the decisions of a report, in the
spirit of the MIPLIB solution checker. It shares nothing with the model code
(``model/formulation``, ``model/data/model_data.py``, ``model/results``,
``model/solve``); only the workbook reader, ``model.data.scenario.apply`` and
``model.validate.rules.active`` are reused. See docs/verification.md.

    verify_tables(workbook_path, tables, summary, scenario, enable, disable) -> Verdict
    verify_report(workbook_path, report_path) -> Verdict
"""

from model.verify.api import verify_report, verify_tables
from model.verify.verdict import CannotVerify, Tolerance, Verdict

__all__ = ["CannotVerify", "Tolerance", "Verdict", "verify_report", "verify_tables"]
