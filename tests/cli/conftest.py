"""The office and enrolled-laptop fixtures of the sync tests, for CLI tests that need both roles."""

from tests.sync.conftest import laptop, office  # noqa: F401  # pytest registers imported fixtures
