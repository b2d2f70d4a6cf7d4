// 期限: the deadlines of the case in the 起草 editor (/api/v1/timeline) as a table: each step's start,
// period, due date, completion, status (overdue marked) and the articles it rests on.

import { caseHeaders } from "./draft.js";
import { call, save, showProblem } from "./http.js";
import { caseText } from "./store.js";
import { $, el, status } from "./util.js";

const BREACH = new Set(["late", "overdue", "violated"]);
const OPEN = new Set(["due", "overdue", "paused"]);

function query(fmt) {
  const q = new URLSearchParams({ format: fmt });
  if ($("#timeline-on").value) q.set("on", $("#timeline-on").value);
  return "/timeline?" + q.toString();
}

function basisCell(basis) {
  const cell = el("td", { class: "basis" });
  for (const b of basis || []) {
    cell.append(el("details", {}, el("summary", { text: b.citation || b.address }), el("p", { text: b.text || "" })));
  }
  return cell;
}

function dateText(part) {
  return part && part.date ? `${part.label}：${part.date}` : part && part.label ? `${part.label}：（未填写）` : "";
}

function stepRow(s) {
  const mark = BREACH.has(s.status) ? "breach" : OPEN.has(s.status) ? "open" : "done";
  const due = el("td", { class: "due" }, s.due || "—");
  if (s.moved_from) due.append(el("small", { text: `（原${s.moved_from}，遇休息日顺延）` }));
  if (s.estimated) due.append(el("small", { text: "＊含估算的节假日" }));
  const state = el("td", { class: `state ${mark}` },
    BREACH.has(s.status) ? el("strong", { class: "overdue-mark", text: "⚠ " }) : null, s.status_label || "");
  const title = el("th", { scope: "row" }, s.title);
  for (const n of [...(s.notes || []), ...(s.warnings || [])]) title.append(el("small", { text: n }));
  return el("tr", { class: mark, "data-step": s.code }, title,
    el("td", { text: dateText(s.start) }), el("td", { text: s.limit ? s.limit.text : "" }), due,
    el("td", { text: s.done && s.done.date ? dateText(s.done) : "未完成" }), state, basisCell(s.basis));
}

function render(tl) {
  const box = $("#timeline-result");
  box.textContent = "";
  const overdue = tl.steps.filter((s) => BREACH.has(s.status)).length;
  box.append(el("p", { class: "timeline-head" },
    el("strong", { text: tl.case_name }), tl.case_number ? `（${tl.case_number}）` : "",
    `　${tl.jurisdiction_name || tl.jurisdiction}　按 ${tl.on} 计算　当前阶段：${tl.stage.label}` +
    (tl.stage.since ? `（自${tl.stage.since}）` : ""),
    overdue ? el("strong", { class: "overdue-mark", text: `　${overdue}项已逾期或超期` }) : null));
  if (tl.next && tl.next.length) {
    box.append(el("h3", { text: "下一步" }),
      el("ul", { class: "next" }, ...tl.next.map((n) => el("li", { text: n.text }))));
  }
  const table = el("table", { class: "timeline", id: "timeline-table" },
    el("caption", { text: "办案期限（⚠ 为已逾期或超期；点依据可看条文原文）" }),
    el("thead", {}, el("tr", {}, ...["环节", "起算", "期限", "到期日", "完成", "状态", "依据"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...tl.steps.map(stepRow)));
  box.append(el("div", { class: "table-scroll" }, table));
  const extras = [
    ...(tl.checks || []).map((c) => c.message),
    ...(tl.fees || []).map((f) => `${f.title}：${f.amount || f.amount_range || ""}元（${f.note || ""}）`),
    ...(tl.calendar_warnings || []).map((w) => w.message),
    ...(tl.sources || []).filter((s) => s.status !== "in_force").map((s) => s.message),
  ];
  if (extras.length) box.append(el("h3", { text: "其他提示" }), el("ul", {}, ...extras.map((t) => el("li", { text: t }))));
}

async function run() {
  const text = caseText();
  if (!text.trim()) { status("请先在“起草”中载入或填写案件数据", true); return; }
  status("正在计算期限……");
  try {
    const tl = await call(query("json"), { method: "POST", body: text, headers: caseHeaders(text) }).then((r) => r.json());
    render(tl);
    status(`期限已计算：${tl.steps.length}个环节`);
  } catch (err) { showProblem(err); }
}

async function ics() {
  const text = caseText();
  if (!text.trim()) { status("请先在“起草”中载入或填写案件数据", true); return; }
  try {
    const name = await save(await call(query("ics"), { method: "POST", body: text, headers: caseHeaders(text) }), "timeline.ics");
    status(`已下载：${name}`);
  } catch (err) { showProblem(err); }
}

export function setupTimeline() {
  $("#timeline-run").addEventListener("click", run);
  $("#timeline-ics").addEventListener("click", ics);
}
