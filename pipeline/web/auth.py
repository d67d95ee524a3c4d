"""Passwords, login throttling and CSRF tokens.

Passwords are hashed with Argon2id (argon2-cffi, its default parameters). Failed logins are
counted per account and per client address in memory: the app runs as one process, and a
restart forgetting the counts costs an attacker a restart, not the lock.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verifying against this when the account does not exist keeps a login's timing the same.
_DUMMY_HASH = _hasher.hash("not a password of anyone")

MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


class LoginThrottle:
    """At most `per_account` failures per account and `per_client` per address in `window`
    seconds; past that, logins are refused until the oldest failure leaves the window."""

    def __init__(self, per_account: int = 5, per_client: int = 20, window: float = 900.0) -> None:
        self.per_account = per_account
        self.per_client = per_client
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and q[0] < now - self.window:
            q.popleft()
        return q

    def blocked(self, account: str, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return (len(self._recent("a:" + account.lower(), now)) >= self.per_account
                    or len(self._recent("c:" + client, now)) >= self.per_client)

    def failed(self, account: str, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent("a:" + account.lower(), now).append(now)
            self._recent("c:" + client, now).append(now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop("a:" + account.lower(), None)
