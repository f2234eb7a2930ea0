"""The production deployment files in docker/ stay in step with the application.

生产部署文件检查：Compose 文件、.env.example 与 Dockerfile 须与应用读取的环境变量一致。
Plain file parsing: no database, no Docker engine.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from portal.settings import base

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
APP_SERVICES = ("web", "worker", "beat")
#: The Celery queues of portal/celery.py; the worker must consume every one of them.
QUEUES = ("default", "mail", "search", "pdf")

# Compose interpolation: "$$" is an escaped dollar; ${VAR...} and $VAR are references.
_REFERENCE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)")
_ENV_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def _references(text: str) -> set[str]:
    names = set()
    for match in _REFERENCE.finditer(text):
        name = match.group(1) or match.group(2)
        if name:
            names.add(name)
    return names


def _strings(node: Any) -> list[str]:
    """Every string key and value of a parsed YAML document (comments are already gone)."""
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in _strings(key) + _strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return [node] if isinstance(node, str) else []


def _environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's ``environment`` as a mapping (Compose accepts a mapping or a KEY=VALUE list)."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {str(key): str(value) for key, value in environment.items()}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


@pytest.fixture(scope="module")
def env_example() -> list[tuple[str, str, str | None]]:
    """(key, value, the line before it) for each KEY=value line of docker/.env.example."""
    entries = []
    previous = None
    for raw in (DOCKER / ".env.example").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        match = _ENV_LINE.match(line)
        if match:
            entries.append((match.group(1), match.group(2), previous))
        if line:
            previous = line
    return entries


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """Dockerfile instructions, continuation lines joined, comments dropped."""
    instructions: list[str] = []
    current = ""
    for raw in (DOCKER / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        instructions.append(current + line)
        current = ""
    return instructions


def test_required_services_use_official_images(services):
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["opensearch"]["image"].startswith("opensearchproject/opensearch:2.")
    for name in (*APP_SERVICES, "migrate"):
        assert name in services, f"service {name} is missing"
        build = services[name]["build"]
        assert build["context"] == ".."
        assert build["dockerfile"] == "docker/Dockerfile"


def test_opensearch_keeps_its_security_plugin(services):
    for name, service in services.items():
        environment = {key.upper(): value.lower() for key, value in _environment(service).items()}
        assert environment.get("DISABLE_SECURITY_PLUGIN") != "true", name
        assert environment.get("PLUGINS.SECURITY.DISABLED") != "true", name
    opensearch = _environment(services["opensearch"])
    assert "${OPENSEARCH_ADMIN_PASSWORD" in opensearch["OPENSEARCH_INITIAL_ADMIN_PASSWORD"]
    assert opensearch["discovery.type"] == "single-node"


def test_backing_services_have_healthchecks_and_volumes(services):
    assert "pg_isready" in str(services["postgres"]["healthcheck"]["test"])
    assert "--appendonly" in services["redis"]["command"]
    assert "https://localhost:9200/_cluster/health" in str(
        services["opensearch"]["healthcheck"]["test"]
    )
    for name in ("postgres", "redis", "opensearch"):
        assert services[name].get("volumes"), f"{name} keeps its data in a volume"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_receive_every_environment_variable(services, name):
    environment = _environment(services[name])
    missing = sorted(set(base.ENVIRONMENT_VARIABLES) - set(environment))
    assert not missing, f"{name} lacks {missing}"
    for key in base.ENVIRONMENT_VARIABLES:
        assert "${" + key in environment[key], f"{name}: {key} does not come from .env"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_backing_services(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_worker_consumes_every_queue(services):
    command = services["worker"]["command"]
    assert command[:4] == ["celery", "-A", "portal", "worker"]
    queues = command[command.index("-Q") + 1].split(",")
    assert sorted(queues) == sorted(QUEUES)
    assert services["beat"]["command"][:4] == ["celery", "-A", "portal", "beat"]


def test_env_example_documents_every_variable(env_example):
    keys = [key for key, _value, _previous in env_example]
    assert len(keys) == len(set(keys)), "a key is defined twice"
    required = {*base.ENVIRONMENT_VARIABLES, "OPENSEARCH_ADMIN_PASSWORD", "POSTGRES_PASSWORD"}
    assert not sorted(required - set(keys))
    for key, _value, previous in env_example:
        if key in base.ENVIRONMENT_VARIABLES:
            assert previous and previous.startswith("#"), f"{key} has no comment above it"


def test_env_example_secrets_are_placeholders(env_example):
    values = {key: value for key, value, _previous in env_example}
    for key in ("SECRET_KEY", "POSTGRES_PASSWORD", "OPENSEARCH_ADMIN_PASSWORD"):
        assert "change-me" in values[key], key
    assert values["DEBUG"].lower() == "false"


def test_every_compose_reference_is_in_env_example(compose, env_example):
    defined = {key for key, _value, _previous in env_example}
    referenced = set().union(*(_references(text) for text in _strings(compose)))
    assert referenced, "the Compose file should take its settings from .env"
    assert not sorted(referenced - defined)


def test_env_example_references_earlier_keys_only(env_example):
    defined: set[str] = set()
    for key, value, _previous in env_example:
        assert _references(value) <= defined, f"{key} uses a variable not defined above it"
        defined.add(key)


def test_dockerfile_is_multi_stage_non_root_with_static_and_fonts(dockerfile):
    froms = [line for line in dockerfile if line.upper().startswith("FROM ")]
    assert len(froms) >= 2, "builder and runtime stages"
    assert all("python:3.11-slim-bookworm" in line or "${PYTHON_IMAGE}" in line for line in froms)
    final_stage = dockerfile[dockerfile.index(froms[-1]) :]
    users = [line.split()[1] for line in final_stage if line.upper().startswith("USER ")]
    assert users, "the runtime stage sets a USER"
    assert users[-1].split(":")[0] not in ("root", "0")
    text = "\n".join(dockerfile)
    assert "collectstatic --noinput" in text
    assert "fonts-noto-cjk" in text
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert library in text
    assert "--require-hashes" in text
    assert any(line.upper().startswith("HEALTHCHECK ") for line in final_stage)
    assert "/healthz" in text
    assert any(line.startswith("CMD ") and "gunicorn" in line for line in final_stage)


# The cluster variant: docker/compose.cluster.yaml laid over compose.yaml.

OPENSEARCH_NODES = ("opensearch", "opensearch-2", "opensearch-3")


class _Reset:
    """Compose's ``!reset`` tag: the key is removed from what the files below defined."""


