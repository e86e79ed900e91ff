"""Workforce Workbench: children's social care workforce planning for UK councils.

Load an authority's contract CSVs with :func:`load_dataset`, then call the analysis modules
(:mod:`workforce_lib.vacancy`, ...). Nothing heavy is imported here beyond the data layer.
"""

from .data import DataError, Dataset, MissingFileError, load_dataset

__version__ = "0.1.0"

__all__ = ["DataError", "Dataset", "MissingFileError", "load_dataset", "__version__"]
