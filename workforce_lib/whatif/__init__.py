"""What-if computations without widgets: each takes the levers' values and returns a
:class:`WhatIf` (a sentence, a chart and its figures). The static cells of a notebook and the
ipywidgets panels of :mod:`workforce_lib.widgets` call the same functions, so one setting of the
levers gives one value per figure wherever it is shown."""

from .result import WhatIf

__all__ = ["WhatIf"]