class _ComposeLoader(yaml.SafeLoader):
    """Safe YAML plus Compose's ``!reset`` tag."""


_ComposeLoader.add_constructor("!reset", lambda _loader, _node: _Reset())


def _merge(base: Any, override: Any) -> Any:
    """Compose's merge of two files, for the mappings these tests read: an override's entries
    replace or add to the base's, ``!reset`` removes one; any other value replaces."""
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return override
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, _Reset):
            merged.pop(key, None)
        else:
            merged[key] = _merge(base.get(key), value) if key in base else value
    return merged


def _default(value: Any) -> int:
    """The number a ``${VAR:-N}`` value (or a plain number) stands for when VAR is unset."""
    match = re.fullmatch(r"\$\{[A-Za-z_][A-Za-z0-9_]*:-(\d+)\}", str(value))
    return int(match.group(1) if match else value)


@pytest.fixture(scope="module")
def cluster_file() -> dict[str, Any]:
    text = (DOCKER / "compose.cluster.yaml").read_text(encoding="utf-8")
    # SafeLoader plus one tag that builds a marker: nothing else can be instantiated.
    return yaml.load(text, Loader=_ComposeLoader)  # noqa: S506  # nosec B506


@pytest.fixture(scope="module")
def cluster(compose, cluster_file) -> dict[str, Any]:
    return _merge(compose, cluster_file)["services"]


def test_cluster_has_three_opensearch_nodes_that_discover_each_other(cluster, cluster_file):
    nodes = {
        name: service
        for name, service in cluster.items()
        if str(service.get("image", "")).startswith("opensearchproject/opensearch:2.")
    }
    assert sorted(nodes) == sorted(OPENSEARCH_NODES)
    volumes = set()
    for name, service in nodes.items():
        environment = _environment(service)
        assert environment["node.name"] == name
        assert environment["cluster.name"] == "junmin-portal"
        assert "discovery.type" not in environment, f"{name} would form a cluster of its own"
        assert set(environment["discovery.seed_hosts"].split(",")) == set(OPENSEARCH_NODES)
        managers = environment["cluster.initial_cluster_manager_nodes"].split(",")
        assert set(managers) == set(OPENSEARCH_NODES)
        assert "${OPENSEARCH_ADMIN_PASSWORD" in environment["OPENSEARCH_INITIAL_ADMIN_PASSWORD"]
        assert "https://localhost:9200/_cluster/health" in str(service["healthcheck"]["test"])
        (volume,) = [v for v in service["volumes"] if v.endswith(":/usr/share/opensearch/data")]
        volumes.add(volume.split(":")[0])
    assert len(volumes) == 3, "each node keeps its data in a volume of its own"
    assert volumes - {"opensearch-data"} <= set(cluster_file["volumes"])


def test_cluster_nodes_keep_the_security_plugin(cluster):
    for name in OPENSEARCH_NODES:
        environment = {
            key.upper(): value.lower() for key, value in _environment(cluster[name]).items()
        }
        assert environment.get("DISABLE_SECURITY_PLUGIN") != "true", name
        assert environment.get("PLUGINS.SECURITY.DISABLED") != "true", name


@pytest.mark.parametrize("name", (*APP_SERVICES, "migrate"))
def test_cluster_app_lists_every_node_and_keeps_a_replica(cluster, name):
    environment = _environment(cluster[name])
    assert not sorted(set(base.ENVIRONMENT_VARIABLES) - set(environment)), name
    urls = [urlsplit(url) for url in environment["SEARCH_URL"].split(",")]
    assert sorted(url.hostname for url in urls) == sorted(OPENSEARCH_NODES)
    assert {(url.scheme, url.port, url.username) for url in urls} == {("https", 9200, "admin")}
    assert all(url.password == "${OPENSEARCH_ADMIN_PASSWORD}" for url in urls)
    assert int(environment["SEARCH_REPLICAS"]) >= 1
    if name != "beat":  # beat never searches
        depends_on = cluster[name]["depends_on"]
        for node in OPENSEARCH_NODES:
            assert depends_on[node]["condition"] == "service_healthy", (name, node)


def test_cluster_scales_workers_and_web_and_runs_one_beat(cluster):
    assert _default(cluster["worker"]["deploy"]["replicas"]) > 1
    assert "${WORKER_REPLICAS" in str(cluster["worker"]["deploy"]["replicas"])
    assert _default(cluster["beat"]["deploy"]["replicas"]) == 1
    assert "${WEB_CONCURRENCY" in _environment(cluster["web"])["WEB_CONCURRENCY"]


def test_every_cluster_reference_is_in_env_example(cluster_file, env_example):
    defined = {key for key, _value, _previous in env_example}
    referenced = set().union(*(_references(text) for text in _strings(cluster_file)))
    assert {"OPENSEARCH_ADMIN_PASSWORD", "WORKER_REPLICAS"} <= referenced
    assert not sorted(referenced - defined)
