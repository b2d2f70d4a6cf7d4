#!/usr/bin/env bash
# 主任务：在示例案件上运行（首次运行会自动安装所需依赖）。
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
status=0
for case_file in examples/*.yaml; do
  echo "==== $case_file"
  .venv/bin/ecoclaim validate "$case_file" || status=$?
done
echo "==== 辖区及其依据状态"
.venv/bin/ecoclaim jurisdictions
exit $status
