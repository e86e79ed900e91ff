"""DfE workforce statistics: loading with suppression kept, recomputed rates, neighbours for every authority."""

from pathlib import Path

import numpy as np
import pytest

from workforce_lib import DataError, dfe

DFE = Path(__file__).resolve().parent.parent / "data" / "dfe"


def value(published, area, year, indicator):
    row = published[(published["area"] == area) & (published["year"] == year) & (published["indicator"] == indicator)]
    assert len(row) == 1, (area, year, indicator)
    return row.iloc[0]


def test_typed_years_levels_and_rates_as_fractions(published):
    assert published["year"].min() == 2017 and published["year"].max() == 2025
    assert set(published["level"].astype(str)) == {"National", "Regional", "Local authority"}
    kent = value(published, "Kent", 2018, "turnover_rate_fte")
    assert kent["value"] == pytest.approx(0.12)  # the 2019 case study's "12%"
    assert value(published, "England", 2025, "inpost_fte")["value"] == pytest.approx(36186.3)
    assert value(published, "Kent", 2025, "caseload_fte")["value"] == pytest.approx(17.0)


def test_suppressed_values_are_missing_with_their_reason(published):
    scilly = value(published, "Isles of Scilly", 2017, "absence_rate_fte")
    assert np.isnan(scilly["value"]) and scilly["status"] == "c" and scilly["status_text"] == "confidential"
    birmingham = value(published, "Birmingham", 2024, "agency_rate_fte")
    assert np.isnan(birmingham["value"]) and birmingham["status_text"] == "low reliability"
    low = published[published["status"] == "low"]
    assert len(low) and low["value"].isna().all() and (low["status_text"] == "rounds to 0").all()
    # A suppressed cell never becomes 0.
    assert not (published.loc[published["status"] != "", "value"] == 0).any()


def test_quirks_combined_rows_and_london_regions(published, groupings):
    names = dfe.code_to_area(published)
    assert names["940"] == names["941"] == "North Northamptonshire / West Northamptonshire"
    assert names["314"] == names["318"] == "Kingston upon Thames / Richmond upon Thames"
    assert names["835"] == names["838"] == "Dorset"  # a code that changed between years
    regions = set(published.loc[published["level"] == "Regional", "area"])
    assert {"London", "Inner London", "Outer London"} <= regions
    assert dfe.region_of(published, "Westminster") == "London"
    kent = dfe.neighbours_of(published, groupings, "Kent")
    assert kent["area"].tolist()[0] == "Essex" and kent["closeness"].tolist()[0] == "Extremely Close"
    assert "North Northamptonshire / West Northamptonshire" in kent["area"].tolist()  # via code 941
    cumberland = dfe.neighbours_of(published, groupings, "Cumberland")
    assert cumberland["grouping_code"].iloc[0] == "909"  # Cumbria's neighbours


def test_unknown_layout_names_missing_columns(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text("time_period,geographic_level,la_name,inpost_fte\n2016,National,,100\n")
    with pytest.raises(DataError) as info:
        dfe.load_dfe_indicators(path)
    message = str(info.value)
    assert "old.csv" in message and "turnover_rate_fte" in message and "lacks" in message


def test_bad_cell_is_a_data_error(tmp_path):
    text = (DFE / "csww_indicators_2017_to_2025.csv").read_text(encoding="utf-8-sig").splitlines()
    text[1] = text[1].replace(",36186.3,", ",lots,", 1)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(text[:5]) + "\n")
    with pytest.raises(DataError) as info:
        dfe.load_dfe_indicators(path)
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "inpost_fte", "lots")


# Aggregates DfE computes on another base than the sum of the published FTE columns (they differ
# by more than rounding): region and England rows only. Every local authority row agrees.
KNOWN_DIFFERENCES = {
    ("turnover_rate_fte", 2022, "North East"),
    ("turnover_rate_fte", 2022, "England"),
    ("turnover_rate_fte", 2024, "North East"),
    ("turnover_rate_fte", 2024, "England"),
    ("agency_rate_fte", 2023, "England"),
    ("agency_rate_fte", 2023, "London"),
    ("agency_rate_fte", 2023, "Outer London"),
    ("agency_rate_fte", 2024, "England"),
    ("agency_rate_fte", 2024, "West Midlands"),
}


