"""The demo's official accounts: two live accounts, a request waiting, posts in every state and
an open takedown; through the real services; idempotent."""

import io

import pytest
from django.core.management import call_command

from accounts_registry.models import AccountRequest, OfficialAccount, Post, PostStatus, TakedownTask

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_the_accounts_once():
    for _ in range(2):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
    assert "Demo official accounts are already in place." in out.getvalue()
    assert OfficialAccount.objects.filter(status="live").count() == 2
    assert AccountRequest.objects.filter(status="submitted").count() == 1
    states = set(Post.objects.values_list("status", flat=True))
    assert states >= {
        PostStatus.DRAFT,
        PostStatus.SUBMITTED,
        PostStatus.AGREED,
        PostStatus.CHANGES_NEEDED,
        PostStatus.APPROVED,
        PostStatus.PUBLISHED,
        PostStatus.REJECTED,
    }
    assert TakedownTask.objects.filter(closed_at__isnull=True).count() == 1
