"""Every environment variable the code reads is documented in .env.example and the README."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Read by docker-compose.yml or gunicorn, not by Django.
DEPLOYMENT_ONLY = {"SITE_DOMAIN", "POSTGRES_PASSWORD", "WEB_CONCURRENCY"}


def variables_read_by_the_code() -> set[str]:
    """Names passed to the typed helpers of socialgov/env.py anywhere in the code."""
    pattern = re.compile(r"\benv\.(?:text|required|flag|integer|items)\(\s*\"([A-Z][A-Z0-9_]*)\"")
    skipped = {"node_modules", "tests", "var", "staticfiles", "build"}
    packages = [
        top
        for top in REPO.iterdir()
        if top.is_dir() and not top.name.startswith(".") and top.name not in skipped
    ]
    names: set[str] = set()
    for path in [REPO / "manage.py", *(p for top in packages for p in top.glob("**/*.py"))]:
        names |= set(pattern.findall(path.read_text()))
    return names


def variables_in_env_example() -> set[str]:
    text = (REPO / ".env.example").read_text()
    return set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def test_the_code_reads_the_variables_this_test_expects():
    # Guards the scan itself: if it found nothing, the two tests below could not fail.
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= (
        variables_read_by_the_code()
    )


def test_env_example_lists_every_variable_and_no_stale_ones():
    read = variables_read_by_the_code()
    assert variables_in_env_example() - DEPLOYMENT_ONLY == read


def test_readme_configuration_table_lists_every_variable():
    readme = (REPO / "README.md").read_text()
    table_rows = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", readme, re.MULTILINE))
    assert table_rows - DEPLOYMENT_ONLY == variables_read_by_the_code()
    assert table_rows >= DEPLOYMENT_ONLY
