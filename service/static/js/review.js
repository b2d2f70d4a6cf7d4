// 审查: documents checked in batches within the server's limits (any number of files), findings
// highlighted in the text, details with the article and suggestion, accepting a finding with a
// reason, and the reports (JSON, SARIF, HTML, Word with comments).

import { ApiProblem, call, problemText, save, serverLimits, showProblem, webWording } from "./http.js";
import { $, $$, downloadBlob, el, SEV_LABEL, status } from "./util.js";

const SEV_RANK = { error: 0, warning: 1, info: 2 };
const state = { reports: [], files: [], current: 0, batches: [], lastFinding: null };
let catalogue = { kinds: {}, jurisdictions: {} };

function setFiles(list) {
  state.files = Array.from(list);
  const ul = $("#chosen");
  ul.textContent = "";
  for (const f of state.files) ul.append(el("li", { text: `${f.name}（${Math.ceil(f.size / 1024)} KB）` }));
  $("#drop").classList.remove("compact");
  status(state.files.length ? `已选 ${state.files.length} 个文件` : "");
}

function checkQuery(fmt) {
  const q = new URLSearchParams({ format: fmt });
  if (fmt === "json") q.set("include_text", "true");
  if (fmt === "docx") q.set("suggest", "true");  // corrections as tracked changes beside the comments
  if ($("#doc-type").value) q.set("type", $("#doc-type").value);
  if ($("#doc-jurisdiction").value) q.set("jurisdiction", $("#doc-jurisdiction").value);
  return "/check?" + q.toString();
}

// findings the reviewer accepted with a reason, kept in this browser and keyed by the file's SHA-256
const ACCEPTED_KEY = "ecoclaim-accepted";
function acceptances() {
  try { return JSON.parse(localStorage.getItem(ACCEPTED_KEY) || "[]"); } catch (_e) { return []; }
}

function formData(files) {
  const fd = new FormData();
  for (const f of files) fd.append("files", f, f.name);
  const accepted = acceptances();
  if (accepted.length) fd.append("accepted", JSON.stringify(accepted));
  return fd;
}

/** The files in batches the server takes (files per request, bytes per request); a file over the
 *  single-file limit is reported here without being sent. */
async function batches() {
  const limits = await serverLimits();
  const room = limits.max_upload_bytes * 0.95;
  const out = [];
  const tooBig = [];
  let batch = [];
  let size = 0;
  for (const f of state.files) {
    if (f.size > limits.max_file_bytes) { tooBig.push(f); continue; }
    if (batch.length && (batch.length >= limits.max_files || size + f.size + 4096 > room)) { out.push(batch); batch = []; size = 0; }
    batch.push(f);
    size += f.size + 4096;
  }
  if (batch.length) out.push(batch);
  return { batches: out, tooBig, limits };
}

function failedReports(files, err) {
  // a batch in which no file could be read comes back as one problem listing each file
  const byIndex = {};
  if (err instanceof ApiProblem) for (const e of err.problem.errors || []) {
    const m = /^files\[(\d+)\]$/.exec(e.path || "");
    if (m) byIndex[Number(m[1])] = e.message;
  }
  return files.map((f, i) => ({ file: f.name, error: webWording(byIndex[i] || problemText(err)), findings: [] }));
}

function acceptFinding(report, f, reason) {
  if (!report.sha256) return;
  if (reason.trim().length < 2) { status("请写明接受的理由（至少2字）", true); $("#accept-reason").focus(); return; }
  const kept = acceptances().filter((a) => !(a.sha256 === report.sha256 && a.rule === f.rule));
  kept.push({ sha256: report.sha256, rule: f.rule, reason: reason.trim() });
  localStorage.setItem(ACCEPTED_KEY, JSON.stringify(kept));
  status(`已接受 ${f.rule}，正在重新审查……`);
  runCheck();
}

function optionText(r) {
  if (r.error) return `${r.file}（${r.skipped ? "跳过" : "无法读取"}）`;
  const count = (sev) => r.findings.filter((f) => f.severity === sev).length;
  const [e, w] = [count("error"), count("warning")];
  return `${r.file}（${e || w ? [e && `${e}处错误`, w && `${w}处警告`].filter(Boolean).join("、") : "无错误和警告"}）`;
}

async function runCheck() {
  if (!state.files.length) { status("请先选择或拖入要审查的文件", true); $("#doc-files").focus(); return; }
  let plan;
  try { plan = await batches(); } catch (err) { showProblem(err); return; }
  const reports = plan.tooBig.map((f) => ({
    file: f.name, findings: [], error: `${f.name}：超过单个文件上限 ${Math.floor(plan.limits.max_file_bytes / 1048576)} MB，未审查` }));
  state.batches = plan.batches;
  for (const [i, files] of plan.batches.entries()) {
    status(plan.batches.length > 1 ? `正在审查第${i + 1}批（共${plan.batches.length}批，${state.files.length}个文件）……` : "正在审查……");
    try {
      const result = await call(checkQuery("json"), { method: "POST", body: formData(files) }).then((r) => r.json());
      reports.push(...result.reports.map((r) => (r.error ? { ...r, error: webWording(r.error) } : r)));
    } catch (err) {
      if (!(err instanceof ApiProblem) || err.status !== 422) { showProblem(err); return; }
      reports.push(...failedReports(files, err));
    }
  }
  state.reports = reports;
  const select = $("#report-file");
  select.textContent = "";
  reports.forEach((r, i) => select.append(el("option", { value: String(i), text: optionText(r) })));
  $("#results").hidden = false;
  $("#drop").classList.add("compact");
  showReport(0);
  const count = (sev) => reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === sev).length, 0);
  const unreadable = reports.filter((r) => r.error && !r.skipped).length;
  const skipped = reports.filter((r) => r.skipped).length;
  status(`审查完成：${reports.length}个文件，${count("error")}处错误、${count("warning")}处警告、${count("info")}处提示` +
         (skipped ? `；${skipped}个文件跳过` : "") + (unreadable ? `；${unreadable}个文件无法读取` : "") +
         (plan.batches.length > 1 ? `（分${plan.batches.length}批审查，每批最多${plan.limits.max_files}个；不同批的文书之间不核对当事人名称）` : ""));
}

function spanOf(report, f) {
  if (f.span && f.span.length === 2 && f.span[1] > f.span[0]) return f.span;
  const quote = f.location && f.location.text;
  if (quote && report.text) {
    const at = report.text.indexOf(quote.replace(/…$/, ""));
    if (at >= 0) return [at, at + quote.replace(/…$/, "").length];
  }
  return null;
}

function showReport(index) {
  state.current = index;
  const report = state.reports[index];
  $("#report-file").value = String(index);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  for (const k of Object.keys(counts)) $("#count-" + k).textContent = String(counts[k]);
  const meta = $("#report-meta");
  meta.textContent = "";
  if (report.error) meta.append(report.error);
  else {
    const why = (report.notes || []).map(webWording);
    meta.append(`文书种类：${catalogue.kinds[report.doc_type] || report.doc_type || "未识别"}；` +
                `辖区：${catalogue.jurisdictions[report.jurisdiction] || report.jurisdiction || "未识别"}`);
    if (why.length) meta.append(" ", el("details", { class: "why" }, el("summary", { text: "识别和读取说明" }),
      el("ul", {}, ...why.map((n) => el("li", { text: n })))));
  }
  renderReport();
}

const visibleSeverities = () => new Set($$("input[name=sev]:checked").map((i) => i.value));

function markFor(f, piece, covering) {
  const mark = el("mark", { class: `finding ${f.severity}`, "data-finding": covering.map((c) => c.id).join(" "),
                            "data-rule": covering.map((c) => c.rule).join(" "), tabindex: "0", role: "button",
                            "aria-label": `${SEV_LABEL[f.severity]}：${f.message}（${piece.slice(0, 20)}）`,
                            title: covering.map((c) => `${SEV_LABEL[c.severity]}：${c.message}`).join("\n") }, piece);
  mark.addEventListener("click", () => openFinding(f.id));
  mark.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openFinding(f.id); } });
  return mark;
}

function renderReport() {
  const report = state.reports[state.current];
  const show = visibleSeverities();
  const findings = report.findings.map((f, i) => ({ ...f, id: i, range: spanOf(report, f) })).filter((f) => show.has(f.severity));
  const box = $("#doc-text");
  box.textContent = "";
  const text = report.text || "";
  // findings about the whole document (a missing element has no place in the text): notes above the text
  const whole = findings.filter((f) => !f.range);
  if (whole.length) {
    const notes = el("div", { class: "whole", role: "group", "aria-label": "涉及全文的问题（文中无对应位置）" });
    for (const f of whole) {
      const mark = el("mark", { class: `finding ${f.severity} missing`, "data-finding": String(f.id), "data-rule": f.rule,
                                tabindex: "0", role: "button", "aria-label": `${SEV_LABEL[f.severity]}：${f.message}` },
        `［${f.category === "missing_element" ? "缺少" : SEV_LABEL[f.severity]}］${f.message}`);
      mark.addEventListener("click", () => openFinding(f.id));
      mark.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openFinding(f.id); } });
      notes.append(mark);
    }
    box.append(notes);
  }
  const cuts = new Set([0, text.length]);
  for (const f of findings) if (f.range) { cuts.add(Math.max(0, f.range[0])); cuts.add(Math.min(text.length, f.range[1])); }
  const points = Array.from(cuts).sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const covering = findings.filter((f) => f.range && f.range[0] <= a && f.range[1] >= b);
    const piece = text.slice(a, b);
    if (!covering.length) { box.append(piece); continue; }
    covering.sort((x, y) => SEV_RANK[x.severity] - SEV_RANK[y.severity]);
    box.append(markFor(covering[0], piece, covering));
  }
  if (!text) box.append(el("p", { class: "hint", text: report.error || "（无全文）" }));
  const list = $("#findings");
  list.textContent = "";
  for (const f of findings) {
    const where = f.location ? [f.location.page && `第${f.location.page}页`, f.location.paragraph && `第${f.location.paragraph}段`].filter(Boolean).join("") : "";
    list.append(el("li", { "data-severity": f.severity },
      el("button", { type: "button", "data-finding": String(f.id), "data-rule": f.rule, onclick: () => openFinding(f.id) },
        el("span", { class: `sev ${f.severity}`, text: SEV_LABEL[f.severity] }), webWording(f.message),
        where ? el("span", { class: "hint", text: `（${where}${f.range ? "" : "，全文"}）` }) : (f.range ? null : el("span", { class: "hint", text: "（全文）" })))));
  }
  // rules that applied but could not be evaluated are listed, and "未发现问题" is said only when there are none
  for (const u of report.not_evaluated || []) {
    list.append(el("li", { "data-severity": "unchecked" }, el("span", { class: "sev unchecked", text: "未能核对" }), `${u.title}：${u.reason}`));
  }
  if (report.error) {
    // a file that could not be read (or is not reviewed) is never "未发现问题"
    list.append(el("li", { "data-severity": report.skipped ? "info" : "error", text: `${report.skipped ? "跳过（未审查）" : "无法审查"}：${report.error}` }));
  } else if (!findings.length && !(report.not_evaluated || []).length) {
    list.append(el("li", { text: report.findings.length ? "（已按严重程度筛去）" : (report.verdict || "未发现问题") }));
  }
  for (const a of report.accepted || []) {
    list.append(el("li", { class: "accepted", "data-rule": a.rule, text: `已接受：${a.rule} ${a.message}（理由：${a.reason}）` }));
  }
  if (report.coverage) list.append(el("li", { class: "hint", text: `规则：通过 ${report.coverage.passed}，发现问题 ${report.coverage.failed}，` + (report.coverage.accepted ? `已接受 ${report.coverage.accepted}，` : "") + `未能核对 ${report.coverage.not_evaluated}，不适用 ${report.coverage.not_applicable}` }));
  $("#finding-detail").hidden = true;
}

