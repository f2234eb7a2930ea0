"""What the API's schema fuzzing ran, printed at the end of the run without ``-s``."""

from __future__ import annotations

#: Requests sent, and the (operation, caller) pairs they covered.
FUZZ_REQUESTS: list[int] = [0]
FUZZ_OPERATIONS: set[tuple[str, str]] = set()
#: The checks each answer went through (names, filled in by the test module).
FUZZ_CHECKS: list[str] = []


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if FUZZ_REQUESTS[0]:
        operations = len({operation for operation, _caller in FUZZ_OPERATIONS})
        terminalreporter.write_sep(
            "-",
            f"API schema fuzzing: {FUZZ_REQUESTS[0]} requests over {operations} operations, "
            f"anonymous and with a token; checks: {', '.join(FUZZ_CHECKS)}",
        )
