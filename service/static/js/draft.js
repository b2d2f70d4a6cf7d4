// 起草: the case data (YAML editor or form), validation with problems at their line or field, the
// forms the case allows, preview and download of documents and dossiers.

import * as caseform from "./caseform.js";
import { call, save, showProblem } from "./http.js";
import { caseText, onCaseChange, replaceCase, setCaseText } from "./store.js";
import { $, $$, debounce, el, SEV_LABEL, status } from "./util.js";

const FORMAT_EXT = { docx: "docx", pdf: "pdf", html: "html", md: "md" };
const VIEW_KEY = "ecoclaim-view";
const state = { forms: [], allowed: null, reasons: null, marks: {}, view: "yaml" };

export function caseHeaders(text = caseText()) {
  return { "Content-Type": text.trimStart().startsWith("{") ? "application/json" : "application/yaml" };
}

// ---------------------------------------------------------------- the YAML editor

function updateGutter(marks = state.marks) {
  const lines = caseText().split("\n").length;
  const gutter = $("#gutter");
  gutter.textContent = "";
  for (let i = 1; i <= lines; i++) gutter.append(el("span", { class: marks[i] || null, text: String(i) }), "\n");
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

// ---------------------------------------------------------------- validation

function byLine(a, b) {
  return (a.line || Infinity) - (b.line || Infinity) || String(a.path).localeCompare(String(b.path));
}

function renderProblems(result) {
  const list = $("#problems");
  list.textContent = "";
  const marks = {};
  const problems = [...result.problems].sort(byLine);
  for (const p of problems) {
    if (p.line) marks[p.line] = p.severity === "error" ? "bad" : (marks[p.line] || "warn");
    const where = p.line ? `第${p.line}行` : "（文件）";
    const title = p.path ? caseform.titleFor(p.path) : "";
    const label = `${SEV_LABEL[p.severity] || p.severity}：${where} ${title} ${p.path || ""} ${p.message}`;
    const button = el("button", { type: "button", "aria-label": label, "data-path": p.path, "data-line": p.line || "",
                                  onclick: () => openProblem(p) },
      el("strong", { text: where }), " ", title ? el("span", { class: "field-title", text: title }) : null, " ",
      p.path ? el("code", { text: p.path }) : null, " ", p.message);
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
  if (state.view === "form") caseform.showProblems(problems);
  state.allowed = result.allowed_forms;
  renderForms();
}

function openProblem(p) {
  if (state.view === "form" && p.path && caseform.focusPath(p.path)) return;
  if (state.view === "form" && p.line) showView("yaml");
  goToLine(p.line, p.column);
}

/** Validate the editor's case; with the data as read when the form shows it. */
export async function validateCase({ quiet = false } = {}) {
  const text = caseText();
  if (!text.trim()) {
    if (!quiet) status("请先载入案件文件或示例，或用表单填写", true);
    return null;
  }
  if (!quiet) status("正在校验……");
  try {
    const query = state.view === "form" ? "/validate?include_data=true" : "/validate";
    const result = await call(query, { method: "POST", body: text, headers: caseHeaders(text) }).then((r) => r.json());
    renderProblems(result);
    if (!quiet) status(result.valid ? "校验完成：可以生成文书" : `校验完成：${result.errors}处错误，请按列表逐项修改`, !result.valid);
    return result;
  } catch (err) { showProblem(err); return null; }
}

// ---------------------------------------------------------------- form or YAML

/** Show the case as a form or as YAML; the form is drawn from the data the server read. */
async function showView(view) {
  if (view === "form") {
    try { await caseform.loadSchema(); } catch (err) { showProblem(err); return; }
    if (caseText().trim()) {
      state.view = "form";
      const result = await validateCase({ quiet: true });
      if (!result || !result.data) {
        state.view = "yaml";
        status("案件数据有语法错误，无法显示为表单：请先按校验结果在 YAML 编辑框中修改（点击问题可跳到该行）", true);
        return;
      }
      caseform.load(result.data);
      caseform.showProblems([...result.problems].sort(byLine));
    } else {
      caseform.load(null);
    }
  }
  state.view = view;
  localStorage.setItem(VIEW_KEY, view);
  $("#case-form").hidden = view !== "form";
  $("#yaml-editor").hidden = view !== "yaml";
  for (const b of $$("[data-view]")) b.setAttribute("aria-pressed", b.dataset.view === view ? "true" : "false");
}

const validateSoon = debounce(() => validateCase(), 400);  // the status line follows the form's edits

async function afterLoad() {
  state.allowed = null; state.reasons = null;
  const result = await validateCase();
  if (state.view === "form") {
    if (result && result.data) { caseform.load(result.data); caseform.showProblems([...result.problems].sort(byLine)); }
    else if (!caseText().trim()) caseform.load(null);
    else showView("yaml");
  }
  if (result && result.valid) await loadStageReasons();
}

// ---------------------------------------------------------------- forms and generation

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
    const stage = await call("/stage", { method: "POST", body: caseText(), headers: caseHeaders() }).then((r) => r.json());
    state.reasons = Object.fromEntries(stage.forms.filter((f) => !f.allowed).map((f) => [f.form, f.reason]));
    state.allowed = stage.forms.filter((f) => f.allowed).map((f) => f.form);
    renderForms();
  } catch { /* the stage module may be absent: every form stays selectable */ }
}

