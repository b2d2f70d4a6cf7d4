// ecoclaim web page: plain JavaScript, no framework, no build step, no external requests.
"use strict";

const API = "/api/v1";
const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
const SEV_LABEL = { error: "错误", warning: "警告", info: "提示" };
const FORMAT_EXT = { docx: "docx", pdf: "pdf", html: "html", md: "md" };

const state = { forms: [], allowed: null, reports: [], files: [], current: 0 };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function status(message, isError = false) {
  const s = $("#status");
  s.textContent = message;
  s.classList.toggle("error", isError);
}

// ---------------------------------------------------------------- HTTP

function headers(extra = {}) {
  const h = { ...extra };
  const token = sessionStorage.getItem("ecoclaim-token") || $("#token").value;
  if (token) h["Authorization"] = "Bearer " + token;
  return h;
}

class ApiProblem extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || "请求失败");
    this.problem = problem;
  }
}

async function call(path, options = {}) {
  const response = await fetch(API + path, { ...options, headers: headers(options.headers || {}) });
  if (response.status === 401) {
    $("#token-box").hidden = false;
    $("#token").focus();
  }
  if (!response.ok) {
    let problem;
    try { problem = await response.json(); } catch { problem = { title: "请求失败", detail: `HTTP ${response.status}` }; }
    throw new ApiProblem(problem);
  }
  return response;
}

function caseHeaders() {
  const text = $("#case-text").value.trimStart();
  return { "Content-Type": text.startsWith("{") ? "application/json" : "application/yaml" };
}

function fileName(response, fallback) {
  const cd = response.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(cd);
  return plain ? plain[1] : fallback;
}

async function save(response, fallback) {
  const blob = await response.blob();
  const name = fileName(response, fallback);
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

function showProblem(err) {
  if (err instanceof ApiProblem) {
    const p = err.problem;
    const items = (p.errors || []).map((e) => (e.path ? e.path + "：" : "") + e.message);
    status(`${p.title || "错误"}：${p.detail || ""}${items.length && !p.detail.includes(items[0]) ? "（" + items.join("；") + "）" : ""}`, true);
  } else {
    status("请求失败：" + err.message, true);
  }
}

// ---------------------------------------------------------------- tabs

function selectTab(tab) {
  for (const t of $$("[role=tab]")) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    $("#" + t.getAttribute("aria-controls")).hidden = !on;
  }
  tab.focus();
  history.replaceState(null, "", tab.id === "tab-review" ? "#review" : "#draft");
}

function setupTabs() {
  const tabs = $$("[role=tab]");
  for (const t of tabs) {
    t.addEventListener("click", () => selectTab(t));
    t.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(t);
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        selectTab(tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length]);
      } else if (e.key === "Home") { e.preventDefault(); selectTab(tabs[0]); }
      else if (e.key === "End") { e.preventDefault(); selectTab(tabs[tabs.length - 1]); }
    });
  }
  if (location.hash === "#review") selectTab($("#tab-review"));
}

// ---------------------------------------------------------------- drafting

function updateGutter(marks = state.marks || {}) {
  const lines = $("#case-text").value.split("\n").length;
  const gutter = $("#gutter");
  gutter.textContent = "";
  for (let i = 1; i <= lines; i++) {
    const span = el("span", { class: marks[i] || null, text: String(i) });
    gutter.append(span, "\n");
  }
  gutter.scrollTop = $("#case-text").scrollTop;
}

function goToLine(line, column) {
  const ta = $("#case-text");
  const lines = ta.value.split("\n");
  const n = Math.max(1, Math.min(line || 1, lines.length));
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += lines[i].length + 1;
  const end = start + lines[n - 1].length;
  ta.focus();
  ta.setSelectionRange(start + Math.max(0, Math.min((column || 1) - 1, lines[n - 1].length)), end);
  const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 19.5;
  ta.scrollTop = Math.max(0, (n - 5) * lineHeight);
  $("#gutter").scrollTop = ta.scrollTop;
}

