"""What-ifs at the speed of thought: a warm re-solve session, stress tests,
scenario comparison and batch execution (serial, processes or Dask)."""
