"""Independent test oracles for secure-sourcing.

Nothing in this package imports the product (`model`) or Pyomo: it reads the
workbook with openpyxl, states the mathematics of docs/model.md as plain
arrays and solves them with highspy, so that agreement with the product is
evidence rather than an echo.

    reference_model   contract-v1 workbook -> (status, objective), by hand; and a
                      product report's plan checked inside it (check_report)
    reference_v11     the same for contract v1.1 (rules that follow the material)
    random_workbooks  seeded random workbooks that use every contract feature,
                      whose demand the network can mostly meet
    orlib             OR-Library capacitated warehouse files -> workbooks
"""
