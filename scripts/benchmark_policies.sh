#!/bin/sh
# Signing and coverage at full size (DESIGN §6): the coverage page for 800 staff (median of 7),
# one signed PDF, and the zip of 300 stored signed PDFs. Runs on a throw-away test database and
# storage folder; prints "BENCHMARK …" lines and fails if a target is missed.
set -eu
cd "$(dirname "$0")/.."
SOCIALGOV_BENCHMARK=1 .venv/bin/python -m pytest -q -s -p no:cacheprovider \
    tests/policies/test_performance.py "$@" | grep -E "BENCHMARK|passed|failed"
