"""Rendering: the one layer that turns results into text and images, and the only
importer of rich and matplotlib (ruff's banned-api rule and import-linter enforce it).
One module per job: issues, tables, chart (terminal), image."""
