"""Run by test_sign_in_during_import.py in a process of its own, on a database file (or server)
shared with the test: a staff import of 2,000 rows in one thread while someone signs in from
another. Prints one JSON line: how the sign-in went and how long each took."""

import json
import os
import sys
import threading
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
    django.setup()
    from django.db import connections
    from django.test import Client

    from socialgov.people import staff_import
    from socialgov.people.models import School, User

    school = School.objects.get(pk=int(sys.argv[1]))
    actor = User.objects.get(email=sys.argv[2])
    signer, password = sys.argv[3], sys.argv[4]
    lines = ["name,email,staff group,roles"]
    lines += [f"Person {n},p{n}@willow.test,Teacher,Staff" for n in range(2000)]
    content = ("\n".join(lines) + "\n").encode()
    started = threading.Event()
    result: dict = {}

    def run_import() -> None:
        began = time.perf_counter()
        preview = staff_import.staff_import_preview(school=school, actor=actor, csv_bytes=content)
        started.set()
        staff_import.staff_import_apply(school=school, actor=actor, preview=preview)
        result["import_seconds"] = time.perf_counter() - began
        connections.close_all()

    def sign_in() -> None:
        started.wait(60)
        time.sleep(0.3)  # the import is writing by now
        began = time.perf_counter()
        try:
            response = Client().post("/accounts/login/", {"username": signer, "password": password})
            result["status"] = response.status_code
            result["location"] = response.get("Location", "")
        except Exception as error:  # the test reports it (e.g. "database is locked")
            result["error"] = f"{type(error).__name__}: {error}"
        result["sign_in_seconds"] = time.perf_counter() - began
        result["import_running"] = "import_seconds" not in result
        connections.close_all()

    threads = [threading.Thread(target=run_import), threading.Thread(target=sign_in)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    result["members"] = school.memberships.count()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
