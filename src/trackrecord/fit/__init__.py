"""Trend models: curve families, a fast statsmodels/SciPy baseline, and (to come) the PyMC fits.

PyMC is imported lazily by the modules that need it, so `trackrecord check` and `build` stay fast.
"""
