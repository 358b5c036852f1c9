"""Issue 12, output faults (cases 8, 13, 14, 15): every path a command writes
is guarded, every failure to write is a clear message with a documented exit
code, nothing half-written is left behind, and a family another needs cannot
be skipped silently.

The workbooks are conftest's base case (MINE in AU sells OX, 30 t wanted at
BUYER) unless a test says otherwise."""

from __future__ import annotations

import hashlib
import os
import pytest

from model.cli import EXIT_INPUT, main
from test_risk import NEWSVENDOR


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ case 8: never the input

SOLVER_LOG_COMMANDS = {
    "solve": ["solve"],
    "solve --risk": ["solve", "--risk"],
    "frontier": ["frontier"],
    "sample": ["sample", "--n", "2"],
}


# valid for every risk command: test_risk's newsvendor (base p 0.6, HIGH p 0.4)
# with one event (the spot offer shut, chance 0.5 a year) for sourcing sample
RISKY = dict(NEWSVENDOR, Events="""
    event_id,entity,id,probability,capacity_factor,duration
    SHUT,offer,SPOT,0.5,0,1
""")


@pytest.mark.unit
@pytest.mark.parametrize("command", list(SOLVER_LOG_COMMANDS))
def test_case8_solver_log_is_never_the_input(command, make_workbook, tmp_path, capsys,
                                            monkeypatch):
    wb = make_workbook(RISKY)
    before = _sha(wb)
    # the same file under another spelling: a relative path with a detour
    monkeypatch.chdir(tmp_path)
    detour = os.path.join(".", "csv_wb.xlsx", "..", wb.name)
    argv = [*SOLVER_LOG_COMMANDS[command][:1], str(wb), *SOLVER_LOG_COMMANDS[command][1:],
            "-o", str(tmp_path / "r.xlsx"), "--solver-log", detour]
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == EXIT_INPUT
    assert _sha(wb) == before                          # not one byte of log in the input
    assert "--solver-log" in err and "input workbook" in err and "refusing" in err
    assert not (tmp_path / "r.xlsx").exists()          # refused before anything ran


@pytest.mark.unit
def test_case8_two_outputs_on_one_file_are_refused(make_workbook, tmp_path, capsys):
    # same class: the JSON summary (or the log) written over the report itself
    wb = make_workbook()
    report = tmp_path / "r.xlsx"
    before = _sha(wb)
    rc = main(["solve", str(wb), "-o", str(report), "--summary-json", str(report),
               "--solver-log", str(report)])
    err = capsys.readouterr().err
    assert rc == EXIT_INPUT and _sha(wb) == before
    assert "--summary-json" in err and "--solver-log" in err and "the same file" in err
    assert not report.exists()


@pytest.mark.unit
@pytest.mark.parametrize("command", [["compare", "--all"], ["stress"]])
def test_case8_other_commands_share_the_guard(command, make_workbook, tmp_path, capsys):
    wb = make_workbook()
    before = _sha(wb)
    link = tmp_path / "alias.xlsx"
    os.link(wb, link)                                  # a hard link: another name, same file
    rc = main([command[0], str(wb), *command[1:], "-o", str(link)])
    assert rc == EXIT_INPUT and _sha(wb) == before
    assert "input workbook" in capsys.readouterr().err
