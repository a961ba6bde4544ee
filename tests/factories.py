"""factory_boy factories. Related objects stay in the same school as the object they belong to."""

import factory

from socialgov.people.models import Membership, MembershipRole, School, Trust, TrustMembership, User
from socialgov.people.roles import StaffGroup

TEST_PASSWORD = "correct-horse-battery-staple"


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    name = factory.Sequence(lambda n: f"Test Learning Trust {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    trust = factory.SubFactory(TrustFactory)
    name = factory.Sequence(lambda n: f"Test School {n}")
    urn = factory.Sequence(lambda n: f"{100000 + n:06d}")
    address = "1 Test Road\nTesttown\nTT1 1TT"
    email_domains = factory.LazyAttribute(lambda o: f"school{o.urn}.example.org.uk")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org.uk")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    staff_group = StaffGroup.TEACHER

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for role in extracted or []:
            MembershipRole.objects.create(membership=obj, role=role)


class TrustMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrustMembership

    user = factory.SubFactory(UserFactory)
    trust = factory.SubFactory(TrustFactory)
    role = "trust_executive"


def person_in(school, *roles, full_name=None, group=StaffGroup.TEACHER, **user_fields) -> User:
    """A user with a current membership of `school` holding `roles`."""
    if full_name:
        user_fields["full_name"] = full_name
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, school=school, staff_group=group, roles=list(roles))
    return user
