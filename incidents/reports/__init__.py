"""Online-safety incident reports: routing, handling, the chronology (issue 13)."""
