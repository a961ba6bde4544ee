"""The shared concurrent-POST helper (tests/concurrency.py) really races: two signatures of the
same version at the same moment give one signature and no error."""

import pytest
from django.urls import reverse

from tests.concurrency import post_concurrently

pytestmark = pytest.mark.integration


def test_two_identical_signing_posts_at_once_give_one_signature(
    transactional_db, client_for, school, headteacher, staff
):
    from policies.models import Signature
    from tests.policies.factories import policy_for, published_version_for

    version = published_version_for(policy_for(school, headteacher, title="AUP"), headteacher)
    responses = post_concurrently(
        client_for(staff),
        reverse("version_sign", kwargs={"pk": version.pk}),
        {"agreed": "on", "typed_name": staff.full_name},
        times=3,
    )
    assert sorted(r.status_code for r in responses) in ([200, 302, 302], [302, 302, 302])
    assert Signature.objects.filter(version=version, signer=staff).count() == 1
