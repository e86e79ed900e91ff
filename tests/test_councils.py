"""Any council's data: invented councils unlike the sample render complete packs with their own names,
periods and figures; missing files make sections 'not available', not failures; tiny and edge data
never show inf, NaN or None. The data sets are in tests/data/councils (see its README)."""

import csv
import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from workforce_lib import authorities, funnel, load_dataset, pay, periods
from workforce_lib.pack import render_pack

COUNCILS = Path(__file__).parent / "data" / "councils"
CASEHOLDER_TITLES = {"ASYE Social Worker", "Social Worker", "Advanced Practitioner", "Consultant Social Worker"}


def visible_text(page: str) -> str:
    """What a reader sees on a page: no scripts, styles, embedded images or tags."""
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"data:image/[^\"']+", "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def render(name: str, tmp_path: Path):
    """Render a council's pack file from a copy of tests/data/councils (packs never write beside data)."""
    work = tmp_path / "councils"
    shutil.copytree(COUNCILS, work, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    result = render_pack(work / f"{name}.yaml", reports_dir=tmp_path / "reports", jobs=2)
    return result, tmp_path / "reports" / name


def hand_count_leavers(folder: Path, start: str, end: str) -> int:
    """Caseholder employments that ended in (start, end], counted straight from staff.csv (UK dates),
    leaving out promotions: the same person starting another employment within a week."""

    def day(text):
        return dt.datetime.strptime(text, "%d/%m/%Y").date()

    with open(folder / "staff.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    starts: dict[str, list] = {}
    for row in rows:
        starts.setdefault(row["staff_id"], []).append(day(row["start_date"]))
    count = 0
    for row in rows:
        if not row["leave_date"] or row["role"] not in CASEHOLDER_TITLES:
            continue
        left = day(row["leave_date"])
        moved = any(
            day(row["start_date"]) <= s <= left + dt.timedelta(days=7) and s != day(row["start_date"])
            for s in starts[row["staff_id"]]
        )
        count += (start < left.isoformat() <= end) and not moved
    return count


@pytest.mark.slow
def test_a_new_council_with_four_pack_keys_gets_every_section_in_its_own_words(tmp_path):
    result, folder = render("wiltshire", tmp_path)
    statuses = {r.name: r.status for r in result.runs}
    assert statuses == {
        "01_vacancy": "ok",
        "01_vacancy_managers": "ok",
        "02_turnover": "ok",
        "03_workforce_plan": "ok",
        "04_pay_benchmark": "ok",
        "05_campaign_funnel": "ok",
        "06_benchmark": "ok",
        "07_census": "ok",
        "08_workforce_plan_by_grade": "ok",
    }
    pages = {p.name: visible_text(p.read_text(encoding="utf-8")) for p in folder.glob("*.html")}
    for name, text in pages.items():
        assert "Kent" not in text, name
        for word in (" inf ", " nan ", " NaN ", " None ", "Traceback", str(tmp_path)):
            assert word not in f" {text} ", (name, word)
    figures = json.loads((folder / "figures.json").read_text())["sections"]
    # Vacancy at the latest snapshot, 31 March 2025, summed by hand from staffing.csv:
    # caseholders 92.5 funded, 79.6 in post, 12.5 agency -> (92.5 - 79.6) / 92.5 = 13.9%, net 0.4%;
    # 12.9 vacant - 10% x 92.5 = 3.65, so 3.7 more FTE in post would meet the 10% target.
    caseholders = figures["01_vacancy"]["vacancy"]["by_role_group"]["caseholder"]
    assert caseholders == {
        "establishment_fte": 92.5,
        "in_post_fte": 79.6,
        "agency_fte": 12.5,
        "vacancy_rate": 0.139,
        "net_vacancy_rate": 0.004,
        "more_in_post_to_meet_target_fte": 3.7,
    }
    # Turnover runs to the extract date (the staffing snapshot), not to the last leave in staff.csv.
    turnover = figures["02_turnover"]["turnover"]
    assert turnover["as_of"] == "2025-03-31"
    assert turnover["leavers"]["caseholder"] == hand_count_leavers(COUNCILS / "wiltshire", "2024-03-31", "2025-03-31")
    assert "Period: 31 March 2024 to 31 March 2025" in pages["02_turnover.html"]
    # "Team Manager" and "Practice Supervisor" are managers, so the turnover page has a managers row.
    assert "Managers:" in pages["02_turnover.html"] and "Other roles" not in pages["02_turnover.html"]
    # The authority is found under its own name in pay_scales.csv ("Wiltshire") and in DfE's file.
    assert figures["04_pay_benchmark"]["pay"]["authority"] == "Wiltshire"
    assert figures["06_benchmark"]["benchmark"]["authority"] == "Wiltshire"
    # Teams with the same name in several areas are separate rows of the vacancy table.
    assert pages["01_vacancy.html"].count("Long-Term Care") >= 4
    # The census section reads Wiltshire's 2022 and 2023 returns (LA code 865), older schema years.
    assert figures["07_census"]["census"]["census_year"] == 2023
    assert "census returns for 2022 (workers at 30 September 2022)" in pages["07_census.html"]
    # The year-ahead what-if uses the first plan year at or after the snapshot (2025), not 2024.
    assert "hires planned for 2025" in pages["02_turnover.html"]


@pytest.mark.slow
def test_a_staffing_only_folder_renders_with_sections_not_available_and_exits_zero(tmp_path):
    result, folder = render("staffing_only", tmp_path)
    statuses = {r.name: r.status for r in result.runs}
    assert statuses["01_vacancy"] == statuses["03_workforce_plan"] == statuses["06_benchmark"] == "ok"
    assert statuses["02_turnover"] == statuses["04_pay_benchmark"] == statuses["05_campaign_funnel"] == "not available"
    assert statuses["07_census"] == "not available"
    assert statuses["08_workforce_plan_by_grade"] == "not available"
    assert result.failed == []
    turnover = visible_text((folder / "02_turnover.html").read_text(encoding="utf-8"))
    assert (
        "Not available: this section needs staff.csv (one row per employment) to show turnover and retention."
        in turnover
    )
    index = visible_text((folder / "index.html").read_text(encoding="utf-8"))
    assert index.count("not available") >= 3 and "failed" not in index
    plan = visible_text((folder / "03_workforce_plan.html").read_text(encoding="utf-8"))
    assert "unknown: needs staff.csv" in plan and "0.0%" not in plan.split("Under two years' experience")[1][:60]
    for page in folder.glob("*.html"):
        assert str(tmp_path) not in page.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tiny", "nobody_left", "everybody_left", "none_at_start"])
def test_tiny_and_edge_councils_render_without_inf_nan_or_failures(tmp_path, name):
    result, folder = render(name, tmp_path)
    assert result.failed == [], [(r.name, r.error) for r in result.failed]
    assert {r.name: r.status for r in result.runs}["02_turnover"] == "ok"
    for page in folder.glob("*.html"):
        text = f" {visible_text(page.read_text(encoding='utf-8'))} "
        for word in (" inf ", " nan ", " NaN ", " None ", "Traceback"):
            assert word not in text, (page.name, word)


def test_authority_names_match_as_councils_write_them():
    assert authorities.match("Kent County Council", ["Medway", "Kent"]) == "Kent"
    assert authorities.match("City of Bristol", ["Bristol, City of", "Bath"]) == "Bristol, City of"
    assert authorities.match("Royal Borough of Greenwich", ["Greenwich", "Lewisham"]) == "Greenwich"
    assert authorities.match("Northshire", ["Kent"]) is None
    assert authorities.from_data(None, None) == ""


def test_extract_date_prefers_the_given_date_then_the_staffing_snapshot():
    folder = load_dataset(COUNCILS / "wiltshire")
    assert periods.extract_date("2024-09-30", folder.staffing, folder.staff).date.date() == dt.date(2024, 9, 30)
    snapshot = periods.extract_date("", folder.staffing, folder.staff)
    assert (snapshot.date.date(), snapshot.caveat) == (dt.date(2025, 3, 31), "")
    # Without staffing.csv only the last event is left (a leave on 11 March 2025), and the page says so:
    # that is why the snapshot, not the last event, ends the period when there is one.
    fallback = periods.extract_date("", None, folder.staff)
    assert fallback.date.date() == dt.date(2025, 3, 11) and "set as_of" in fallback.caveat


def test_plan_year_is_the_first_at_or_after_the_snapshot():
    plan = load_dataset(COUNCILS / "wiltshire").recruitment_plan
    assert periods.plan_year(plan, "2024-09-30") == 2025
    assert periods.plan_year(plan, "2025-03-31") == 2025
    assert periods.plan_year(plan, "2028-01-01") is None
    assert periods.months_after("2025-03-31", 12) == "2026-03"


def test_pay_defaults_come_from_the_councils_own_data():
    data = load_dataset(COUNCILS / "wiltshire")
    assert pay.own_authority(data.pay_scales, "Wiltshire Council") == "Wiltshire"
    with pytest.raises(Exception, match="pay_scales.csv has no salary ranges for Northshire"):
        pay.own_authority(data.pay_scales, "Northshire")
    as_of = dt.date(2025, 3, 31)
    # Most-staffed title in post on 31 March 2025, counted by hand from staff.csv.
    counts: dict[str, int] = {}
    with open(COUNCILS / "wiltshire" / "staff.csv", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            started = dt.datetime.strptime(row["start_date"], "%d/%m/%Y").date()
            left = dt.datetime.strptime(row["leave_date"], "%d/%m/%Y").date() if row["leave_date"] else None
            if started <= as_of and (left is None or left > as_of):
                counts[row["role"]] = counts.get(row["role"], 0) + 1
    scale_roles = set(data.pay_scales.loc[data.pay_scales["authority"] == "Wiltshire", "role"])
    expected = max((n, r) for r, n in counts.items() if r in scale_roles)[1]
    assert pay.default_premium_role(data.pay_scales, "Wiltshire", data.staff, "2025-03-31") == expected
    wte, source = pay.eligible_wte(expected, data.staffing, data.staff, "2025-03-31")
    assert (wte, source) == (79.6, "all caseholders in post in staffing.csv on 2025-03-31")


def test_funnel_sentence_covers_whatever_stages_a_council_records():
    table = funnel.conversion_table(load_dataset(COUNCILS / "wiltshire").funnel, "all")
    row = table[table["role"] == "Team Manager"].iloc[0]
    assert funnel.conversion_sentence(row) == (
        "Team Manager: 21 applied, 11 shortlisted (52.4%), 8 interviewed (72.7% of those shortlisted), "
        "3 offered (37.5% of those interviewed), 2 accepted (66.7% of those offered), "
        "1 started (50.0% of those accepted; 4.8% overall)."
    )
