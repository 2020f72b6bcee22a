"""News from the government list, for the features above it (govlist cannot import them; they subscribe).

`govlist_changed` is sent after every committed change of the list, its bundles or its aliases, with the app as
sender and `actor` and `reason` as keyword arguments. Review subscribes (re-validate the editions in force); the
list kept in each worker is dropped at once (the revision moved in the change's own transaction, so other workers
see it too). Blinker, as Flask's own signals.
"""

from __future__ import annotations

from blinker import Namespace

signals = Namespace()
govlist_changed = signals.signal("govlist-changed", doc="The government list changed (after commit): actor, reason.")
