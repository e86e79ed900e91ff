"""DfE's children's social work workforce census (CSWW): read returns, check them, compute DfE's measures.

returns = read_returns(["returns/"])        # every problem at once, as a DataError
table = census_measures(returns)            # one row per authority and year, DfE's columns
reconcile(table, published)                 # own beside DfE's published rows, differences named
"""

from .characteristics import (
    absence,
    by_age,
    by_ethnicity,
    by_seniority,
    by_sex,
    caseload_distribution,
    disclosed_characteristic,
    leavers_by_destination,
    leavers_by_reason,
    starters_by_origin,
)
from .from_staff import staff_measures, staff_return
from .generate import write_return
from .measures import census_measures, return_measures
from .read import CensusReturn, read_return, read_returns, returns_in_data_folder, returns_of
from .reconciliation import reconcile

__all__ = [
    "CensusReturn",
    "absence",
    "by_age",
    "by_ethnicity",
    "by_seniority",
    "by_sex",
    "caseload_distribution",
    "census_measures",
    "disclosed_characteristic",
    "leavers_by_destination",
    "leavers_by_reason",
    "read_return",
    "read_returns",
    "reconcile",
    "return_measures",
    "returns_in_data_folder",
    "returns_of",
    "staff_measures",
    "staff_return",
    "starters_by_origin",
    "write_return",
]
