"""The supplier search's request mix, and how the benches time it: over HTTP against the portal
under gunicorn (as production runs it), and the same bodies sent straight to the engine.
Shared by bench/search.py and bench/scale.py."""

from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from elasticsearch_dsl import Search

from portal.enterprises.search_indexes import SUPPLIERS
from portal.enterprises.supplier_search import supplier_search
from search import engine

from . import ROOT

TERMS = [
    "北斗",
    "北斗导航",
    "导航终端",
    "石墨烯",
    "稀土",
    "稀土永磁",
    "无人机",
    "机器人",
    "工业机器人",
    "数控机床",
    "新材料",
    "复合材料",
    "铝合金",
    "锂电池",
    "新能源汽车",
    "动力电池",
    "医疗器械",
    "生物医药",
    "信息安全",
    "大数据",
    "物联网",
    "集成电路",
    "精密铸造",
    "船舶",
    "工程机械",
    "GJB 9001C",
    "高精度定位",
    "雷达",
    "通信设备",
    "节能环保",
    "激光",
    "传感器",
    "碳纤维",
    "BDS",
]
REGIONS = ["450100", "450200", "450300", "450500", "450600", "450700", "451400", "450103"]
QUALIFICATIONS = ["gjb9001c", "high_tech", "iso9001", "secrecy", "weapons_license"]


def query_mix(count: int = 200) -> list[dict[str, list[str] | str]]:
    rng = random.Random(2026)
    mix = []
    for number in range(count):
        params: dict[str, list[str] | str] = {"q": rng.choice(TERMS) if number % 10 else ""}
        if number % 3 == 0:
            params["region"] = [rng.choice(REGIONS)]
        if number % 4 == 0:
            params["qualification"] = [rng.choice(QUALIFICATIONS)]
        mix.append(params)
    return mix


def serve() -> tuple[subprocess.Popen, int]:
    """The portal under gunicorn, as production runs it (docker/Dockerfile): the API is timed
    through a real HTTP server (which, like production, sets TCP_NODELAY), not in-process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 — a fixed command line
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


def cold_request_cache() -> None:
    """Empty the engine's request cache before a timed round, API or raw alike. The facet
    counts' requests are cacheable: without this the raw rounds, run after the API's, read
    counts the API's rounds had the engine compute, and the API was compared with a cache."""
    engine.client().indices.clear_cache(index=SUPPLIERS.alias, request=True)


def api_latencies(port: int, mix) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for params in mix:
        url = "/api/v1/suppliers/?" + urllib.parse.urlencode(params, doseq=True)
        started = time.perf_counter()
        connection.request("GET", url, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}: {body[:200]!r}")
    return times


def paired_latencies(port: int, mix, bodies) -> tuple[list[float], list[float]]:
    """Per query, the API over HTTP and then the same bodies raw, each from an empty request
    cache: the two see the engine in the same state (a block of API rounds before a block of
    raw ones would count the engine's drift between them, as its JIT warms or a merge runs,
    as the service's cost)."""
    api: list[float] = []
    raw: list[float] = []
    for params, query_bodies in zip(mix, bodies, strict=True):
        cold_request_cache()
        api += api_latencies(port, [params])
        cold_request_cache()
        raw += raw_latencies([query_bodies])
    return api, raw


def captured_bodies(mix) -> list[list[dict | list[dict]]]:
    """The exact requests the service sends for each query of the mix (captured, not rebuilt
    by hand), in order: a body, or a list of bodies sent together (hits and facet counts); a
    short list adds its partial matches."""
    bodies: list[list[dict | list[dict]]] = []
    real_search, real_msearch = engine.search, engine.msearch

    def capture(s: Search):
        bodies[-1].append(s.to_dict())
        return real_search(s)

    def capture_many(searches: list[Search]):
        bodies[-1].append([s.to_dict() for s in searches])
        return real_msearch(searches)

    engine.search, engine.msearch = capture, capture_many
    try:
        for params in mix:
            bodies.append([])
            filters = {k: v for k, v in params.items() if k != "q"}
            supplier_search(AnonymousUser(), params["q"], filters)
    finally:
        engine.search, engine.msearch = real_search, real_msearch
    return bodies


def raw_latencies(bodies: list[list[dict | list[dict]]]) -> list[float]:
    """Per query, the time the engine alone takes to answer all of its requests in turn."""
    times = []
    for query_bodies in bodies:
        started = time.perf_counter()
        for body in query_bodies:
            if isinstance(body, list):
                engine.raw_msearch(SUPPLIERS.alias, body)
            else:
                engine.raw_search(SUPPLIERS.alias, body)
        times.append((time.perf_counter() - started) * 1000)
    return times
