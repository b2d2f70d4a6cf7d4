#!/usr/bin/env bash
# 全部测试：安装依赖（含系统软件包）后运行 ruff 和 pytest。
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" test
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
