"""Figures of the load test: every request's time kept as measured (not Locust's rounded
buckets), grouped by the name each request carries ("page: supplier search", "api: site
search"), with the errors and their first messages; the targets are judged on these."""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict

import psutil

#: The targets on a 2-core host: p95 of every page (GET and form POST) and of the search API.
PAGES_P95_MS = 300.0
API_P95_MS = 100.0


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def kind_of(name: str) -> str:
    """ "api" for the search API, "static" for CSS and scripts, "page" for the rest."""
    return (
        name.split(":", 1)[0]
        if name.startswith("api:")
        else ("static" if name == "static" else "page")
    )


def cpu_seconds(pids: list[int]) -> float:
    """CPU time used so far by these processes and their children (gunicorn's workers): on a
    shared host the one figure of ours that other people's load does not inflate much."""
    total = 0.0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            for one in [process, *process.children(recursive=True)]:
                times = one.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


class Recorder:
    def __init__(self, environment, server_pids: list[int]) -> None:
        self.server_pids = server_pids
        self.cpu_before = cpu_seconds(server_pids)
        self.own_before = cpu_seconds([os.getpid()])
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[tuple[str, str]] = Counter()
        self.failed: Counter[str] = Counter()
        self.started = time.monotonic()
        environment.events.request.add_listener(self.on_request)

    def on_request(self, request_type, name, response_time, response_length, exception=None,
                   **_ignored) -> None:  # fmt: skip
        self.times[name].append(response_time)
        if exception is not None:
            self.failed[name] += 1
            self.errors[(f"{request_type} {name}", str(exception)[:200])] += 1

    def report(self, seconds: int) -> int:
        """Print the figures; 1 when any request failed (the portal misbehaved), else 0. A
        missed latency target is printed, not failed: this host's figures are noisy."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        cpu = cpu_seconds(self.server_pids) - self.cpu_before
        own = cpu_seconds([os.getpid()]) - self.own_before
        everything = [t for times in self.times.values() for t in times]
        total, errors = len(everything), sum(self.failed.values())
        print(
            f"\n  {total:,} requests in {elapsed:.0f} s: {total / elapsed:.1f} requests/s; "
            f"web processes used {cpu:.0f} s of CPU, {1000 * cpu / max(total, 1):.1f} ms "
            f"per request, {cpu / elapsed:.2f} cores (Locust itself {own / elapsed:.2f})"
        )
        print(f"  {'request':<34}{'count':>7}{'errors':>7}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}")
        for name in sorted(self.times, key=lambda n: (kind_of(n), n)):
            times = self.times[name]
            print(
                f"  {name:<34}{len(times):>7}{self.failed[name]:>7}"
                f"{percentile(times, 0.5):>8.0f}{percentile(times, 0.95):>8.0f}"
                f"{percentile(times, 0.99):>8.0f}{max(times):>8.0f}"
            )
        for (request, message), occurrences in self.errors.most_common(5):
            print(f"  error ×{occurrences}: {request}: {message}")
        pages = [t for n, ts in self.times.items() if kind_of(n) == "page" for t in ts]
        api = [t for n, ts in self.times.items() if kind_of(n) == "api" for t in ts]
        pages95, api95 = percentile(pages, 0.95), percentile(api, 0.95)
        print(
            f"  pages p95 {pages95:.0f} ms (target ≤ {PAGES_P95_MS:.0f} ms: "
            f"{'met' if pages95 <= PAGES_P95_MS else 'MISSED'}), search API p95 {api95:.0f} ms "
            f"(target ≤ {API_P95_MS:.0f} ms: {'met' if api95 <= API_P95_MS else 'MISSED'})"
        )
        print(f"load: {total} requests, {errors} errors, p95 {percentile(everything, 0.95):.0f} ms")
        return 1 if errors else 0
