"""The command line as an analyst meets it (issue 16, items 1 and 8): --version,
--help with the exit codes, usage errors, from-csv's refusal to overwrite,
stage progress on a terminal only, and --verbose logging."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO, with_cn
from model import __version__
from model.cli import main, sourcing

SOURCING = Path(sys.executable).with_name("sourcing")
STAGES = ["read and validate", "prepare", "build", "solve", "results", "verify", "report"]


def _cli(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


# --- item 8: CLI consistency -------------------------------------------------------------

@pytest.mark.unit
def test_version_names_the_software_and_highs(capsys):
    rc, out, _ = _cli(capsys, "--version")
    # the package's own version and the HiGHS of the installed highspy (1.15.1 -> HiGHS 1.15.1)
    assert rc == 0
    assert out.strip() == f"sourcing (secure-sourcing) {__version__}, HiGHS {version('highspy')}"


@pytest.mark.unit
def test_help_lists_every_exit_code_of_the_readme(capsys):
    rc, out, _ = _cli(capsys, "--help")
    assert rc == 0
    readme = (REPO / "README.md").read_text()
    table = readme[readme.index("Exit codes (also in `sourcing --help`)"):]
    table = table[:table.index("\n\n", table.index("| code |"))]
    codes = re.findall(r"^\| `(\d+)`(?:, `(\d+)`)? \|", table, flags=re.M)
    codes = [c for pair in codes for c in pair if c]
    assert codes == ["0", "1", "2", "3", "4", "5", "6", "130", "143"]
    listed = out[out.index("exit codes:"):]
    for code in codes:
        assert re.search(rf"^\s+(\d+, )?{code}\b", listed, flags=re.M), (code, listed)
    # and each command is listed
    for command in ("solve", "frontier", "sample", "compare", "stress", "validate", "verify",
                    "regress", "template", "from-csv"):
        assert re.search(rf"^\s+{command}\s", out, flags=re.M), command


@pytest.mark.unit
def test_compare_without_scenarios_is_a_usage_error(capsys, tmp_path):
    out = tmp_path / "cmp.xlsx"
    rc, stdout, err = _cli(capsys, "compare", tmp_path / "wb.xlsx", "-o", out)
    assert rc == 2
    assert "--scenarios" in err and "--all" in err and "Traceback" not in err
    assert stdout == "" and not out.exists()


@pytest.mark.unit
def test_usage_errors_exit_2_without_a_traceback(capsys, tmp_path):
    rc, _, err = _cli(capsys, "solve", tmp_path / "wb.xlsx")        # -o missing
    assert rc == 2 and "'-o' / '--output'" in err and "Traceback" not in err
    rc, _, err = _cli(capsys, "stress", tmp_path / "wb.xlsx", "-o", tmp_path / "s.xlsx",
                      "--by", "planet")
    assert rc == 2 and "planet" in err
    rc, _, err = _cli(capsys, "frontier", tmp_path / "wb.xlsx", "-o", tmp_path / "f.xlsx",
                      "--points", "three")
    assert rc == 2 and "three" in err


@pytest.mark.unit
def test_stress_by_has_help(capsys):
    rc, out, _ = _cli(capsys, "stress", "--help")
    assert rc == 0
    by = out[out.index("--by"):out.index("--periods")]
    assert "knock out" in by and "[default: country]" in by


@pytest.mark.unit
def test_shared_options_are_one_definition(capsys):
    """-q, -v, --summary-json, --time-limit, --solver-log read the same on every command."""
    helps: dict[str, set] = {}
    for command in sourcing.commands.values():
        for p in command.params:
            helps.setdefault(p.opts[-1], set()).add(p.help)
    for option in ("--quiet", "--verbose", "--summary-json", "--time-limit", "--solver-log"):
        assert len(helps[option]) == 1, (option, helps[option])
    quiet_on = {n for n, c in sourcing.commands.items()
                if any(p.opts[-1] == "--quiet" for p in c.params)}
    assert {"solve", "frontier", "sample", "compare", "stress"} <= quiet_on


@pytest.mark.unit
def test_commands_take_exit_codes_from_their_own_module():
    """model/commands never import model.cli (which imports them): no import circle."""
    for path in (REPO / "model" / "commands").glob("*.py"):
        assert not re.search(r"^\s*(from model\.cli |import model\.cli)", path.read_text(),
                             flags=re.M), path


@pytest.mark.unit
def test_from_csv_refuses_to_overwrite_without_force(capsys, tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "Settings.csv").write_text("key,value\nfirst_period,2025\n")
    target = tmp_path / "wb.xlsx"
    target.write_bytes(b"an analyst's workbook")
    rc, _, err = _cli(capsys, "from-csv", folder, target)
    assert rc == 2
    assert f"{target} exists" in err and "--force" in err
    assert target.read_bytes() == b"an analyst's workbook"       # untouched
    rc, out, _ = _cli(capsys, "from-csv", folder, target, "--force")
    assert rc == 0 and "Settings" in out
    assert pd.read_excel(target, sheet_name="Settings", engine="openpyxl").values.tolist() == [["first_period", 2025]]


# --- item 1: progress on a terminal, quiet elsewhere, --verbose logs ----------------------

@pytest.mark.component
def test_progress_is_silent_when_stderr_is_not_a_terminal(make_workbook, capsys, tmp_path):
    wb = make_workbook()
    rc, out, err = _cli(capsys, "solve", wb, "-o", tmp_path / "r.xlsx")
    assert rc == 0
    # 30 t at 10 (mine) + 5 (lane) = 450: the command's two result lines, and nothing on stderr
    assert out.splitlines() == ["optimal: total 450.00 USD (discounted), all demand met", f"report: {tmp_path / 'r.xlsx'}"]
    assert err == ""


def _run_on_a_terminal(*argv) -> tuple[int, str, str]:
    """Run sourcing with stdin and stderr on a pseudo-terminal, stdout on a pipe:
    (exit code, what the terminal showed, stdout)."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    proc = subprocess.Popen([str(SOURCING), *map(str, argv)], stdin=slave, stderr=slave,
                            stdout=subprocess.PIPE, env=env, cwd=REPO)
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:          # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    out = proc.stdout.read().decode()
    rc = proc.wait(timeout=120)
    os.close(master)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode(errors="replace"))
    return rc, plain, out


