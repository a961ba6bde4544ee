"""Blocked-content requests, the filtering check log and the yearly filtering and monitoring
review (issue 14)."""
