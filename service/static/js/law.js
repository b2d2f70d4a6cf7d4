// 规则与法规: the review rules (/api/v1/rules, filterable, each with its statement, suggestion and the
// full articles it rests on) and a search of the regulations (/api/v1/corpus/search).

import { call, showProblem } from "./http.js";
import { $, el, SEV_LABEL, status } from "./util.js";

let rules = [];
let kinds = {};

function ruleItem(r) {
  const body = el("div", { class: "rule-body" });
  const item = el("details", { class: "rule", "data-rule": r.code },
    el("summary", {}, el("span", { class: `sev ${r.severity || "info"}`, text: SEV_LABEL[r.severity] || "提示" }),
      el("code", { text: r.code }), " ", r.title || r.message || "",
      el("span", { class: "hint", text: `（${r.doc_types.map((k) => kinds[k] || k).join("、")}）` })),
    body);
  item.addEventListener("toggle", async () => {
    if (!item.open || body.childElementCount) return;
    try {
      const d = await call("/rules/" + encodeURIComponent(r.code)).then((x) => x.json());
      if (d.doc) body.append(el("p", { text: d.doc }));
      if (d.suggestion) body.append(el("p", { class: "suggestion", text: "修改建议：" + d.suggestion }));
      for (const u of d.law) body.append(el("h4", { text: "依据：" + u.citation }), el("blockquote", { text: u.text }));
    } catch (err) { showProblem(err); }
  });
  return item;
}

function showRules() {
  const words = $("#rule-filter").value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = rules.filter((r) => {
    const text = [r.code, r.title, r.message, ...r.doc_types.map((k) => kinds[k] || k)].join(" ").toLowerCase();
    return words.every((w) => text.includes(w));
  });
  $("#rule-count").textContent = `${shown.length}条规则（共${rules.length}条）`;
  $("#rule-list").replaceChildren(...shown.map(ruleItem));
}

async function loadRules() {
  if (rules.length) return;
  try {
    rules = await call("/rules").then((r) => r.json());
    showRules();
  } catch (err) { showProblem(err); }
}

async function search(e) {
  e.preventDefault();
  const q = $("#corpus-q").value.trim();
  if (!q) { status("请输入要检索的词语，如 履约保证金", true); $("#corpus-q").focus(); return; }
  try {
    const hits = await call("/corpus/search?q=" + encodeURIComponent(q)).then((r) => r.json());
    const list = $("#corpus-hits");
    list.replaceChildren(...hits.map((h) => {
      const full = el("div");
      const item = el("details", { class: "hit", "data-address": h.address },
        el("summary", {}, el("strong", { text: h.citation }), el("span", { class: "hint", text: "　" + h.snippet })), full);
      item.addEventListener("toggle", async () => {
        if (!item.open || full.childElementCount) return;
        try {
          const unit = await call("/corpus/units/" + encodeURIComponent(h.address)).then((r) => r.json());
          full.append(el("blockquote", { text: unit.text }));
        } catch (err) { showProblem(err); }
      });
      return item;
    }));
    status(hits.length ? `“${q}”出现在${hits.length}条条文中` : `没有条文含有“${q}”`);
  } catch (err) { showProblem(err); }
}

export function setupLaw({ forms }) {
  kinds = Object.fromEntries(forms.map((f) => [f.code, f.title]));
  $("#tab-law").addEventListener("click", loadRules);
  $("#rule-filter").addEventListener("input", showRules);
  $("#corpus-form").addEventListener("submit", search);
  if (!$("#panel-law").hidden) loadRules();
}
