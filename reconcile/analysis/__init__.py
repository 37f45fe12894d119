"""Analyses of a ledger: plain functions that return frozen result models.

They never print; `reconcile/views.py` turns their results into tables and
`reconcile/render.py` draws them.  docs/reports.md explains, for journalists,
how each report is computed.
"""
