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


# ------------------------------------------------------------------ case 14: output errors

def _no_traceback(err: str) -> None:
    assert "Traceback" not in err and "Exception ignored" not in err
    assert "unexpected error" not in err


@pytest.mark.unit
@pytest.mark.parametrize("where", ["missing folder", "under a regular file"])
def test_case14_summary_json_into_a_bad_folder_is_exit_2(where, make_workbook, tmp_path, capsys):
    # (as root a read-only folder is writable: a path under a regular file stands for it)
    wb = make_workbook()
    (tmp_path / "afile").write_text("x")
    folder = tmp_path / ("missing" if where == "missing folder" else "afile")
    js = folder / "s.json"
    rc = main(["solve", str(wb), "-o", str(tmp_path / "r.xlsx"), "--summary-json", str(js)])
    err = capsys.readouterr().err
    assert rc == EXIT_INPUT
    _no_traceback(err)
    assert "--summary-json" in err and str(js) in err
    assert ("does not exist" if where == "missing folder" else "is not a folder") in err


@pytest.mark.unit
def test_case14_invalid_input_and_a_missing_output_folder_is_exit_2(make_workbook, tmp_path,
                                                                      capsys):
    # Demand row 2 asks for -5 t (invalid) and the report's folder does not exist:
    # both problems are listed, and the exit code is 2 (invalid input), not 1
    wb = make_workbook({"Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,-5
    """})
    rc = main(["solve", str(wb), "-o", str(tmp_path / "nowhere" / "r.xlsx")])
    err = capsys.readouterr().err
    assert rc == EXIT_INPUT
    _no_traceback(err)
    assert "nowhere" in err and "does not exist" in err
    assert "Demand row 2" in err and "quantity" in err and "-5" in err


@pytest.mark.component
def test_case14_disk_full_is_a_clear_message(make_workbook, tmp_path, capsys):
    # /dev/full fails every write with ENOSPC: a report (through a link) and a summary
    # written there stand for a full disk. Nothing half-written is left beside them.
    if not os.path.exists("/dev/full"):
        pytest.fail("this test needs /dev/full (Linux)")
    wb = make_workbook()
    report = tmp_path / "r.xlsx"
    os.symlink("/dev/full", report)
    js = tmp_path / "s.json"
    rc = main(["solve", str(wb), "-o", str(report), "--summary-json", str(js), "-q"])
    err = capsys.readouterr().err
    assert rc == 1
    _no_traceback(err)
    assert f"cannot write {report}: No space left on device" in err
    # the summary still says what happened (objective: 30 t at 10 + 5 = 450)
    import json
    info = json.loads(js.read_text())
    assert info["status"] == "optimal" and info["objective"] == pytest.approx(450)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

    report2, js2 = tmp_path / "r2.xlsx", tmp_path / "s2.json"
    os.symlink("/dev/full", js2)
    rc = main(["solve", str(wb), "-o", str(report2), "--summary-json", str(js2), "-q"])
    err = capsys.readouterr().err
    assert rc == 1
    _no_traceback(err)
    assert f"cannot write {js2}: No space left on device" in err
    assert report2.exists()
    assert js2.is_symlink() and not os.path.isfile("/dev/full")     # written into, never replaced


@pytest.mark.component
def test_case14_every_output_gets_the_same_file_mode(make_workbook, tmp_path):
    wb = make_workbook()
    old = os.umask(0o022)
    try:
        outs = [tmp_path / "r.xlsx", tmp_path / "s.json", tmp_path / "p.html"]
        rc = main(["solve", str(wb), "-o", str(outs[0]), "--summary-json", str(outs[1]),
                   "--html", str(outs[2]), "-q"])
    finally:
        os.umask(old)
    assert rc == 0
    # an ordinary file: 0666 less the umask 022 = 0644, for every output alike
    assert [oct(p.stat().st_mode & 0o777) for p in outs] == ["0o644"] * 3


@pytest.mark.component
@pytest.mark.parametrize("limit", [3_000, 12_000])
def test_case14_a_write_cut_short_leaves_no_traceback_and_no_temp_file(limit, make_workbook,
                                                                        tmp_path):
    # The file-size limit (RLIMIT_FSIZE) makes every write past `limit` bytes fail, as
    # a full disk does, here in a real `sourcing solve` process: the report (about 20 kB)
    # is cut short at two places (openpyxl's part, the streamed rows), the JSON summary
    # (about 1 kB) still fits.
    import json
    import resource
    import subprocess
    import sys
    wb = make_workbook()
    report, js = tmp_path / "out" / "r.xlsx", tmp_path / "out" / "s.json"
    report.parent.mkdir()

    def cap():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run([sys.executable, "-m", "model", "solve", str(wb), "-o", str(report),
                           "--summary-json", str(js), "-q"], preexec_fn=cap,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    _no_traceback(proc.stderr)
    assert proc.stderr.strip() == f"cannot write {report}: File too large"
    assert json.loads(js.read_text())["status"] == "optimal"
    assert sorted(p.name for p in report.parent.iterdir()) == ["s.json"]   # no .tmp, no report


# ------------------------------------------------------------------ case 13: signals

def _big_sheets(n: int = 300, periods: int = 20) -> dict[str, str]:
    """n mines in AU, each selling 10 t of OX a year and holding a 1 t floor, one
    lane each to BUYER, who wants 8 n t a year: a plan of some 3 n x periods rows
    (Purchases, Shipments, Stock), so the report takes a while to write."""
    last = 2025 + periods - 1
    return {
        "Settings": f"key,value\nfirst_period,2025\nlast_period,{last}\nunmet_penalty,1000\n",
        "Sites": "site_id,name,company,country,kind\nBUYER,Buyer,BuyCo,US,customer\n"
                 + "".join(f"M{i},Mine {i},Co{i % 50},AU,mine\n" for i in range(n)),
        "Supply": "offer_id,site_id,material_id,capacity,unit_cost\n"
                  + "".join(f"O{i},M{i},OX,10,{10 + i % 97}\n" for i in range(n)),
        "Lanes": "lane_id,from_site,to_site,material_id,unit_cost\n"
                 + "".join(f"L{i},M{i},BUYER,OX,{1 + i % 13}\n" for i in range(n)),
        "Inventory": "site_id,material_id,initial_stock,holding_cost,min_stock,max_stock\n"
                     + "".join(f"M{i},OX,0,1,1,\n" for i in range(n)),
        "Demand": "demand_id,site_id,material_id,period,quantity\n"
                  + "".join(f"D{p},BUYER,OX,{p},{8 * n}\n" for p in range(2025, last + 1)),
    }


def _start(wb, out_dir, *extra):
    import subprocess
    import sys
    return subprocess.Popen([sys.executable, "-m", "model", "solve", str(wb),
                             "-o", str(out_dir / "r.xlsx"), "--summary-json",
                             str(out_dir / "s.json"), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _temps(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _when(proc, ready, seconds: float = 240) -> bool:
    """Poll (5 ms) until ready() or the process ends; True when ready first."""
    import time
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if ready():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    return False


def _summary_status(report) -> str:
    import openpyxl
    book = openpyxl.load_workbook(report, read_only=True)
    return {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}["status"]


@pytest.mark.component
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_case13_sigterm_mid_write_leaves_no_temp_file_and_says_so(signame, make_workbook,
                                                                  tmp_path):
    # SIGINT is what Ctrl-C sends
    import signal
    signum = getattr(signal, signame)
    wb = make_workbook(_big_sheets())
    out = tmp_path / "out"
    out.mkdir()
    proc = _start(wb, out, "-q")
    caught = _when(proc, lambda: bool(_temps(out)))        # the report is being written
    assert caught, "the run ended before its report was written: make the workbook bigger"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 128 + signum                 # 143 / 130, documented in the README
    assert f"interrupted by {'SIGTERM' if signame == 'SIGTERM' else 'Ctrl-C (SIGINT)'}" in err
    assert "Traceback" not in err
    assert _temps(out) == []                               # removed on the signal
    # the README's promise holds: a report is written, and it says what happened
    assert _summary_status(out / "r.xlsx") == "interrupted"
    import json
    assert json.loads((out / "s.json").read_text())["status"] == "interrupted"


@pytest.mark.component
def test_case13_sigterm_mid_solve_stops_highs_at_once(make_workbook, tmp_path):
    import signal
    wb = make_workbook(_big_sheets())
    out = tmp_path / "out"
    out.mkdir()
    log = out / "highs.log"
    proc = _start(wb, out, "-q", "--solver-log", str(log))
    # HiGHS writes its log as it goes: the iteration table means the simplex is running
    started = _when(proc, lambda: log.exists() and "Iteration" in log.read_text())
    assert started, "the run ended before HiGHS started its iterations"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 143 and "interrupted by SIGTERM" in err
    # HiGHS was stopped by the request, not waited out to the optimum
    status = [line for line in log.read_text().splitlines() if line.startswith("Model status")]
    assert status == ["Model status        : Interrupted by user"]
    assert _temps(out) == [] and _summary_status(out / "r.xlsx") == "interrupted"


@pytest.mark.component
def test_case13_temp_files_of_a_killed_run_are_removed_by_the_next(make_workbook, tmp_path,
                                                                   caplog):
    import signal
    wb = make_workbook(_big_sheets())
    out = tmp_path / "out"
    out.mkdir()
    proc = _start(wb, out, "-q")
    assert _when(proc, lambda: bool(_temps(out))), "the run ended before its report was written"
    proc.send_signal(signal.SIGKILL)                       # no handler can run
    proc.communicate(timeout=60)
    left = _temps(out)
    assert left, "SIGKILL left nothing behind: nothing to clean"
    # the next run writing there removes what the killed one left, and says so
    small = make_workbook(name="small.xlsx")
    rc = main(["solve", str(small), "-o", str(out / "r.xlsx"), "--summary-json",
               str(out / "s.json"), "-q"])
    assert rc == 0
    assert _temps(out) == []
    assert "left by an earlier run that was killed" in caplog.text      # logged (a warning)
    assert _summary_status(out / "r.xlsx") == "optimal"


@pytest.mark.unit
def test_case13_a_signal_while_held_is_raised_at_the_check():
    # inside HiGHS (or while a command loads) a signal must not raise: it is recorded
    # and raised at the next check, with its own exit code
    import signal
    import threading

    from model import stop
    with stop.handling():
        with stop.holding():
            # to this thread: delivered before pthread_kill returns (os.kill may be taken by
            # any thread of the process, and a busy machine can delay it past this block)
            signal.pthread_kill(threading.get_ident(), signal.SIGTERM)
            for _ in range(1000):          # give the handler its bytecodes
                pass
        with pytest.raises(stop.Stopped) as caught:
            stop.check()
    assert caught.value.signum == signal.SIGTERM and stop.exit_code(caught.value) == 143
    stop.check()                           # handling() over: nothing pending any more


# ------------------------------------------------------------------ case 15: a family another needs

def _magnets(**extra):
    from test_provenance import DFARS, OXIDE_BUY, case
    return case(**OXIDE_BUY, Policies=DFARS, **extra)


CONTENT_TARIFF = """
    rule_id,exporter,material_id,importer,measure,value,scope
    CN_MAG_T,CN,MAG,US,tariff,0.1,content
"""


@pytest.mark.component
def test_case15_skipping_a_family_another_needs_is_refused(make_workbook, tmp_path, capsys):
    import json
    wb = make_workbook(_magnets())
    js = tmp_path / "s.json"
    rc = main(["solve", str(wb), "-o", str(tmp_path / "r.xlsx"), "--summary-json", str(js),
               "--skip-family", "provenance"])
    err = capsys.readouterr().err
    assert rc == EXIT_INPUT
    assert "unexpected error" not in err and "AttributeError" not in err
    assert ('--skip-family: chain_rules needs provenance' in err
            and "--skip-family chain_rules" in err)
    info = json.loads(js.read_text())                          # the report says so too
    assert (info["status"], info["reason"]) == ("error", "invalid_input")
    assert "chain_rules needs provenance" in info["message"]


@pytest.mark.component
def test_case15_skipping_both_solves_the_v1_model_and_says_what_is_lost(make_workbook, tmp_path,
                                                                       capsys):
    # Magnets for a US defense buyer (test_provenance): Chinese oxide costs 10 + 5 = 15
    # per t of magnet, Australian 50 + 5 = 55. DFARS (clean_chain) and a 10% content
    # tariff on Chinese-touched magnets (0.1 x 1,000 = 100 per t) both follow the
    # material. With provenance and chain_rules left out, neither is modelled: 10 t of
    # Chinese-chain magnets, 150; the plan breaks DFARS, so the verifier fails it (4).
    import json
    wb = make_workbook(_magnets(ExportControls=CONTENT_TARIFF))
    js = tmp_path / "s.json"
    rc = main(["solve", str(wb), "-o", str(tmp_path / "r.xlsx"), "--summary-json", str(js),
               "--skip-family", "provenance", "--skip-family", "chain_rules"])
    err = capsys.readouterr().err
    info = json.loads(js.read_text())
    assert rc == 4 and info["status"] == "optimal"
    assert info["objective"] == pytest.approx(150)
    assert info["skipped_families"] == "provenance, chain_rules"
    assert "content-scope tariff" in err and "not charged" in err     # said, not silent
    assert info["warnings"] >= 1


@pytest.mark.unit
def test_case15_an_unknown_family_is_an_input_error(make_workbook, tmp_path, capsys):
    wb = make_workbook()
    rc = main(["solve", str(wb), "-o", str(tmp_path / "r.xlsx"), "--skip-family", "provenence"])
    err = capsys.readouterr().err
    assert rc == EXIT_INPUT and "unexpected error" not in err
    assert 'did you mean "provenance"' in err


@pytest.mark.unit
def test_case15_every_family_declares_what_it_needs():
    from model.formulation import FAMILIES, requires
    order = list(FAMILIES)
    assert requires("chain_rules") == ("provenance",)
    for name in FAMILIES:
        for need in requires(name):
            assert order.index(need) < order.index(name)          # built before it


# ------------------------------------------------------------------ the same classes elsewhere

@pytest.mark.unit
def test_from_csv_never_writes_over_its_own_csv_input(tmp_path, capsys):
    # case 8's class: `sourcing from-csv F F/Settings.csv` wrote a workbook over an input
    folder = tmp_path / "csv"
    folder.mkdir()
    settings = folder / "Settings.csv"
    settings.write_text("key,value\nfirst_period,2025\nlast_period,2025\n")
    before = settings.read_bytes()
    rc = main(["from-csv", str(folder), str(settings)])
    assert rc == EXIT_INPUT and settings.read_bytes() == before
    assert "must be an .xlsx file" in capsys.readouterr().err
    # case 14's class: a missing folder of CSVs is bad input (2), not 'unexpected' (1)
    rc = main(["from-csv", str(tmp_path / "none"), str(tmp_path / "wb.xlsx")])
    err = capsys.readouterr().err
    assert rc == EXIT_INPUT and "no such folder" in err and "unexpected" not in err


@pytest.mark.unit
@pytest.mark.parametrize("argv", [["template", "{out}"], ["compare", "{wb}", "--all", "-o", "{out}"],
                                  ["stress", "{wb}", "-o", "{out}"]])
def test_other_commands_refuse_a_missing_output_folder_with_exit_2(argv, make_workbook,
                                                                  tmp_path, capsys):
    # case 14's class in the commands beside solve: before anything runs, exit 2
    wb = make_workbook()
    out = tmp_path / "missing" / "o.xlsx"
    rc = main([a.format(wb=wb, out=out) for a in argv])
    err = capsys.readouterr().err
    assert rc == EXIT_INPUT and "does not exist" in err and "unexpected" not in err


@pytest.mark.component
def test_verify_checks_a_bent_plan_and_fails_it(make_workbook, tmp_path, capsys):
    # case 6's class: `sourcing verify` read status 'elastic' as 'no solution to check'
    # (exit 0). A bent plan is checked like any other and fails on its bend: the floor
    # of 500 t at BUYER holds 100 t (test_infeasibility's FLOOR_500).
    from test_infeasibility import FLOOR_500
    wb = make_workbook(FLOOR_500)
    report = tmp_path / "bent.xlsx"
    assert main(["solve", str(wb), "-o", str(report), "--elastic", "-q"]) == 6
    capsys.readouterr()
    rc = main(["verify", str(wb), str(report)])
    out = capsys.readouterr().out
    assert rc == 4 and "no solution to check" not in out
    assert "Inventory row 2" in out
