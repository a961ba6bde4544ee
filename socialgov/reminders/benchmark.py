"""The benchmark's reminder sweep (socialgov.benchmark.registry): the daily job over the trust."""

from socialgov.benchmark.registry import JOBS, Bench, JobCase
from socialgov.dates import today


def run_daily_sweep(bench: Bench) -> str:
    from socialgov.reminders.services import ReminderCounts, reminders_send_due

    total = ReminderCounts()
    for counts in reminders_send_due(on=today()).values():
        total += counts
    return f"{total.due:,} due, {total.sent:,} sent"


JOBS.register(JobCase(name="daily reminder sweep", run=run_daily_sweep, goal_seconds=None))
