"""Workforce Workbench: children's social care workforce planning for UK councils.

Load an authority's contract CSVs with :func:`load_dataset`, then call the analysis modules
(:mod:`workforce_lib.vacancy`, ...). Nothing heavy is imported here beyond the data layer.
"""

from .data import Dataset, load_dataset
from .errors import AnalysisError, DataError, MissingFileError, NotAvailableError, PackError, WorkbenchError

__version__ = "0.1.0"

__all__ = [
    "AnalysisError",
    "DataError",
    "Dataset",
    "MissingFileError",
    "NotAvailableError",
    "PackError",
    "WorkbenchError",
    "load_dataset",
    "__version__",
]
