"""The workforce command: validate prints a summary or a problem table, never a traceback."""

import shutil
import subprocess
import sys
from pathlib import Path

from workforce_lib.cli import main

BAD = Path(__file__).parent / "data" / "bad"


def test_validate_sample_exits_zero(sample_dir, capsys):
    assert main(["validate", str(sample_dir)]) == 0
    out = capsys.readouterr().out
    assert "11 contract file(s) loaded, no problems" in out
    assert "staffing.csv" in out and "30" in out


def test_validate_bad_folder_prints_problem_table_and_exits_one(tmp_path):
    shutil.copy(BAD / "staffing__text_in_number.csv", tmp_path / "staffing.csv")
    shutil.copy(BAD / "staff__leave_before_start.csv", tmp_path / "staff.csv")
    result = subprocess.run(
        [sys.executable, "-m", "workforce_lib.cli", "validate", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "2 problems found" in result.stdout
    lines = result.stdout.splitlines()
    assert any("staffing.csv" in line and "in_post_fte" in line and "'twelve'" in line for line in lines)
    assert any("staff.csv" in line and "leave_date on or after start_date" in line for line in lines)


def test_validate_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 1
    assert "a folder holding the contract CSV files" in capsys.readouterr().out
