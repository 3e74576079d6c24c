# The two commands a newcomer runs: `make site` and `make test`.
# Both set themselves up: Python packages into .venv from requirements.lock,
# Debian packages (CJK fonts, Chromium, poppler, LibreOffice Writer to open the
# Word proofs in a test) with apt where missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
SHOWCASE := $(BIN)/python -m generator
N ?= 1000
K ?= 3

# Run apt only for what is missing; as root directly, otherwise through sudo.
APT_PACKAGES := $(strip \
  $(if $(wildcard /usr/bin/chromium),,chromium) \
  $(if $(wildcard /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc),,fonts-noto-cjk) \
  $(if $(wildcard /usr/bin/pdftoppm),,poppler-utils) \
  $(if $(wildcard /usr/bin/soffice),,libreoffice-writer-nogui))
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: site test check serve clean bench schema setup system-deps help

help:
	@echo "make site   - 安装依赖、校验全部记录并生成网站到 site/"
	@echo "make test   - 安装依赖（含 Chromium 和中文字体）并运行全部测试"
	@echo "make check  - 只校验记录"
	@echo "make serve  - 本地预览，修改记录后自动刷新"
	@echo "make bench  - 运行性能基准（N=记录数，K=每个系统构建次数）"
	@echo "make clean  - 删除生成的网站和缓存"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

system-deps:
ifneq ($(APT_PACKAGES),)
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES)
endif

check: $(STAMP)
	$(SHOWCASE) check

schema: $(STAMP)
	$(SHOWCASE) schema

site: $(STAMP)
	$(SHOWCASE) check
	$(SHOWCASE) build

serve: $(STAMP)
	$(SHOWCASE) serve

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench.run --records $(N) --runs $(K)

clean:
	rm -rf site .site.building-* .site.old-* build exports .pytest_cache .cache
