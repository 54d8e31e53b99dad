"""Rectification notices (整改通知, 004 §3.4, 003 §3.2): the route is policy; this package adds
the checks on a notice, the record of each re-inspection, and the monthly digest."""