@pytest.mark.parametrize("rate", ["turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte"])
def test_recomputed_rates_match_published(published, rate):
    """DfE's definitions applied to the FTE columns reproduce every published rate within rounding:
    the published rate is rounded to 0.1 point and its inputs to 0.1 FTE, so the allowed gap is
    0.05 points plus what 0.05 FTE of rounding in numerator and denominator can move the rate."""
    table = dfe.recompute_rates(published)
    numerator = {
        "turnover_rate_fte": "leavers_fte",
        "agency_rate_fte": "agency_fte",
        "vacancy_rate_fte": "vacancy_fte",
    }[rate]
    denominator = table["inpost_fte"] + (0 if rate == "turnover_rate_fte" else table[numerator])
    slack = (
        (0.05 / denominator + 0.05 * table[numerator] / denominator**2)
        * 100
        * (1 if rate == "turnover_rate_fte" else 2)
    )
    computable = table[f"{rate}_difference"].notna()
    assert computable.sum() > 1400
    off = table[computable & (table[f"{rate}_difference"].abs() > 0.05 + slack + 1e-9)]
    found = {(rate, int(r.year), r.area) for r in off.itertuples()}
    assert found == {k for k in KNOWN_DIFFERENCES if k[0] == rate}


def test_every_authority_has_a_comparison_and_headline(published, groupings):
    authorities = dfe.authorities(published)
    assert len(authorities) == 155
    for authority in authorities:
        frame = dfe.comparison(published, groupings, authority, "vacancy_rate_fte")
        assert set(frame["role"]) >= {"authority", "neighbour", "neighbour median", "England"}, authority
        assert (frame["role"] == "region").any(), authority
        assert 8 <= frame.loc[frame["role"] == "neighbour", "area"].nunique() <= 10, authority
        figures = dfe.headline(frame)
        assert figures["england"] is not None


def test_ranking_and_headline_for_kent(published, groupings):
    frame = dfe.comparison(published, groupings, "Kent", "turnover_rate_fte")
    figures = dfe.headline(frame, 2025)
    assert figures["value"] == pytest.approx(0.154) and figures["england"] == pytest.approx(0.118)
    neighbours_2025 = frame[(frame["role"] == "neighbour") & (frame["year"] == 2025)]["value"].dropna()
    assert figures["neighbours_median"] == pytest.approx(round(neighbours_2025.median(), 4))
    assert figures["rank_among_neighbours"] == 1 + int((neighbours_2025 < 0.154).sum())
    ranking = dfe.neighbour_ranking(frame, 2025)
    assert ranking["rank"].dropna().tolist() == list(range(1, len(ranking["rank"].dropna()) + 1))


def test_suppressed_authority_value_is_reported_not_ranked(published, groupings):
    frame = dfe.comparison(published, groupings, "Birmingham", "agency_rate_fte")
    figures = dfe.headline(frame, 2024)
    assert figures["value"] is None and figures["status"] == "low reliability"
    assert figures["rank_among_neighbours"] is None


