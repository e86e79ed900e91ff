"""Report helpers: formatting, small-number suppression, headline figures; a published run leaks nothing."""

import json

import pandas as pd
import pytest

from workforce_lib import publish


def test_formatters():
    assert publish.fmt_rate(0.151) == "15.1%"
    assert publish.fmt_rate(-0.051) == "−5.1%"
    assert publish.fmt_fte(1029.94) == "1,029.9"
    assert publish.fmt_money(26422) == "£26,422"
    assert publish.fmt_count(51.0) == "51"
    assert publish.fmt_rate(float("nan")) == "n/a"
    assert publish.fmt_count("[c]") == "[c]"



def test_format_table_html_is_stable_and_formatted():
    frame = pd.DataFrame({"team": ["Dover"], "vacancy_rate": [0.197], "status": ["red"]})
    html_a = publish.format_table(frame, rates=("vacancy_rate",), status_column="status", table_id="t").to_html()
    html_b = publish.format_table(frame, rates=("vacancy_rate",), status_column="status", table_id="t").to_html()
    assert html_a == html_b
    assert "19.7%" in html_a and "#f6c6b5" in html_a


def test_figures_display_carries_json_and_text():
    bundle = publish.Figures("vacancy", {"vacancy_rate": 0.151, "in_post_fte": 318.8})._repr_mimebundle_()
    assert bundle[publish.FIGURES_MIMETYPE] == {
        "section": "vacancy",
        "figures": {"in_post_fte": 318.8, "vacancy_rate": 0.151},
    }
    assert json.loads(bundle["text/plain"].split("\n", 1)[1]) == {"in_post_fte": 318.8, "vacancy_rate": 0.151}
    assert "15.1%" in bundle["text/html"] and "318.8" in bundle["text/html"]


@pytest.mark.slow
def test_published_turnover_notebook_has_no_small_counts_or_staff_ids(tmp_path, sample_dir):
    """Run the turnover notebook for publication on one small area and scan every output."""
    import papermill

    from tests.conftest import ROOT

    out = tmp_path / "published.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "02_turnover.ipynb"),
        str(out),
        parameters={"data_dir": str(sample_dir), "area": "Disability", "publish": True, "interactive": False},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(ROOT / "notebooks"),
    )
    nb = json.loads(out.read_text())
    texts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for kind, value in output.get("data", {}).items():
                if kind.startswith("text/"):
                    texts.append(value if isinstance(value, str) else "".join(value))
            if "text" in output:
                texts.append("".join(output["text"]))
    text = "\n".join(texts)
    staff_ids = pd.read_csv(sample_dir / "staff.csv", usecols=["staff_id"])["staff_id"]
    assert not [s for s in staff_ids if s in text], "staff ids must never appear in outputs"
    assert "[c]" in text and "suppressed to protect individuals" in text
    figures = next(
        o["data"][publish.FIGURES_MIMETYPE]["figures"]
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if publish.FIGURES_MIMETYPE in o.get("data", {})
    )
    for value in figures["leavers"].values():
        assert value == "[c]" or value == 0 or value >= 5




def test_pence():
    assert publish.fmt_pence(3.7599) == "£3.76"
    assert publish.fmt_pence(-1.5) == "−£1.50"
