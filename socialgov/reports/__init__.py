"""Governors' review reports and the trust roll-up (DESIGN §5 "Reports"): governor-safe figures
drawn from live data, as an HTML page and a PDF with server-drawn SVG charts.

Each app registers its section in `REPORT_SECTIONS` (socialgov.reports.registry) from its
`AppConfig.ready()`; the core renders whatever is registered and never names an app.
"""
