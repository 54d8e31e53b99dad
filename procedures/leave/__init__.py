"""Leave (请假): types and balances, counting in working days, the checks a request must pass,
who is out, and the monthly attendance report (regulations.md §1)."""
