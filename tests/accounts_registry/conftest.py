"""The accounts tests' cast: the `school` fixtures' people, the school's published and signed
official-accounts AUP, and an approved account run by `staff` and `colleague`."""

import pytest

from tests.accounts_registry.factories import account_for, accounts_aup, granted_pupil, sign_aup


@pytest.fixture
def aup(school, headteacher):
    return accounts_aup(school, headteacher)


@pytest.fixture
def account(school, headteacher, staff, colleague, aup):
    account = account_for(school, headteacher, [staff, colleague])
    sign_aup(aup, staff, colleague)
    return account


@pytest.fixture
def pupils(school, office):
    return [
        granted_pupil(school, office, legal_forename=name, legal_surname=surname)
        for name, surname in (("Amy", "Archer"), ("Ben", "Baker"), ("Cara", "Cole"))
    ]
