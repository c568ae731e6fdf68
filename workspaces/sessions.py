"""Session lifetimes: when a session began and when it was last used, kept
in the session itself; workbench.middleware.SessionTimeoutMiddleware ends a
session idle for SESSION_IDLE_SECONDS or older than SESSION_MAX_AGE."""

from __future__ import annotations

import time

STARTED, SEEN = "_session_started_at", "_session_seen_at"


def stamp_session_on_login(sender, request=None, user=None, **kwargs):
    """Receiver of user_logged_in: the session's clock starts at sign-in."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED] = now
        request.session[SEEN] = now
