"""Manpower model by grade (issue 18): grades as data, rates from the council's own history,
Markov projections (push, pull, Monte Carlo), an LP optimiser, and what-if scenarios.

Modules, one idea each: :mod:`bands` (service bands), :mod:`grades` (the ladder and title
mapping), :mod:`history` (careers and person-years from staff.csv), :mod:`estimate` (rates with
exact intervals), :mod:`rates` (the model's probabilities), :mod:`inputs` (plan tables checked),
:mod:`project` (projections), :mod:`optimise` (the linear programme), :mod:`scenario` (sliders).
See docs/manpower.md.
"""
