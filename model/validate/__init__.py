"""Stage 2: check the meaning of the typed tables (types are checked while reading)."""
from model.validate.rules import validate  # noqa: F401
