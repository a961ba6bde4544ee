"""The incidents app's models live in its two sub-domains; Django finds them through here.

- incidents.reports.models: incident reports, people involved, the chronology
- incidents.filtering.models: blocked-content requests, filtering checks and reviews
"""