@pytest.mark.component
def test_a_terminal_shows_the_stages_and_quiet_does_not(make_workbook, tmp_path):
    wb = make_workbook()
    rc, shown, out = _run_on_a_terminal("solve", wb, "-o", tmp_path / "r.xlsx")
    assert rc == 0
    done = re.findall(r"done (.+?) \(\d+\.\d s\)", shown)
    assert done == [s for s in done if s in STAGES + ["hand over to HiGHS", "analyses"]]
    assert [s for s in done if s in STAGES] == STAGES        # every stage, in order
    assert out.splitlines()[0] == "optimal: total 450.00 USD (discounted), all demand met"   # the result stays on stdout
    assert "done" not in out
    rc, shown, out = _run_on_a_terminal("solve", wb, "-o", tmp_path / "q.xlsx", "-q")
    assert rc == 0 and shown.strip() == "" and out == ""


@pytest.mark.component
def test_a_terminal_shows_a_counted_stage_for_compare(make_workbook, tmp_path):
    scen = """
        scenario_id,name,description,probability
        double,double,twice the demand,
    """
    changes = """
        scenario_id,sheet,id,column,op,value
        double,Demand,D1,quantity,set,60
    """
    wb = make_workbook({"Scenarios": scen, "ScenarioChanges": changes})
    rc, shown, out = _run_on_a_terminal("compare", wb, "--all", "-o", tmp_path / "c.xlsx")
    assert rc == 0, shown
    assert re.search(r"done solve scenarios: 2/2 \(\d+\.\d s\)", shown), shown
    assert "solve scenarios" not in out


@pytest.mark.component
def test_frontier_counts_its_solves(make_workbook, capsys, tmp_path):
    """--points 3: the cheapest end, the safest end, then points 1 and 2 (point 0 is the
    cheapest solve): 4 solves, each a step of the counted progress line (logged with -v)."""
    from test_risk import NEWSVENDOR
    rc, _, err = _cli(capsys, "frontier", make_workbook(NEWSVENDOR), "--points", "3",
                      "-o", tmp_path / "f.xlsx", "-v")
    assert rc == 0, err
    steps = re.findall(r"frontier solves: (\d/\d) (.+)", err)
    assert steps == [("1/4", "cheapest on average"), ("2/4", "safest"), ("3/4", "point 1"),
                     ("4/4", "point 2")], err


@pytest.mark.component
def test_verbose_logs_the_stages_and_the_plan_does_not_change(make_workbook, capsys, tmp_path):
    wb = make_workbook(with_cn())
    rc, _, quiet_err = _cli(capsys, "solve", wb, "-o", tmp_path / "q.xlsx", "-q")
    assert rc == 0 and quiet_err == ""
    rc, out, err = _cli(capsys, "solve", wb, "-o", tmp_path / "v.xlsx", "-v")
    assert rc == 0
    for stage in STAGES:
        assert f"INFO model.progress: {stage}: done in" in err, (stage, err)
    assert "DEBUG" not in err
    # with CN: 30 t at 5 + 1 = 180 (docs of conftest.with_cn)
    assert out.splitlines()[0] == "optimal: total 180.00 USD (discounted), all demand met"
    rc, _, debug = _cli(capsys, "solve", wb, "-o", tmp_path / "vv.xlsx", "-vv")
    assert rc == 0 and "DEBUG" in debug
    # logging and the solver callbacks read only: the plan is the same
    for name in ("Purchases", "Shipments"):
        a = pd.read_excel(tmp_path / "q.xlsx", sheet_name=name, engine="openpyxl")
        b = pd.read_excel(tmp_path / "vv.xlsx", sheet_name=name, engine="openpyxl")
        pd.testing.assert_frame_equal(a, b)
    rc, _, err = _cli(capsys, "solve", wb, "-o", tmp_path / "n.xlsx")
    assert rc == 0 and err == ""                       # the log level is restored afterwards