const chosenForms = () => $$("input[name=form]:checked").map((i) => i.value);
const chosenFormat = () => ($("input[name=format]:checked") || {}).value || "docx";

async function generate(preview) {
  const result = await validateCase();
  if (!result || !result.valid) return;
  await loadStageReasons();
  const forms = chosenForms();
  if (!forms.length) { status("请至少选择一份文书", true); $("#form-list input:not(:disabled)")?.focus(); return; }
  const fmt = preview ? "html" : chosenFormat();
  const body = caseText();
  try {
    if (preview) {
      status("正在生成预览……");
      const response = await call(`/generate?form=${encodeURIComponent(forms[0])}&format=html`,
                                  { method: "POST", body, headers: caseHeaders() });
      $("#preview-frame").srcdoc = await response.text();
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

async function loadExample() {
  const name = $("#example").value;
  if (!name) { status("请先选择一个示例", true); $("#example").focus(); return; }
  try {
    const text = await call("/examples/" + encodeURIComponent(name)).then((r) => r.text());
    replaceCase(text, `示例 ${name}`);
    status(`已载入示例：${name}`);
  } catch (err) { showProblem(err); }
}

export function setupDraft({ forms, examples }) {
  state.forms = forms;
  renderForms();
  const select = $("#example");
  for (const ex of examples) select.append(el("option", { value: ex.name, text: `${ex.title}（${ex.jurisdiction || ""}）` }));
  caseform.setupForm((yaml) => setCaseText(yaml, { source: "表单填写", from: "form" }));
  onCaseChange(({ from }) => {
    updateGutter();
    if (from === "load" || from === "restore") afterLoad();
    else if (from === "form") validateSoon();
  });
  $("#load-example").addEventListener("click", loadExample);
  $("#validate").addEventListener("click", async () => { const r = await validateCase(); if (r && r.valid) loadStageReasons(); });
  $("#preview").addEventListener("click", () => generate(true));
  $("#download").addEventListener("click", () => generate(false));
  $("#forms-allowed").addEventListener("click", () => { for (const i of $$("input[name=form]:not(:disabled)")) i.checked = true; });
  $("#forms-none").addEventListener("click", () => { for (const i of $$("input[name=form]")) i.checked = false; });
  for (const b of $$("[data-view]")) b.addEventListener("click", () => showView(b.dataset.view));
  const ta = $("#case-text");
  ta.addEventListener("scroll", () => { $("#gutter").scrollTop = ta.scrollTop; });
  ta.addEventListener("keydown", (e) => {   // Tab inserts two spaces; Esc then Tab leaves the editor
    if (e.key === "Escape") { ta.dataset.escaped = "1"; return; }
    if (e.key === "Tab" && !e.shiftKey && !ta.dataset.escaped) {
      e.preventDefault();
      ta.setRangeText("  ", ta.selectionStart, ta.selectionEnd, "end");
      ta.dispatchEvent(new Event("input"));
    }
  });
  ta.addEventListener("blur", () => { delete ta.dataset.escaped; });
  $("#case-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    replaceCase(await file.text(), `文件 ${file.name}`);
    e.target.value = "";
    status(`已载入文件：${file.name}`);
  });
  updateGutter({});
}

/** The view (form or YAML) the user chose last time, once the saved case is back in the editor. */
export function restoreView() {
  if (localStorage.getItem(VIEW_KEY) === "form") showView("form");
}
