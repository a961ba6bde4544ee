"""Helpers for the report tests: a period around today, and the report's URLs for it."""

from __future__ import annotations

import datetime as dt
import subprocess

from django.urls import reverse
from django.utils import timezone


def recent_range(days: int = 30) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "period": "range",
        "starts_on": (today - dt.timedelta(days=days)).isoformat(),
        "ends_on": today.isoformat(),
    }


def report_url(school, name: str = "governors_report") -> str:
    return reverse(name, args=[school.pk])


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
