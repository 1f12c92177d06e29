"""Small-cell suppression lives in ``silta.core.suppression``: a pure function that every
app publishing counts (integration, work ability, IPS, groups) uses, so it sits below
them all and none of them imports the reporting app above it. This old name is the same
module object (not a copy), so a setting changed through either name is one setting."""

import sys
from typing import TYPE_CHECKING

from silta.core import suppression as _core_suppression

if TYPE_CHECKING:
    from silta.core.suppression import *  # noqa: F403

sys.modules[__name__] = _core_suppression
