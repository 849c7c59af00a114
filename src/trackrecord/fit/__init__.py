"""Trend models: the PyMC fits of every curve family (compiled once, sampled with nutpie), their
comparison by LOO and stacking, leave-future-out backtests, projections, and a fast statsmodels
baseline.

PyMC is imported lazily by the modules that need it, so `trackrecord check` and `build` stay fast.
"""
