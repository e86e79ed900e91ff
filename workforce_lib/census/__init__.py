"""DfE's children's social work workforce census (CSWW): read returns, check them, compute DfE's measures."""

from .read import CensusReturn, read_return, read_returns

__all__ = ["CensusReturn", "read_return", "read_returns"]
