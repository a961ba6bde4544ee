"""Everything official accounts add to the core and to consent, registered from
AccountsRegistryConfig.ready(): the menu, consent's withdrawal listener (takedowns), the leaver
listener (flags on accounts), the people who must sign the official-accounts AUP (policies), and
the gateways notifications and the access log use."""

from __future__ import annotations


def register() -> None:
    from accounts_registry import access
    from accounts_registry.demo import seed_accounts_line
    from accounts_registry.models import AccountRequest, OfficialAccount, Post, TakedownTask
    from accounts_registry.needs_me import PANELS as ACCOUNT_PANELS
    from accounts_registry.reminders import KINDS
    from accounts_registry.selectors import (
        OFFICIAL_ACCOUNTS_AUP,
        account_people_of_own_school_q,
        account_people_q,
    )
    from accounts_registry.services import on_membership_change, on_withdrawal
    from accounts_registry.services.takedowns import LISTENER_NAME
    from consent.listeners import WITHDRAWAL_LISTENERS, WithdrawalListener
    from policies.rules import SIGNERS_BESIDES, SignersBesides
    from socialgov.demo import DEMO_SEEDERS, DemoSeeder
    from socialgov.navigation import MENU, NavItem
    from socialgov.needs_me import PANELS
    from socialgov.notifications import registry as notifications_registry
    from socialgov.people.leavers import LEAVER_LISTENERS, LeaverListener
    from socialgov.reminders import registry as reminders_registry
    from socialgov.reminders.schedule import SCHEDULED_JOBS, ScheduledJob

    MENU.register(
        NavItem(
            "official_accounts",
            "Official accounts",
            "accounts_home",
            "megaphone",
            roles=access.STAFF_ROLES,
            order=400,
        )
    )
    DEMO_SEEDERS.register(DemoSeeder("accounts_registry", seed_accounts_line, order=400))
    for panel in ACCOUNT_PANELS:
        PANELS.register(panel)
    for kind in KINDS:
        reminders_registry.register(kind)
    WITHDRAWAL_LISTENERS.register(WithdrawalListener(LISTENER_NAME, on_withdrawal))
    SIGNERS_BESIDES.register(
        SignersBesides(
            "accounts_registry.account_people",
            OFFICIAL_ACCOUNTS_AUP,
            account_people_q,
            account_people_of_own_school_q,
        )
    )
    LEAVER_LISTENERS.register(
        LeaverListener("accounts_registry.flag_people", on_membership_change, order=400)
    )
    notifications_registry.register_gateway(AccountRequest, access.request_visible_to)
    notifications_registry.register_gateway(OfficialAccount, access.account_visible_to)
    notifications_registry.register_gateway(Post, access.post_visible_to)
    notifications_registry.register_gateway(TakedownTask, access.takedown_visible_to)
    SCHEDULED_JOBS.register(
        ScheduledJob(
            name="Takedown sweep",
            task="accounts_registry.tasks.takedowns_sweep",
            at={"minute": "0", "hour": "6"},
            description=(
                "Re-checks every published post on an official account against current image "
                "consent (expiry, re-confirmation) and creates the takedown tasks still missing "
                "(also `manage.py sweep_takedowns`)."
            ),
        )
    )
    # The governors' report and the trust roll-up (accounts_registry.governors).
    from accounts_registry.governors import ACCOUNTS_SECTION
    from socialgov.reports.registry import REPORT_SECTIONS

    REPORT_SECTIONS.register(ACCOUNTS_SECTION)
