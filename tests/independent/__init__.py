"""Independent test oracles for secure-sourcing.

Nothing in this package imports the product (`model`) or Pyomo: it reads the
workbook with openpyxl, states the mathematics of docs/model.md as plain
arrays and solves them with highspy, so that agreement with the product is
evidence rather than an echo.

    reference_model   contract-v1 workbook -> (status, objective), by hand
    random_workbooks  seeded random workbooks that use every contract feature
    orlib             OR-Library capacitated warehouse files -> workbooks
"""
