"""One module per CLI command: argument handling around ``model.run``."""
