"""Writes to policies, split by sub-domain; import from here (`from policies import services`).

- versions.py: policy_create, the version life cycle, ratification, signature_create
- signing.py: signature PDFs, chasers, bulk export (signing and coverage)
- content.py: Word import, templates and adoption
- reviews.py: review records and review requests
"""

from policies.services.content import *  # noqa: F403
from policies.services.reviews import *  # noqa: F403
from policies.services.signing import *  # noqa: F403
from policies.services.versions import *  # noqa: F403
