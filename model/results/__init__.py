"""Stage 7: turn solver arrays into tidy tables keyed like the input sheets."""
