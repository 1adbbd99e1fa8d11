.PHONY: run test lint scale help

help:
	@echo "make run    安装依赖、迁移数据库、载入演示数据并启动平台（SQLite）"
	@echo "make test   安装依赖并运行全部测试"
	@echo "make lint   ruff、mypy、import-linter 与迁移检查"

run:
	scripts/run.sh

test:
	scripts/test.sh

lint:
	scripts/bootstrap.sh --dev
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	.venv/bin/mypy gongkai
	.venv/bin/python manage.py makemigrations --check --dry-run

.PHONY: run-scale
run-scale:  ## PostgreSQL + Redis, N web and N task processes (docs/deploy.md)
	scripts/run-scale.sh