def test_select_authorities_all_neighbours_region_and_list(published, groupings):
    everyone = dfe.select_authorities(published, groupings, "all")
    # 2025's authorities: Cumbria, Northamptonshire, Bournemouth and Poole are gone; one combined row counts once.
    assert len(everyone) == 151
    assert "Cumbria" not in everyone and "Cumberland" in everyone
    kent = dfe.select_authorities(published, groupings, {"neighbours_of": "kent"})
    assert kent[:3] == ["Kent", "Essex", "East Sussex"] and len(kent) == 11
    assert dfe.select_authorities(published, groupings, {"neighbours_of": "Kent", "include_self": False})[0] == "Essex"
    london = dfe.select_authorities(published, groupings, {"region": "London"})
    assert len(london) == 32 and "Kingston upon Thames / Richmond upon Thames" in london  # 33 boroughs, one combined
    # Names in any case and three-digit LA codes; a repeat is listed once.
    assert dfe.select_authorities(published, groupings, ["886", 940, "SURREY", "Surrey"]) == [
        "Kent",
        "North Northamptonshire / West Northamptonshire",
        "Surrey",
    ]


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (["Kentt"], "'Kentt' is not a local authority name or LA code in DfE's published statistics; the closest"),
        ([], "the list of authorities is empty"),
        ({"region": "Atlantis"}, "no authority in region 'Atlantis'"),
        ({"neighbours_of": "Kent", "size": 5}, "unknown key(s) ['size'] beside neighbours_of"),
        ("everyone", "is not a selection of authorities"),
    ],
)
def test_select_authorities_errors_say_what_was_wrong(published, groupings, selection, message):
    with pytest.raises(ValueError) as info:
        dfe.select_authorities(published, groupings, selection)
    assert message in str(info.value)


def test_slug_is_a_safe_folder_name():
    assert dfe.slug("Kingston upon Thames / Richmond upon Thames") == "kingston-upon-thames-richmond-upon-thames"
    assert dfe.slug("St. Helens") == "st-helens"


def test_quarter_is_named_by_the_values_whichever_way_is_better(published, groupings):
    """Kent's 2025 turnover, 15.4%, is 10th lowest of 11: in the quarter with the highest rates
    (ceil(10 / 11 x 4) = 4). Ranked with higher better, rank 1 is the highest value but the quarter
    still names the values: the same 'highest'."""
    frame = dfe.comparison(published, groupings, "Kent", "turnover_rate_fte")
    figures = dfe.headline(frame, 2025)
    assert (figures["rank_among_neighbours"], figures["of"], figures["quarter_by_value"]) == (10, 11, "highest")
    flipped = dfe.neighbour_ranking(frame, 2025, higher_is_worse=False).set_index("area")
    assert flipped.loc["Kent", "rank"] == 2 and flipped.loc["Kent", "quarter_by_value"] == "highest"
    absence = dfe.headline(dfe.comparison(published, groupings, "Kent", "absence_rate_fte"), 2025)
    assert (absence["rank_among_neighbours"], absence["quarter_by_value"]) == (1, "lowest")
    assert "quartile" not in dfe.neighbour_ranking(frame, 2025).columns


def test_quarter_words():
    from workforce_lib import quarters

    assert [quarters.quarter_of_rank(r, 11) for r in (1, 2, 3, 5, 6, 8, 9, 11)] == [
        "lowest",
        "lowest",
        "second-lowest",
        "second-lowest",
        "second-highest",
        "second-highest",
        "highest",
        "highest",
    ]
    assert quarters.quarter_words("lowest", "rates") == "in the quarter with the lowest rates"
    with pytest.raises(ValueError):
        quarters.quarter_words("1", "rates")


def test_benchmark_sentence_is_the_headline_in_words(published, groupings):
    from workforce_lib.whatif import benchmark

    result = benchmark.benchmark_what_if(published, groupings, "Kent", "turnover_rate_fte")
    assert result.figures == dfe.headline(dfe.comparison(published, groupings, "Kent", "turnover_rate_fte"))
    assert result.sentence == (
        "Turnover rate (FTE): Kent 15.4% in 2025, against a neighbours' median of 9.8% and England's 11.8%; "
        "10 of 11 with its statistical neighbours (1 = lowest), in the quarter with the highest rates."
    )
    caseload = benchmark.benchmark_what_if(published, groupings, "Kent", "caseload_fte")
    assert caseload.sentence.endswith(
        "9 of 11 with its statistical neighbours (1 = lowest), in the quarter with the highest caseloads."
    )
