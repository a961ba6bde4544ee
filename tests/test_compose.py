"""docker-compose.yml describes the production deployment of DESIGN §2 (read, not run, here)."""

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def mounts_of(service: dict) -> dict[str, str]:
    """{target path: source} of a service's volumes in short syntax."""
    return {m.split(":")[1]: m.split(":")[0] for m in service.get("volumes", [])}


def test_every_part_of_the_deployment_is_a_service(services):
    assert set(services) == {"web", "worker", "beat", "db", "redis", "proxy", "mailpit"}


def test_web_migrates_then_runs_gunicorn(services):
    assert command_of(services["web"]) == "deploy/entrypoint.sh"
    entrypoint = (REPO / "deploy" / "entrypoint.sh").read_text()
    lines = [line.strip() for line in entrypoint.splitlines()]
    migrate = lines.index("python manage.py migrate --noinput")
    gunicorn = next(i for i, line in enumerate(lines) if line.startswith("exec gunicorn"))
    assert migrate < gunicorn
    assert "socialgov.wsgi" in lines[gunicorn]


def test_worker_and_beat_run_celery(services):
    assert command_of(services["worker"]).startswith("celery -A socialgov worker")
    beat = command_of(services["beat"])
    assert beat.startswith("celery -A socialgov beat")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


@pytest.mark.parametrize("name", APP_SERVICES)
def test_application_services_share_one_production_environment(services, name):
    service = services[name]
    environment = service["environment"]
    assert environment["DJANGO_ENV"] == "production"
    assert environment["DATABASE_URL"].startswith("postgres://socialgov:")
    assert environment["DATABASE_URL"].endswith("@db:5432/socialgov")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert service["env_file"] == ".env"
    assert service["image"] == "socialgov:latest"


def test_web_db_and_redis_have_health_checks(services):
    assert "deploy/healthcheck.py" in services["web"]["healthcheck"]["test"]
    assert "pg_isready" in services["db"]["healthcheck"]["test"]
    assert "ping" in services["redis"]["healthcheck"]["test"]


def test_services_wait_for_healthy_dependencies(services):
    def waits_for(name):
        return {dep: cond["condition"] for dep, cond in services[name]["depends_on"].items()}

    assert waits_for("web") == {"db": "service_healthy", "redis": "service_healthy"}
    # web applies the migrations, so the Celery processes start after it is healthy.
    assert waits_for("worker") == {"web": "service_healthy", "redis": "service_healthy"}
    assert waits_for("beat") == {"web": "service_healthy", "redis": "service_healthy"}
    assert waits_for("proxy") == {"web": "service_healthy"}


def test_database_keeps_its_data_in_a_named_volume(compose, services):
    source = mounts_of(services["db"])["/var/lib/postgresql/data"]
    assert source in compose["volumes"]
    assert services["db"]["image"].startswith("postgres:16")


def test_private_uploads_are_one_volume_shared_by_web_and_worker(compose, services):
    root = services["web"]["environment"]["PRIVATE_MEDIA_ROOT"]
    assert services["worker"]["environment"]["PRIVATE_MEDIA_ROOT"] == root
    web_source = mounts_of(services["web"])[root]
    assert web_source == mounts_of(services["worker"])[root]
    assert web_source in compose["volumes"]  # a named volume, not a path inside one container


def test_proxy_terminates_tls_and_forwards_to_web(compose, services):
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:")
    published = {port.split(":")[0] for port in proxy["ports"]}
    assert {"80", "443"} <= published
    assert mounts_of(proxy)["/etc/caddy/Caddyfile"] == "./deploy/Caddyfile"
    assert mounts_of(proxy)["/data"] in compose["volumes"]  # certificates survive restarts
    caddyfile = (REPO / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert "header_up X-Forwarded-Proto {scheme}" in caddyfile


def test_mail_catcher_runs_only_in_the_dev_profile(services):
    assert services["mailpit"]["profiles"] == ["dev"]
    assert [name for name, s in services.items() if "profiles" in s] == ["mailpit"]


def test_image_runs_as_an_unprivileged_user_with_static_files_collected():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.MULTILINE)
    assert "collectstatic --noinput" in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0"):  # WeasyPrint
        assert library in dockerfile
