"""Issue 9, item 11: the sign-in code page shows no menu until the code is entered (every page
it would link to only sends the person back); signing out stays."""

from django.urls import reverse

from tests.twofactor.helpers import authenticator_for, code_for, password_sign_in

VERIFY = reverse("twofactor_verify")
MENU = 'id="main-menu"'


def test_the_code_page_has_no_menu_but_can_sign_out(client, dsl):
    authenticator_for(dsl)
    password_sign_in(client, dsl)
    page = client.get(VERIFY).content.decode()
    assert "Enter your sign-in code" in page
    assert MENU not in page
    assert reverse("policy_list") not in page and reverse("notification_list") not in page
    assert f'action="{reverse("logout")}"' in page


def test_after_the_code_the_menu_is_back(client, dsl):
    device = authenticator_for(dsl)
    password_sign_in(client, dsl)
    client.post(VERIFY, {"code": code_for(device)})
    assert MENU in client.get(reverse("dashboard")).content.decode()


def test_setting_up_two_factor_at_first_sign_in_has_no_menu(client_for, headteacher):
    page = client_for(headteacher, verified=False).get(reverse("twofactor_enrol"))
    assert page.status_code == 200
    assert MENU not in page.content.decode()