function renderProblems(result) {
  const list = $("#problems");
  list.textContent = "";
  const marks = {};
  for (const p of result.problems) {
    if (p.line) marks[p.line] = p.severity === "error" ? "bad" : (marks[p.line] || "warn");
    const where = p.line ? `第${p.line}行` : "（文件）";
    const label = `${SEV_LABEL[p.severity] || p.severity}：${where} ${p.path || ""} ${p.message}`;
    const button = el("button", { type: "button", "aria-label": label, "data-path": p.path, "data-line": p.line || "",
                                  onclick: () => goToLine(p.line, p.column) },
      el("strong", { text: where }), " ", p.path ? el("code", { text: p.path }) : null, " ", p.message);
    list.append(el("li", { class: p.severity }, button));
  }
  state.marks = marks;
  updateGutter(marks);
  const verdict = $("#validate-verdict");
  verdict.textContent = result.valid
    ? `校验通过${result.warnings ? `，${result.warnings}处提示` : ""}`
    : `未通过：${result.errors}处错误${result.warnings ? `，${result.warnings}处提示` : ""}`;
  verdict.className = "verdict " + (result.valid ? "ok" : "bad");
  const table = $("#summary");
  const body = $("tbody", table);
  body.textContent = "";
  for (const row of result.summary || []) body.append(el("tr", {}, el("th", { scope: "row", text: row.label }), el("td", { text: row.value })));
  table.hidden = !(result.summary || []).length;
  state.allowed = result.allowed_forms;
  renderForms();
}

async function validateCase() {
  const text = $("#case-text").value;
  if (!text.trim()) { status("请先载入案件文件或示例", true); return null; }
  status("正在校验……");
  try {
    const response = await call("/validate", { method: "POST", body: text, headers: caseHeaders() });
    const result = await response.json();
    renderProblems(result);
    status(result.valid ? "校验完成：可以生成文书" : `校验完成：${result.errors}处错误，请按列表逐项修改`, !result.valid);
    return result;
  } catch (err) { showProblem(err); return null; }
}

function renderForms() {
  const box = $("#form-list");
  const checked = new Set($$("input[name=form]:checked", box).map((i) => i.value));
  box.textContent = "";
  for (const f of state.forms) {
    const allowed = !state.allowed || state.allowed.includes(f.code);
    const id = "form-" + f.code;
    const input = el("input", { type: "checkbox", name: "form", value: f.code, id,
                                checked: checked.has(f.code) && allowed, disabled: !allowed });
    const reason = state.reasons && state.reasons[f.code];
    box.append(el("label", { for: id, class: allowed ? null : "disabled", title: reason || null },
      input, " ", f.title, reason && !allowed ? el("small", { text: reason }) : null));
  }
}

async function loadStageReasons() {
  try {
    const response = await call("/stage", { method: "POST", body: $("#case-text").value, headers: caseHeaders() });
    const stage = await response.json();
    state.reasons = Object.fromEntries(stage.forms.filter((f) => !f.allowed).map((f) => [f.form, f.reason]));
    state.allowed = stage.forms.filter((f) => f.allowed).map((f) => f.form);
    renderForms();
  } catch { /* the stage module may be absent: every form stays selectable */ }
}

function chosenForms() { return $$("input[name=form]:checked").map((i) => i.value); }
function chosenFormat() { return ($("input[name=format]:checked") || {}).value || "docx"; }

async function generate(preview) {
  const result = await validateCase();
  if (!result || !result.valid) return;
  await loadStageReasons();
  const forms = chosenForms();
  if (!forms.length) { status("请至少选择一份文书", true); $("#form-list input:not(:disabled)")?.focus(); return; }
  const fmt = preview ? "html" : chosenFormat();
  const body = $("#case-text").value;
  try {
    if (preview) {
      status("正在生成预览……");
      const response = await call(`/generate?form=${encodeURIComponent(forms[0])}&format=html`,
                                  { method: "POST", body, headers: caseHeaders() });
      const html = await response.text();
      const frame = $("#preview-frame");
      frame.srcdoc = html;
      $("#preview-box").hidden = false;
      const title = state.forms.find((f) => f.code === forms[0])?.title || forms[0];
      $("#preview-title").textContent = `预览：${title}` + (forms.length > 1 ? "（预览所选的第一份）" : "");
      status("预览已生成");
      return;
    }
    status(forms.length === 1 ? "正在生成文书……" : `正在生成案卷（${forms.length}份）……`);
    const query = forms.length === 1
      ? `/generate?form=${encodeURIComponent(forms[0])}&format=${fmt}`
      : `/dossier?format=${fmt}&` + forms.map((f) => "forms=" + encodeURIComponent(f)).join("&");
    const response = await call(query, { method: "POST", body, headers: caseHeaders() });
    const name = await save(response, forms.length === 1 ? `${forms[0]}.${FORMAT_EXT[fmt]}` : "dossier.zip");
    status(`已下载：${name}`);
  } catch (err) { showProblem(err); }
}

