"""Helpers shared by the signing and coverage tests (engineer B's)."""

import hashlib
import re

from policies import services

POLICY_TEXT_ON_SIGNING_PAGE = re.compile(
    r'id="policy-text">(?P<html>.*?)</div><!-- /policy-text -->', re.DOTALL
)
POLICY_TEXT_ON_READING_PAGE = re.compile(
    r'<article class="policy-text[^"]*">(?P<html>.*?)</article>', re.DOTALL
)


def page_text_sha256(response, pattern=POLICY_TEXT_ON_SIGNING_PAGE) -> str:
    """SHA-256 of the policy text exactly as the page served it."""
    match = pattern.search(response.content.decode("utf-8"))
    assert match, "the page has no policy text block"
    return hashlib.sha256(match.group("html").encode("utf-8")).hexdigest()


def sign(version, person, **extra):
    return services.signature_create(
        version=version, signer=person, typed_name=person.full_name, agreed=True, **extra
    )
