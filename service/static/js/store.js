// The case data being edited: one text (the YAML editor's), kept in this browser as it is typed
// (localStorage), restored on the next visit, downloadable and protected when the tab is closed.

import { $, downloadBlob, el, safeName, status } from "./util.js";

const KEY = "ecoclaim-draft";
const listeners = [];
let dirty = false;
let origin = "";

export const caseText = () => $("#case-text").value;
export const isDirty = () => dirty;
/** fn({from}) after every change of the case text; from = "editor" | "form" | "load" | "restore". */
export const onCaseChange = (fn) => listeners.push(fn);

function persist() {
  const text = caseText();
  try {
    if (text.trim()) localStorage.setItem(KEY, JSON.stringify({ text, dirty, origin, saved: new Date().toISOString() }));
    else localStorage.removeItem(KEY);
  } catch (_e) {
    status("浏览器存储空间不足，无法自动保存：请点“保存案件数据”下载到本机", true);
  }
}

function changed(from) {
  persist();
  for (const fn of listeners) fn({ from });
}

/** Replace the case text. `source` names where it came from (shown when it is restored later);
 *  `unsaved` whether it differs from a file the user has (false for a file just loaded). */
export function setCaseText(text, { source = origin, unsaved = true, from = "load" } = {}) {
  $("#case-text").value = text;
  origin = source;
  dirty = unsaved;
  changed(from);
}

export function caseName(text = caseText()) {
  const m = /^case_name:\s*["']?(.+?)["']?\s*$/m.exec(text) || /"case_name"\s*:\s*"([^"]+)"/.exec(text);
  return m ? m[1] : "";
}

/** A note above the editor with buttons ([label, handler] pairs); one at a time. */
export function notice(message, actions = []) {
  const box = $("#case-notice");
  box.textContent = "";
  box.append(el("span", { text: message }));
  for (const [label, handler, id] of actions) {
    box.append(" ", el("button", { type: "button", id: id || null, text: label,
                                  onclick: () => { box.hidden = true; handler(); } }));
  }
  box.append(" ", el("button", { type: "button", text: "知道了", onclick: () => { box.hidden = true; } }));
  box.hidden = false;
}

/** Replace the editor's text with something loaded, keeping what it replaces one click away. */
export function replaceCase(text, source) {
  const before = caseText();
  const hadUnsaved = dirty && before.trim() && before !== text;
  const previous = { text: before, origin, dirty };
  setCaseText(text, { source, unsaved: false });
  if (hadUnsaved) {
    notice(`已载入${source}，替换了编辑框中未保存的内容。`, [["撤销载入", () => {
      setCaseText(previous.text, { source: previous.origin, unsaved: previous.dirty });
      status("已恢复载入前的内容");
    }, "undo-load"]]);
  }
}

function download() {
  const text = caseText();
  if (!text.trim()) { status("编辑框是空的，没有可保存的案件数据", true); return; }
  const json = text.trimStart().startsWith("{");
  const name = `${safeName(caseName(text)) || "案件数据"}.${json ? "json" : "yaml"}`;
  downloadBlob(new Blob([text], { type: json ? "application/json" : "application/yaml" }), name);
  dirty = false;
  persist();
  status(`已下载案件数据：${name}（以后可用“载入案件文件”继续编辑）`);
}

function restore() {
  let saved = null;
  try { saved = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (_e) { saved = null; }
  if (!saved || !saved.text || !saved.text.trim()) return;
  $("#case-text").value = saved.text;
  origin = saved.origin || "";
  dirty = Boolean(saved.dirty);
  const when = saved.saved ? new Date(saved.saved).toLocaleString("zh-CN", { hour12: false }) : "";
  const name = caseName(saved.text) || "未命名案件";
  const lines = saved.text.split("\n").length;
  notice(`已恢复上次在本浏览器中编辑的案件数据：${name}（${origin ? origin + "，" : ""}${lines}行，${when}自动保存` +
         `${dirty ? "，尚未下载保存" : ""}）。`,
         [["放弃恢复的内容", () => {
           setCaseText("", { source: "", unsaved: false, from: "restore" });
           status("已放弃恢复的内容，编辑框已清空");
         }, "discard-restored"]]);
  for (const fn of listeners) fn({ from: "restore" });
}

export function setupStore() {
  const ta = $("#case-text");
  ta.addEventListener("input", () => { dirty = true; changed("editor"); });
  $("#save-case").addEventListener("click", download);
  window.addEventListener("beforeunload", (e) => {
    if (!dirty) return;
    e.preventDefault();
    e.returnValue = "";  // the browser asks whether to leave: the case data has not been downloaded
  });
  restore();
}