async function loadExamples() {
  try {
    const [forms, examples] = await Promise.all([call("/forms").then((r) => r.json()), call("/examples").then((r) => r.json())]);
    state.forms = forms;
    renderForms();
    const kinds = $("#doc-type");  // the kinds the checker reviews, from the form catalogue
    for (const f of forms.filter((f) => f.checkable)) kinds.append(el("option", { value: f.code, text: f.title }));
    const select = $("#example");
    for (const ex of examples) select.append(el("option", { value: ex.name, text: `${ex.title}（${ex.jurisdiction || ""}）` }));
    const jur = await call("/jurisdictions").then((r) => r.json());
    const js = $("#doc-jurisdiction");
    for (const j of jur) js.append(el("option", { value: j.key, text: `${j.name}（${j.key}）` }));
  } catch (err) { showProblem(err); }
}

async function loadExample() {
  const name = $("#example").value;
  if (!name) { status("请先选择一个示例", true); $("#example").focus(); return; }
  try {
    const response = await call("/examples/" + encodeURIComponent(name));
    $("#case-text").value = await response.text();
    state.allowed = null; state.reasons = null;
    updateGutter({});
    status(`已载入示例：${name}`);
    const result = await validateCase();
    if (result && result.valid) await loadStageReasons();
  } catch (err) { showProblem(err); }
}

function setupDraft() {
  $("#load-example").addEventListener("click", loadExample);
  $("#validate").addEventListener("click", async () => { const r = await validateCase(); if (r && r.valid) loadStageReasons(); });
  $("#preview").addEventListener("click", () => generate(true));
  $("#download").addEventListener("click", () => generate(false));
  $("#forms-allowed").addEventListener("click", () => { for (const i of $$("input[name=form]:not(:disabled)")) i.checked = true; });
  $("#forms-none").addEventListener("click", () => { for (const i of $$("input[name=form]")) i.checked = false; });
  const ta = $("#case-text");
  ta.addEventListener("input", () => updateGutter());
  ta.addEventListener("scroll", () => { $("#gutter").scrollTop = ta.scrollTop; });
  ta.addEventListener("keydown", (e) => {   // Tab inserts two spaces; Esc then Tab leaves the editor
    if (e.key === "Escape") { ta.dataset.escaped = "1"; return; }
    if (e.key === "Tab" && !e.shiftKey && !ta.dataset.escaped) {
      e.preventDefault();
      const s = ta.selectionStart;
      ta.setRangeText("  ", s, ta.selectionEnd, "end");
      updateGutter();
    }
  });
  ta.addEventListener("blur", () => { delete ta.dataset.escaped; });
  $("#case-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    $("#case-text").value = await file.text();
    state.allowed = null; state.reasons = null;
    updateGutter({});
    status(`已载入文件：${file.name}`);
    const result = await validateCase();
    if (result && result.valid) await loadStageReasons();
  });
  $("#token").addEventListener("change", (e) => sessionStorage.setItem("ecoclaim-token", e.target.value));
  updateGutter({});
}

// ---------------------------------------------------------------- reviewing

function setFiles(list) {
  state.files = Array.from(list);
  const ul = $("#chosen");
  ul.textContent = "";
  for (const f of state.files) ul.append(el("li", { text: `${f.name}（${Math.ceil(f.size / 1024)} KB）` }));
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

function formData() {
  const fd = new FormData();
  for (const f of state.files) fd.append("files", f, f.name);
  const accepted = acceptances();
  if (accepted.length) fd.append("accepted", JSON.stringify(accepted));
  return fd;
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

async function runCheck() {
  if (!state.files.length) { status("请先选择或拖入要审查的文件", true); $("#doc-files").focus(); return; }
  status("正在审查……");
  try {
    const response = await call(checkQuery("json"), { method: "POST", body: formData() });
    const result = await response.json();
    state.reports = result.reports;
    const select = $("#report-file");
    select.textContent = "";
    result.reports.forEach((r, i) => select.append(el("option", { value: String(i), text: r.file })));
    $("#results").hidden = false;
    showReport(0);
    const s = result.summary;
    status(`审查完成：${s.files}个文件，${s.errors}处错误、${s.warnings}处警告、${s.infos}处提示` +
           (s.unreadable ? `；${s.unreadable}个文件无法读取` : ""));
  } catch (err) { showProblem(err); }
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

const SEV_RANK = { error: 0, warning: 1, info: 2 };

function showReport(index) {
  state.current = index;
  const report = state.reports[index];
  $("#report-file").value = String(index);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  for (const k of Object.keys(counts)) $("#count-" + k).textContent = String(counts[k]);
  $("#report-meta").textContent = report.error ? report.error
    : `文书种类：${report.doc_type || "未识别"}；辖区：${report.jurisdiction || "未识别"}` +
      (report.notes && report.notes.length ? "；" + report.notes.join("；") : "");
  renderReport();
}

function visibleSeverities() { return new Set($$("input[name=sev]:checked").map((i) => i.value)); }

function renderReport() {
  const report = state.reports[state.current];
  const show = visibleSeverities();
  const findings = report.findings.map((f, i) => ({ ...f, id: i, range: spanOf(report, f) })).filter((f) => show.has(f.severity));
  // document text with highlighted spans
  const box = $("#doc-text");
  box.textContent = "";
  const text = report.text || "";
  // findings about the whole document (a missing element has no place in the text): a highlighted
  // note above the text, opened like the others
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
    const top = covering[0];
    const mark = el("mark", { class: `finding ${top.severity}`, "data-finding": covering.map((f) => f.id).join(" "),
                              "data-rule": covering.map((f) => f.rule).join(" "), tabindex: "0", role: "button",
                              "aria-label": `${SEV_LABEL[top.severity]}：${top.message}（${piece.slice(0, 20)}）`,
                              title: covering.map((f) => `${SEV_LABEL[f.severity]}：${f.message}`).join("\n") }, piece);
    mark.addEventListener("click", () => openFinding(top.id));
    mark.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openFinding(top.id); } });
    box.append(mark);
  }
  if (!text) box.append(el("p", { class: "hint", text: report.error || "（无全文）" }));
  // findings list
  const list = $("#findings");
  list.textContent = "";
  for (const f of findings) {
    const where = f.location ? [f.location.page && `第${f.location.page}页`, f.location.paragraph && `第${f.location.paragraph}段`].filter(Boolean).join("") : "";
    list.append(el("li", { "data-severity": f.severity },
      el("button", { type: "button", "data-finding": String(f.id), "data-rule": f.rule, onclick: () => openFinding(f.id) },
        el("span", { class: `sev ${f.severity}`, text: SEV_LABEL[f.severity] }), f.message,
        where ? el("span", { class: "hint", text: `（${where}${f.range ? "" : "，全文"}）` }) : (f.range ? null : el("span", { class: "hint", text: "（全文）" })))));
  }
  // rules that applied but could not be evaluated are listed, and "未发现问题" is said only when there are none
  for (const u of report.not_evaluated || []) {
    list.append(el("li", { "data-severity": "unchecked" },
      el("span", { class: "sev unchecked", text: "未能核对" }), `${u.title}：${u.reason}`));
  }
  if (report.error) {
    // a file that could not be read is never "未发现问题"
    list.append(el("li", { "data-severity": "error", text: `无法审查：${report.error}` }));
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
    el("p", {}, el("span", { class: `sev ${f.severity}`, text: SEV_LABEL[f.severity] }), el("strong", { text: f.message })),
    el("p", { class: "hint", text: `规则 ${f.rule}` + (f.element ? ` · 要素 ${f.element}` : "") + ` · 类别 ${f.category}` }));
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
  if (f.suggestion) body.append(el("h4", { text: "修改建议" }), el("p", { class: "suggestion", text: f.suggestion }));
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
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: "report.json" });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status("已下载：report.json");
    return;
  }
  if (fmt === "docx" && (state.files.length !== 1 || !/\.docx$/i.test(state.files[0].name))) {
    status("批注版只能由一份 DOCX 文书生成：请只选择一份 .docx 文书");
    return;
  }
  try {
    const response = await call(checkQuery(fmt), { method: "POST", body: formData() });
    const name = await save(response, `report.${fmt}`);
    status(`已下载：${name}`);
  } catch (err) { showProblem(err); }
}

function setupReview() {
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

document.addEventListener("DOMContentLoaded", () => {
  const saved = sessionStorage.getItem("ecoclaim-token");
  if (saved) { $("#token").value = saved; $("#token-box").hidden = false; }
  setupTabs();
  setupDraft();
  setupReview();
  loadExamples();
});
