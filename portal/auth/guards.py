"""Route guards: roles are enforced on the server, for every request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

from portal.auth.models import BUREAU_ROLES, Role

P = ParamSpec("P")
R = TypeVar("R")


def role_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Signed-in users with one of `roles` only; others get 403, anonymous users the sign-in page."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @login_required
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


operator_required = role_required(Role.OPERATOR)
bureau_required = role_required(*sorted(BUREAU_ROLES))
admin_required = role_required(Role.ADMIN)
