"""Importers turn upstream datasets of predictions into claim and predictor records."""
