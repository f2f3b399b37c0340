"""API tokens: issued on sign-in, stored only as a hash, expiring, revocable."""

import datetime as dt

from knox.models import AuthToken


def token_issue(*, user) -> tuple[str, dt.datetime]:
    """A new token for `user` and when it expires (`API_TOKEN_HOURS` after now). Only its hash is kept."""
    instance, token = AuthToken.objects.create(user=user)
    return token, instance.expiry


def token_revoke(*, token: AuthToken) -> None:
    """The token stops working at once."""
    token.delete()
