"""Incident report pages, split by what they are for: lists.py (report, list, my reports),
incident.py (one incident, its history, evidence and PDF), steps.py (handling steps)."""
