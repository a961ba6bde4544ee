"""Pages of blocked-content requests (requests.py) and the filtering record (records.py)."""
