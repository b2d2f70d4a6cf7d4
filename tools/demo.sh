#!/usr/bin/env bash
# 主任务：在示例案件上运行（首次运行会自动安装所需依赖）：
# 校验全部示例 → 生成张掖示例的全部文书（DOCX）和广西示例的全部文书（PDF）→ 审查生成的协议 → 办案期限。
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ecoclaim=.venv/bin/ecoclaim
for case_file in examples/*.yaml; do
  echo "==== 校验 $case_file"
  $ecoclaim validate "$case_file"
done
echo "==== 生成：张掖示例，全部文书（DOCX）→ out/zhangye"
$ecoclaim generate examples/zhangye-sand-mining-person.yaml --all --format docx -o out/zhangye
echo "==== 生成：广西示例，全部文书（PDF）→ out/guangxi"
$ecoclaim generate examples/guangxi-cadmium-unit-installments.yaml --all --format pdf -o out/guangxi
echo "==== 审查：生成的赔偿协议和司法确认申请书"
$ecoclaim check out/zhangye/*赔偿协议*.docx out/guangxi/*司法确认申请书*.pdf
echo "==== 办案期限：广西示例"
$ecoclaim timeline examples/guangxi-cadmium-unit-installments.yaml
echo "==== 辖区及其依据状态"
$ecoclaim jurisdictions
