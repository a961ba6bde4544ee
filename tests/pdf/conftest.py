import shutil
import subprocess
from pathlib import Path

import pytest

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def pdf_test_templates(settings):
    """Templates used only by these tests (they extend the real pdf/base.html)."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}
    ]


def poppler(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    """Run a poppler-utils tool on PDF bytes and return its output (skips when it is missing)."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed; CI installs it")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path)]
    if tool == "pdftotext":
        command.append("-")
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout
