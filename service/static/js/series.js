// 系列案件: one base case and a workbook with one obligor a row (/api/v1/series/template and
// /series/import): the template to fill, then a ZIP of one case file (and dossier) per row.

import { call, fileName, showProblem } from "./http.js";
import { caseName, caseText } from "./store.js";
import { $, downloadBlob, el, safeName, status } from "./util.js";
import { zipMembers } from "./zipread.js";

/** The base case: the chosen file, or the case in the 起草 editor. */
function baseCase(form) {
  const chosen = $("#series-base").files[0];
  if (chosen) { form.append("base", chosen, chosen.name); return chosen.name; }
  const text = caseText();
  if (!text.trim()) return null;
  const json = text.trimStart().startsWith("{");
  const name = `${safeName(caseName(text)) || "基础案件"}.${json ? "json" : "yaml"}`;
  form.append("base", new Blob([text], { type: json ? "application/json" : "application/yaml" }), name);
  return `“起草”中的案件数据（${caseName(text) || "未命名"}）`;
}

async function template() {
  const form = new FormData();
  const base = baseCase(form);
  if (!base) { status("请先选择基础案件文件，或在“起草”中载入案件数据", true); $("#series-base").focus(); return; }
  status("正在生成工作簿模板……");
  try {
    const response = await call("/series/template", { method: "POST", body: form });
    const name = downloadBlob(await response.blob(), fileName(response, "系列案件模板.xlsx"));
    status(`已下载：${name}（以 ${base} 为基础案件；每行填一个赔偿义务人）`);
  } catch (err) { showProblem(err); }
}

function renderResult(report, zipName) {
  const box = $("#series-result");
  box.textContent = "";
  const failed = report.rows.filter((r) => !r.file).length;
  box.append(el("p", { id: "series-summary" },
    el("strong", { text: `共${report.rows.length}行：建立${report.cases}个案件` }),
    failed ? el("span", { class: "overdue-mark", text: `，${failed}行有错误未建立` }) : "",
    `。已下载 ${zipName}。`));
  const rows = report.rows.map((r) => el("tr", { class: r.file ? "" : "breach" },
    el("td", { text: String(r.row) }), el("th", { scope: "row", text: r.name || "" }),
    el("td", { text: r.file || "未建立" }), el("td", { text: r.dossier ? `${r.dossier}/` : "—" }),
    el("td", {}, ...(r.problems.length ? r.problems.map((p) => el("div", { class: p.severity, text: p.message })) : ["无"]))));
  box.append(el("div", { class: "table-scroll" }, el("table", { class: "timeline", id: "series-table" },
    el("caption", { text: `工作表「${report.sheet}」逐行结果` }),
    el("thead", {}, el("tr", {}, ...["行", "赔偿义务人", "案件文件", "文书", "问题"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows))));
}

async function importBook() {
  const form = new FormData();
  const base = baseCase(form);
  if (!base) { status("请先选择基础案件文件，或在“起草”中载入案件数据", true); $("#series-base").focus(); return; }
  const book = $("#series-book").files[0];
  if (!book) { status("请选择填好的工作簿（.xlsx）", true); $("#series-book").focus(); return; }
  form.append("workbook", book, book.name);
  const generate = $("#series-generate").value;
  status(generate ? "正在导入并生成每案的文书……" : "正在导入……");
  try {
    const response = await call("/series/import" + (generate ? `?generate=${generate}` : ""), { method: "POST", body: form });
    const blob = await response.blob();
    const name = downloadBlob(blob, fileName(response, "系列案件.zip"));
    const result = (await zipMembers(blob)).find((m) => m.name === "导入结果.json");
    if (result) renderResult(JSON.parse(await result.read()), name);
    status(`已导入：${name}`);
  } catch (err) {
    showProblem(err);
    const p = err.problem;
    if (p && p.errors && p.errors.length) {
      $("#series-result").replaceChildren(el("ul", { class: "problems-plain" }, ...p.errors.map((e) => el("li", { text: `${e.path}：${e.message}` }))));
    }
  }
}

export function setupSeries() {
  $("#series-template").addEventListener("click", template);
  $("#series-import").addEventListener("click", importBook);
}
