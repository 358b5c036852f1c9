"""Stages 3-4: apply a scenario to the tables, then prepare the model data."""
