"""The simulated population of the load test (Locust as a library), run by bench/load.py with
the plan it wrote: ``python bench/support/load_users.py PLAN.json``.

A separate process because Locust patches the standard library for gevent on import, which
Django's database connections in bench/load.py must not see. Each simulated user speaks to
gunicorn as the TLS-terminating proxy of production would (``X-Forwarded-Proto: https``, one
``X-Forwarded-For`` address per user, a same-site ``Referer`` on every POST), so the
production settings apply unchanged: secure cookies, HTTPS-only CSRF, per-address limits.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from datetime import datetime, timedelta
from itertools import count
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent))

from htmlforms import Form
from load_report import Recorder

PLAN = json.loads(Path(sys.argv[1]).read_text()) if __name__ == "__main__" else {}
TERMS = ["北斗", "导航终端", "石墨烯", "稀土永磁", "无人机", "工业机器人", "数控机床", "复合材料",
         "锂电池", "新能源汽车", "医疗器械", "信息安全", "物联网", "集成电路", "精密铸造",
         "雷达", "通信设备", "节能环保", "激光", "传感器", "碳纤维", "GJB 9001C"]  # fmt: skip
REGIONS = ["450100", "450200", "450300", "450500", "450600", "450700", "451400"]
QUALIFICATIONS = ["gjb9001c", "high_tech", "iso9001", "secrecy", "weapons_license"]
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')
ADDRESSES = count(1)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(2, 6)

    def on_start(self) -> None:
        n = next(ADDRESSES)
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.{n // 250}.{n % 250}.{random.randint(1, 250)}",
                "Accept-Language": "zh-CN,zh;q=0.9",
                # The proxy opens a connection to gunicorn per request (nginx's default): a
                # kept-alive one would race gunicorn's 2 s keep-alive against the think time
                # and be reset, an artefact no visitor behind the proxy sees.
                "Connection": "close",
            }
        )

    def _loopback_is_secure(self) -> None:
        """Browsers treat loopback as a secure context, and the proxy in front is the TLS end:
        the ``Secure`` session and CSRF cookies go back to 127.0.0.1 over plain HTTP here."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def page(self, url: str, name: str, expect: int = 200) -> str:
        """GET ``url``; anything but ``expect`` (a redirect to the login page above all) fails."""
        self._loopback_is_secure()
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != expect:
                where = answer.headers.get("Location", "") or answer.error or ""
                answer.failure(f"{answer.status_code} {where}".strip())
                return ""
            return answer.text

    def post(self, url: str, form: Form, name: str) -> str | None:
        """POST a form as the browser would; success is the redirect a saved form answers."""
        self._loopback_is_secure()
        referer = f"https://{self.host.split('://', 1)[1]}{url}"
        with self.client.post(
            url,
            data=form.fields,
            name=name,
            headers={"Referer": referer},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                snippet = answer.error or re.sub(r"\s+", " ", answer.text or "")[:160]
                answer.failure(f"{answer.status_code} form refused: {snippet}")
                return None
            return answer.headers["Location"]

    def login(self, username: str) -> None:
        form = Form(self.page("/accounts/login/?next=/accounts/", "page: login"))
        form.set("username", username)
        form.set("password", PLAN["password"])
        if self.post("/accounts/login/?next=/accounts/", form, "post: login") is None:
            raise RuntimeError(f"{username} could not log in")

    def static_files(self, html: str) -> None:
        """A first visit fetches the page's CSS and scripts once (then the browser caches)."""
        for path in sorted(set(STATIC.findall(html))):
            self.page(path, "static")


class Visitor(PortalUser):
    """Anonymous reader: home, notices, papers, the public supplier directory."""

    weight = 14

    def on_start(self) -> None:
        super().on_start()
        self.static_files(self.page("/", "page: home"))

    @task(3)
    def home(self) -> None:
        self.page("/", "page: home")

    @task(3)
    def notices(self) -> None:
        self.page("/notices/", "page: notice list")
        self.page(random.choice(PLAN["notices"]), "page: notice")

    @task(1)
    def papers(self) -> None:
        self.page("/papers/", "page: paper list")
        self.page(random.choice(PLAN["papers"]), "page: paper")

    @task(4)
    def suppliers(self) -> None:
        self.page(f"/suppliers/?q={random.choice(TERMS)}", "page: supplier search")

    @task(2)
    def profile(self) -> None:
        pk = random.choice(PLAN["public_enterprises"])
        self.page(f"/enterprises/{pk}/", "page: enterprise profile")


class Officer(PortalUser):
    """Procurement officer: searches with and without facets, profiles, matching, the API."""

    weight = 4
    accounts = count(1)  # load-officer-00 is the desk's

    def on_start(self) -> None:
        super().on_start()
        self.login(PLAN["officers"][next(self.accounts) % len(PLAN["officers"])])

    @task(4)
    def search(self) -> None:
        self.page(f"/suppliers/?q={random.choice(TERMS)}", "page: supplier search")

    @task(3)
    def faceted(self) -> None:
        query = (
            f"q={random.choice(TERMS)}&region={random.choice(REGIONS)}"
            f"&qualification={random.choice(QUALIFICATIONS)}"
        )
        self.page(f"/suppliers/?{query}", "page: supplier search, facets")

    @task(3)
    def profile(self) -> None:
        pk = random.choice(PLAN["vetted_enterprises"])
        self.page(f"/enterprises/{pk}/", "page: enterprise profile")

    @task(2)
    def matching(self) -> None:
        self.page(f"/matching/notices/{random.choice(PLAN['demands'])}/", "page: matching")

    @task(4)
    def api_suppliers(self) -> None:
        params = {"q": random.choice(TERMS)}
        if random.random() < 0.4:
            params["region"] = random.choice(REGIONS)
        self.page("/api/v1/suppliers/?" + urlencode(params), "api: supplier search")

    @task(2)
    def api_search(self) -> None:
        self.page(f"/api/v1/search/?q={random.choice(TERMS)}", "api: site search")


class EnterpriseOwner(PortalUser):
    """Enterprise user keeping its approved profile current through the real edit form."""

    weight = 2
    accounts = count(0)

    def on_start(self) -> None:
        super().on_start()
        username, self.enterprise = PLAN["owners"][next(self.accounts) % len(PLAN["owners"])]
        self.login(username)

    @task(2)
    def dashboard(self) -> None:
        self.page("/enterprises/dashboard/", "page: enterprise dashboard")

    @task(3)
    def edit(self) -> None:
        url = f"/enterprises/{self.enterprise}/edit/basics/"
        html = self.page(url, "page: profile edit")
        if html:
            form = Form(html)
            form.set("website", f"https://www.example-{random.randint(1, 999)}.cn")
            form.set("stay", "1")
            self.post(url, form, "post: profile edit")


class DeskPublisher(PortalUser):
    """One officer publishing a demand from the procurement desk now and then."""

    fixed_count = 1
    wait_time = between(20, 40)

    def on_start(self) -> None:
        super().on_start()
        self.login(PLAN["desk"])

    @task
    def publish(self) -> None:
        self.page("/desk/", "page: desk")
        form = Form(self.page("/desk/new/", "page: desk new"), action="")
        form.set("title", f"负载测试需求 {random.randint(1000, 9999)}：{random.choice(TERMS)}采购")
        form.set("summary", "采购一批设备用于训练保障，要求三个月内交付。")
        form.set("industries", form.options["industries"][1])
        form.set("region", REGIONS[0])
        deadline = datetime.now() + timedelta(days=30)
        form.set("deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
        form.set("contact_name", "张工")
        form.set("contact_phone", "0771-1234567")
        form.set("submit", "1")
        detail = self.post("/desk/new/", form, "post: desk publish")
        if detail:
            self.page(detail, "page: desk notice")


def main() -> int:
    users = int(os.environ.get("LOAD_USERS", "50"))
    seconds = int(os.environ.get("LOAD_SECONDS", "300"))
    environment = Environment(
        user_classes=[Visitor, Officer, EnterpriseOwner, DeskPublisher],
        host=PLAN["host"],
        events=events,
    )
    recorder = Recorder(environment, PLAN["server_pids"])
    runner = environment.create_local_runner()
    ramp = max(1.0, users / 30)  # everyone in within ~30 s
    print(f"  {users} users (ramp {ramp:.1f}/s) for {seconds} s against {PLAN['host']}")
    runner.start(users, spawn_rate=ramp)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return recorder.report(seconds)


if __name__ == "__main__":
    sys.exit(main())
