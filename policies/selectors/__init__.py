"""Reads of policies, split by sub-domain; import from here (`from policies import selectors`).

- versions.py: the published version and which signatures are valid for it
- coverage.py: who must sign, who has, "policies for me to sign"
- reviews.py: reviews due and overdue
- pages.py: the policy list and a policy's versions (managing policies)
"""

from policies.selectors.coverage import *  # noqa: F403
from policies.selectors.pages import *  # noqa: F403
from policies.selectors.reviews import *  # noqa: F403
from policies.selectors.versions import *  # noqa: F403
