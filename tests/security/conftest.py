import pytest

from .support import COUNTS, build_world


@pytest.fixture
def world(seeded):
    """The seed article plus a logged-in client for every role (CSRF not enforced)."""
    return build_world(seeded)


@pytest.fixture
def csrf_world(seeded):
    """The same, with clients that enforce CSRF checks like a browser's server would."""
    return build_world(seeded, enforce_csrf_checks=True)


def pytest_terminal_summary(terminalreporter):
    if not COUNTS:
        return
    parts = ", ".join(
        f"{name} {COUNTS[name]:,}" for name in sorted(COUNTS) if name != "server_errors"
    )
    total = sum(v for k, v in COUNTS.items() if k != "server_errors")
    terminalreporter.write_sep("-", "security requests")
    terminalreporter.write_line(
        f"requests sent: {total:,} ({parts}); 500s: {COUNTS['server_errors']}"
    )
