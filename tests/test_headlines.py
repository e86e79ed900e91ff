"""Headline figures in a councillor's words, and the pack summary built from them: hand-made cases."""

import json

from workforce_lib.headlines import change_since, format_value, rag_status, section_headlines, section_period
from workforce_lib.pack.summary import (
    grouped,
    history_entry,
    previous_values,
    read_history,
    summary_rows,
    write_history,
)

#: Figures shaped as a council's sections record them, with its own role and team words.
VACANCY = {
    "vacancy": {
        "as_of": "2025-03-31",
        "target": 0.12,
        "by_role_group": {
            "caseholder": {"vacancy_rate": 0.139, "net_vacancy_rate": 0.004, "in_post_fte": 79.6},
            "manager": {"vacancy_rate": 0.10, "net_vacancy_rate": "[c]"},
        },
    }
}
PAY = {"pay": {"authority": "Wiltshire Council", "roles": {"ASYE Social Worker": {"gap_to_median_gbp": -250.0}}}}


def test_values_read_as_a_councillor_reads_them():
    assert format_value(0.151, "rate") == "15.1%"
    assert format_value(-0.02, "rate") == "−2.0%"
    assert format_value(-1541.0, "money") == "−£1,541"
    assert format_value(1207.437, "pence") == "£1,207.44"
    assert format_value("2011-03-31", "date") == "31 March 2011"
    assert format_value(["September 2011", "September 2011"], "month") == "September 2011"
    assert format_value(["September 2011", "March 2012"], "month") == "September 2011 to March 2012"
    assert format_value(True, "text") == "yes" and format_value(None, "rate") == "not available"
    assert format_value(2025, "year") == "2025"
    assert format_value("[c]", "rate") == "[c]"


def test_labels_use_the_councils_own_words():
    rows = {h.key: h for h in section_headlines("01_vacancy", VACANCY)}
    caseholders = rows["vacancy.by_role_group.caseholder.vacancy_rate"]
    assert (caseholders.label, caseholders.shown, caseholders.target_shown) == (
        "Vacancy rate: caseholders",
        "13.9%",
        "12.0%",
    )
    assert caseholders.status == "amber"  # 1.9 points above a 12% target: within 5 points
    assert rows["vacancy.by_role_group.manager.vacancy_rate"].status == "green"
    assert rows["vacancy.by_role_group.manager.net_vacancy_rate"].shown == "[c]"
    pay = section_headlines("04_pay", PAY)
    assert [(h.label, h.shown) for h in pay] == [("Pay against the neighbours' median: ASYE Social Worker", "−£250")]
    unknown = section_headlines("99_new", {"extra": {"odd_thing_fte": 3.25, "flag": False}})
    assert [(h.label, h.shown, h.headline) for h in unknown] == [("Flag", "no", False), ("Odd thing fte", "3.2", False)]


def test_red_amber_green():
    assert rag_status(0.151, 0.10, "lower") == "red"  # 5.1 points above
    assert rag_status(0.150, 0.10, "lower") == "amber"  # exactly 5 points above
    assert rag_status(0.10049, 0.10, "lower") == "green"  # shown as 10.0%
    assert rag_status(17.0, 14.8, "lower", "number") == "red"  # 14.9% above the neighbours' median
    assert rag_status(16.2, 15.4, "lower", "number") == "amber"
    assert rag_status(0.95, 0.90, "higher") == "green" and rag_status(0.86, 0.90, "higher") == "amber"
    assert rag_status(0.80, 0.90, "higher") == "red"
    assert rag_status(0.2, None, "lower") == "" and rag_status("[c]", 0.1, "lower") == ""


def test_change_since_the_last_pack_in_the_figures_units():
    [rate] = [h for h in section_headlines("01", VACANCY) if h.key.endswith("caseholder.vacancy_rate")]
    assert change_since(rate, 0.171) == "−3.2 points"
    assert change_since(rate, 0.139) == "no change"
    assert change_since(rate, None) == "new"
    [money] = section_headlines("04", PAY)
    assert change_since(money, -550.0) == "+£300"


def test_section_period_in_words():
    assert section_period(VACANCY) == "at 31 March 2025"
    assert section_period({"campaign_funnel": {"week_ending": "2011-04-20"}}) == "week ending 20 April 2011"
    assert section_period({"census": {"census_year": 2023}}) == "year to 30 September 2023"
    assert section_period(PAY) == ""


def test_summary_shows_each_figure_once_under_the_section_that_names_it(tmp_path):
    sections = [("01_vacancy", "Vacancy: caseholders", VACANCY), ("01_managers", "Vacancy: managers", VACANCY)]
    parameters = {"01_vacancy": {"role_group": "caseholder"}, "01_managers": {"role_group": "manager"}}
    rows = summary_rows(sections, None, parameters)
    assert [(r.section, r.headline.label) for r in rows] == [
        ("01_vacancy", "Vacancy rate after agency cover: caseholders"),
        ("01_vacancy", "Vacancy rate: caseholders"),
        ("01_managers", "Vacancy rate after agency cover: managers"),
        ("01_managers", "Vacancy rate: managers"),
    ]
    assert [(name, len(found)) for name, _title, found in grouped(rows)] == [("01_vacancy", 2), ("01_managers", 2)]
    # The history: one entry per render, the last one gives the change.
    write_history(tmp_path, [], history_entry("2026-10-23T09:00:00", sections))
    history = read_history(tmp_path)
    previous, when = previous_values(history)
    assert (
        when == "2026-10-23T09:00:00" and previous["01_vacancy/vacancy.by_role_group.caseholder.vacancy_rate"] == 0.139
    )
    assert [r.change for r in summary_rows(sections, previous, parameters)] == ["no change"] * 4


def test_a_pack_from_before_histories_gives_its_figures_as_the_last_pack(tmp_path):
    (tmp_path / "figures.json").write_text(json.dumps({"sections": {"01_vacancy": VACANCY}}))
    previous, when = previous_values(read_history(tmp_path))
    assert when == "" and previous["01_vacancy/vacancy.by_role_group.caseholder.vacancy_rate"] == 0.139
    (tmp_path / "history.json").write_text("not json")
    assert read_history(tmp_path) == []
