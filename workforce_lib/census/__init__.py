"""DfE's children's social work workforce census (CSWW): read returns, check them, compute DfE's measures.

returns = read_returns(["returns/"])        # every problem at once, as a DataError
table = census_measures(returns)            # one row per authority and year, DfE's columns
"""

from .generate import write_return
from .measures import census_measures, return_measures
from .read import CensusReturn, read_return, read_returns

__all__ = ["CensusReturn", "census_measures", "read_return", "read_returns", "return_measures", "write_return"]
