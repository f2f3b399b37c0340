# The two commands of the README: `make run` and `make test`. Everything they need happens here.
SHELL := /bin/bash
PY := .venv/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/sitadmin
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0
LOADTEST_PORT ?= 8765
LOADTEST_SECONDS ?= 60

.PHONY: run test lint bench worker beat loadtest backup restore

.venv/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: .venv/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py compute_kpis --missing
	@echo ""
	@echo "  sitadmin: http://127.0.0.1:$(PORT)/   API docs: http://127.0.0.1:$(PORT)/api/docs/"
	@echo "  demo manager login: manager / sitadmin-demo"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Chromium comes from Debian; Playwright drives it for the browser tests.
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# A CJK font, so that the browser tests' screenshots show Chinese labels rather than empty boxes.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
$(CJK_FONT):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei

test: .venv/.installed /usr/bin/chromium $(CJK_FONT)
	.venv/bin/lint-imports
	@source bin/test-services && $(PY) -m pytest $(PYTEST_ARGS)

lint: .venv/.installed
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && .venv/bin/lint-imports

worker: .venv/.installed
	.venv/bin/celery -A sitadmin worker -l info

beat: .venv/.installed
	.venv/bin/celery -A sitadmin beat -l info

# gunicorn (sitadmin/gunicorn.conf.py), the pages' pool on 127.0.0.1:$(LOADTEST_PORT) and the ingestion pool on
# the next port, against a fresh PostgreSQL database `sitadmin_loadtest` on the server of $(PG_URL), driven by
# locust for $(LOADTEST_SECONDS) s; see bench/loadtest.py.
loadtest: .venv/.installed
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) bench/loadtest.py --port $(LOADTEST_PORT) --seconds $(LOADTEST_SECONDS)

# PostgreSQL only: a custom-format pg_dump of DATABASE_URL into BACKUP_DIR (default backups/).
backup:
	bin/backup

# make restore FILE=backups/sitadmin-....dump  (into DATABASE_URL; see the README's Backups section)
restore:
	bin/restore "$(FILE)"
