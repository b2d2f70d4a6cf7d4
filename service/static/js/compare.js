// 版本比较: two versions of a document (/api/v1/diff) — what changed by element (条款), the amounts,
// dates, parties and identifiers added or removed, and the line-by-line text diff.

import { call, save, showProblem } from "./http.js";
import { $, $$, el, status } from "./util.js";

let catalogue = { kinds: {}, jurisdictions: {} };

function body() {
  const old = $("#diff-old").files[0];
  const neu = $("#diff-new").files[0];
  if (!old || !neu) return null;
  const form = new FormData();
  form.append("old", old, old.name);
  form.append("new", neu, neu.name);
  return form;
}

function query(fmt) {
  const q = new URLSearchParams({ format: fmt });
  if ($("#diff-type").value) q.set("type", $("#diff-type").value);
  return "/diff?" + q.toString();
}

function render(c) {
  const box = $("#diff-result");
  box.textContent = "";
  const changed = c.elements.filter((e) => e.change !== "unchanged");
  box.append(el("p", {}, el("strong", { text: `${c.old} → ${c.new}` }),
    `（${catalogue.kinds[c.doc_type] || c.doc_type} · ${catalogue.jurisdictions[c.jurisdiction] || c.jurisdiction}）：` +
    `条款${changed.length}项有变化、${c.elements.length - changed.length}项未变；数值变化${c.values.length}处`));
  const show = el("input", { type: "checkbox", id: "diff-show-all" });
  const rows = c.elements.map((e) => el("tr", { class: e.change, "data-element": e.element },
    el("th", { scope: "row", text: e.title }), el("td", { class: "change", text: e.change_label }),
    el("td", { class: "old", text: e.old || "" }), el("td", { class: "new", text: e.new || "" })));
  const table = el("table", { class: "diff-elements", id: "diff-elements" },
    el("caption", { text: "按条款（要素）" }),
    el("thead", {}, el("tr", {}, ...["条款", "变化", "原版本", "新版本"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows));
  const sync = () => { for (const r of rows) r.hidden = !show.checked && r.classList.contains("unchanged"); };
  show.addEventListener("change", sync);
  sync();
  box.append(el("h3", { text: "条款" }), el("label", {}, show, " 显示未变的条款"), el("div", { class: "table-scroll" }, table));
  box.append(el("h3", { text: "金额、日期、当事人和证件号码" }));
  box.append(c.values.length
    ? el("ul", { class: "diff-values", id: "diff-values" }, ...c.values.map((v) => el("li", { class: v.change },
        el("strong", { text: `${v.label}：${v.value}` }), el("span", { class: "hint", text: `（…${v.context}…）` }))))
    : el("p", { class: "hint", text: "无变化" }));
  box.append(el("h3", { text: "逐行文字差异" }));
  const pre = el("pre", { class: "text-diff", id: "diff-text" });
  for (const line of c.text_diff) {
    pre.append(el("span", { class: line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del" : "" , text: line }), "\n");
  }
  box.append(c.text_diff.length ? pre : el("p", { class: "hint", text: "两个版本的文字相同" }));
}

async function run() {
  const form = body();
  if (!form) { status("请选择原来的版本和新的版本两个文件", true); (!$("#diff-old").files[0] ? $("#diff-old") : $("#diff-new")).focus(); return; }
  status("正在比较……");
  try {
    const c = await call(query("json"), { method: "POST", body: form }).then((r) => r.json());
    render(c);
    status(c.elements.some((e) => e.change !== "unchanged") || c.values.length || c.text_diff.length
      ? "比较完成：两个版本有变化" : "比较完成：两个版本相同");
  } catch (err) { showProblem(err); }
}

async function download() {
  const form = body();
  if (!form) { status("请选择原来的版本和新的版本两个文件", true); return; }
  try {
    const name = await save(await call(query("html"), { method: "POST", body: form }), "比较报告.html");
    status(`已下载：${name}`);
  } catch (err) { showProblem(err); }
}

export function setupCompare({ forms, jurisdictions }) {
  catalogue = { kinds: Object.fromEntries(forms.map((f) => [f.code, f.title])),
                jurisdictions: Object.fromEntries(jurisdictions.map((j) => [j.key, j.name])) };
  const kinds = $("#diff-type");
  for (const f of forms.filter((f) => f.checkable)) kinds.append(el("option", { value: f.code, text: f.title }));
  $("#diff-run").addEventListener("click", run);
  $("#diff-html").addEventListener("click", download);
  for (const input of $$("#panel-compare input[type=file]")) input.addEventListener("change", () => { $("#diff-result").textContent = ""; });
}
