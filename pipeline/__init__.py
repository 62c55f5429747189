"""Inspection steps for ICP filing materials.

Pure functions and small classes over bytes, arrays and dataclasses: nothing here
imports Flask, SQLAlchemy or RQ, reads the environment, or loads a model at import
time. Workers call into this package; it never calls back.
"""

# Bump when a check, threshold or model changes what an inspection can find:
# stored material results are keyed by (sha256, kind, PIPELINE_VERSION).
PIPELINE_VERSION = "2026.12.04"  # fixed width: versions compare as strings
