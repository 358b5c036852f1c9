"""Stage 6: hand the model to HiGHS and return a status, never a raw exception."""