async function openFinding(id) {
  const report = state.reports[state.current];
  const f = report.findings[id];
  for (const m of $$("mark.finding")) m.classList.toggle("active", m.dataset.finding.split(" ").includes(String(id)));
  const mark = $$("mark.finding").find((m) => m.dataset.finding.split(" ").includes(String(id)));
  if (mark) mark.scrollIntoView({ block: "center" });
  const body = $("#detail-body");
  body.textContent = "";
  body.append(
    el("p", {}, el("span", { class: `sev ${f.severity}`, text: SEV_LABEL[f.severity] }), el("strong", { text: webWording(f.message) })),
    el("p", { class: "hint", text: `规则 ${f.rule}` }));
  if (f.location && f.location.text) body.append(el("p", {}, "所在文字：", el("q", { text: f.location.text })));
  for (const b of f.basis || []) {
    const head = b.citation || `${b.source}:${b.article}`;
    body.append(el("h4", { text: "依据：" + head + (b.status === "draft" ? "（征求意见稿，尚未生效）" : b.status === "expired" ? "（已失效）" : "") }),
                el("blockquote", { text: b.text }));
    if (b.address) {
      const full = el("button", { type: "button", text: "查看条文全文" });
      full.addEventListener("click", async () => {
        try {
          const unit = await call("/corpus/units/" + encodeURIComponent(b.address)).then((r) => r.json());
          full.replaceWith(el("blockquote", { text: unit.citation + "\n" + unit.text }));
        } catch (err) { showProblem(err); }
      });
      body.append(full);
    }
  }
  if (f.suggestion) body.append(el("h4", { text: "修改建议" }), el("p", { class: "suggestion", text: webWording(f.suggestion) }));
  if (report.sha256) {
    // accept the finding for this version of the file, with a reason (shown as 已接受 from then on)
    const reason = el("input", { id: "accept-reason", type: "text", placeholder: "接受的理由", "aria-label": "接受的理由" });
    const accept = el("button", { id: "accept-finding", type: "button", text: "接受此问题" });
    accept.addEventListener("click", () => acceptFinding(report, f, reason.value));
    body.append(el("h4", { text: "接受（不作修改）" }), el("p", {}, reason, accept));
  }
  const detail = $("#finding-detail");
  detail.hidden = false;
  detail.focus();
  state.lastFinding = id;
}

async function downloadReport(fmt) {
  if (!state.files.length) return;
  if (fmt === "json") {
    const blob = new Blob([JSON.stringify({ reports: state.reports.map(({ text, ...r }) => r) }, null, 2)], { type: "application/json" });
    downloadBlob(blob, "report.json");
    status("已下载：report.json");
    return;
  }
  if (fmt === "docx" && (state.files.length !== 1 || !/\.docx$/i.test(state.files[0].name))) {
    status("批注版只能由一份 DOCX 文书生成：请只选择一份 .docx 文书", true);
    return;
  }
  const groups = state.batches.length ? state.batches : [state.files];
  const names = [];
  try {
    for (const files of groups) {
      const response = await call(checkQuery(fmt), { method: "POST", body: formData(files) });
      names.push(await save(response, `report.${fmt}`));
    }
    status(`已下载：${names.join("、")}` + (groups.length > 1 ? `（每批一份报告，共${groups.length}份）` : ""));
  } catch (err) { showProblem(err); }
}

export function setupReview({ forms, jurisdictions }) {
  catalogue = { kinds: Object.fromEntries(forms.map((f) => [f.code, f.title])),
                jurisdictions: Object.fromEntries(jurisdictions.map((j) => [j.key, j.name])) };
  const kinds = $("#doc-type");  // the kinds the checker reviews, from the form catalogue
  for (const f of forms.filter((f) => f.checkable)) kinds.append(el("option", { value: f.code, text: f.title }));
  const js = $("#doc-jurisdiction");
  for (const j of jurisdictions) js.append(el("option", { value: j.key, text: j.name }));
  const drop = $("#drop");
  $("#doc-files").addEventListener("change", (e) => setFiles(e.target.files));
  for (const ev of ["dragenter", "dragover"]) drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add("over"); });
  for (const ev of ["dragleave", "drop"]) drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.remove("over"); });
  drop.addEventListener("drop", (e) => { if (e.dataTransfer && e.dataTransfer.files.length) setFiles(e.dataTransfer.files); });
  $("label[for=doc-files]").tabIndex = 0;
  $("label[for=doc-files]").addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("#doc-files").click(); } });
  $("#check").addEventListener("click", runCheck);
  $("#report-file").addEventListener("change", (e) => showReport(Number(e.target.value)));
  for (const box of $$("input[name=sev]")) box.addEventListener("change", renderReport);
  for (const b of $$("[data-report]")) b.addEventListener("click", () => downloadReport(b.dataset.report));
  $("#detail-close").addEventListener("click", () => {
    $("#finding-detail").hidden = true;
    const back = $(`#findings button[data-finding="${state.lastFinding}"]`);
    if (back) back.focus();
  });
}
