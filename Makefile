# 军民融合供需对接平台 — the two commands of the README, and a few helpers.
.PHONY: run test fuzz bench lint format lock messages clean

run:  ## the portal with demo data on embedded defaults, http://127.0.0.1:8000
	@scripts/run.sh

test:  ## ruff, bandit and the whole suite on real PostgreSQL, Redis, OpenSearch, Celery, Chromium
	@scripts/test.sh $(ARGS)

fuzz:  ## the release lifecycle state machine for hours, new random sequences each run
	@scripts/fuzz.sh $(ARGS)

bench:  ## the benchmarks under bench/, each against a baseline measured in the same run
	@scripts/bench.sh $(ARGS)

lint:  ## ruff, and bandit for medium and high security findings
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . \
	  && .venv/bin/bandit -c pyproject.toml -r . -ll -q

format:
	@.venv/bin/ruff check --fix . && .venv/bin/ruff format .

lock:  ## re-resolve requirements.lock from pyproject.toml (needs uv in .venv)
	@.venv/bin/python -m pip install -q uv && .venv/bin/uv pip compile pyproject.toml --extra dev \
	  --python-version 3.11 --generate-hashes -o requirements.lock -q

messages:  ## refresh and compile the Chinese translations
	@.venv/bin/python manage.py makemessages -l zh_Hans -i ".venv/*" -i "var/*" --no-obsolete
	@.venv/bin/python manage.py compilemessages -l zh_Hans -i ".venv"

clean:  ## remove the development data (SQLite, OpenSearch data, media)
	rm -rf var
