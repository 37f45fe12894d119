"""reconcile: a traceable ledger of disagreeing casualty figures."""

__version__ = "0.1.0"
