"""The exact shape of every identifier a bundle carries, checked before an id is used for anything.

Ids are made where a record is created (`uuid.uuid4()`, lower-case text), photos are named by the
SHA-256 of their bytes. Nothing else may reach a query, a file name or a path.
"""

from __future__ import annotations

import re

UUID_PATTERN = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SHA256_PATTERN = r"[0-9a-f]{64}"
_UUID = re.compile(UUID_PATTERN)
_SHA256 = re.compile(SHA256_PATTERN)


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None
