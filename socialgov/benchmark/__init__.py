"""The trust-scale benchmark (`./scripts/benchmark`, README "Benchmark").

- `registry.py`: what apps contribute (data generators, pages, PDFs, imports, jobs) — read it
  to add yours;
- `settings.py`, `urls.py`, `reference.py`: the benchmark's own settings, which alone serve the
  two reference pages (a bare 100-row page and the admin changelist of the same rows);
- `run.py`: the command itself (a throw-away database, gunicorn, wrk, the report).
"""
