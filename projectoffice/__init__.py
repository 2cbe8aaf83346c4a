"""Project Office: a self-hosted PMO for a portfolio of projects."""

__version__ = "0.1.0"
