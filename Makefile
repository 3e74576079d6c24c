# The two commands a newcomer runs: `make site` and `make test`.
# Both set themselves up: Python packages into .venv — `make site` only the runtime ones
# (requirements.lock), `make test` also the test-only ones (requirements-test.lock: pytest,
# Playwright …) — and Debian packages with apt where missing (LibreOffice Writer
# opens the Word proofs in a test).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
TEST_STAMP := $(VENV)/.installed-test-$(shell cat requirements.lock requirements-test.lock pyproject.toml | cksum | cut -d' ' -f1)
# decap-server (package.json): the web editor's local backend, for local editing and the tests.
NODE_STAMP := node_modules/.installed-$(shell cat package.json package-lock.json | cksum | cut -d' ' -f1)
SHOWCASE := $(BIN)/python -m generator
N ?= 1000
K ?= 3

# Run apt only for what is missing; as root directly, otherwise through sudo.
# The site needs npm (it fetches the web editor, Decap CMS, from the npm registry); the tests
# also need Chromium, CJK fonts, poppler, and nginx with brotli (they serve the site with deploy/).
SITE_APT_PACKAGES := $(strip $(if $(shell command -v npm),,nodejs npm))
APT_PACKAGES := $(strip $(SITE_APT_PACKAGES) \
  $(if $(wildcard /usr/bin/chromium),,chromium) \
  $(if $(wildcard /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc),,fonts-noto-cjk) \
  $(if $(wildcard /usr/bin/pdftoppm),,poppler-utils) \
  $(if $(wildcard /usr/bin/soffice),,libreoffice-writer-nogui) \
  $(if $(wildcard /usr/sbin/nginx),,nginx-light) \
  $(if $(wildcard /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so),,libnginx-mod-http-brotli-filter))
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: site test check serve edit clean bench schema setup setup-test system-deps site-system-deps help

help:
	@echo "make site   - 安装依赖、校验全部记录并生成网站到 site/"
	@echo "make test   - 安装依赖（含 Chromium 和中文字体）并运行全部测试"
	@echo "make check  - 只校验记录"
	@echo "make serve  - 本地预览，修改记录后自动刷新"
	@echo "make edit   - 本地预览并打开网页编辑器（/admin/），保存即写入 projects/"
	@echo "make bench  - 运行性能基准（N=记录数，K=每个系统构建次数）"
	@echo "make clean  - 删除生成的网站和缓存"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

$(TEST_STAMP): $(STAMP) requirements-test.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	@rm -f $(VENV)/.installed-test-*
	@touch $@

$(NODE_STAMP): package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@rm -f node_modules/.installed-*
	@touch $@

setup: $(STAMP)

setup-test: $(TEST_STAMP)

system-deps:
ifneq ($(APT_PACKAGES),)
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES)
endif

site-system-deps:
ifneq ($(SITE_APT_PACKAGES),)
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(SITE_APT_PACKAGES)
endif

check: $(STAMP)
	$(SHOWCASE) check

schema: $(STAMP)
	$(SHOWCASE) schema

site: $(STAMP) site-system-deps
	$(SHOWCASE) check
	$(SHOWCASE) build

serve: $(STAMP)
	$(SHOWCASE) serve

# The web editor on this computer: decap-server saves into projects/, the preview shows the result.
edit: $(STAMP) $(NODE_STAMP)
	@echo "网页编辑：http://127.0.0.1:8000/ 下的 admin/ （Ctrl+C 退出）"
	node node_modules/decap-server/dist/index.js & trap "kill $$!" EXIT; $(SHOWCASE) serve

test: $(TEST_STAMP) system-deps $(NODE_STAMP)
	$(BIN)/python -m pytest -q

bench: $(TEST_STAMP)
	$(BIN)/python -m bench.run --records $(N) --runs $(K) --export-records 1000,10000

clean:
	rm -rf site .site.building-* .site.old-* .site.media-spare* build exports .pytest_cache .cache node_modules
