"""Reads of policies, split by sub-domain; import from here (`from policies import selectors`).

- versions.py: the published version and which signatures are valid for it
- coverage.py: who must sign, who has, "policies for me to sign"
- reviews.py: reviews due and overdue
"""

from policies.selectors.versions import *  # noqa: F403
