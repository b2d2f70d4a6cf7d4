// The case register page: login, the 台账 with filters, the deadlines board, one case's page.
// Same-origin requests only; the session cookie is HttpOnly, the CSRF token comes from /api/register/me.
"use strict";

const $ = (sel) => document.querySelector(sel);
const ACTIONS = {
  "case.create": "新建案件", "version.create": "保存新版本", "document.record": "登记生成的文书",
  "document.signed": "上传签署件", "review.record": "登记审查结果", "finding.accept": "接受审查发现",
};

function say(text, error = false) {
  const status = $("#status");
  status.textContent = text;
  status.classList.toggle("error", error);
}

async function api(path) {
  const answer = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (answer.status === 401) { showLogin(); throw new Error("未登录"); }
  const body = await answer.json();
  if (!answer.ok) throw new Error(body.detail || "请求失败");
  return body;
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "—" : String(text);
  row.appendChild(td);
  return td;
}

function fill(table, rows, columns) {
  const body = $(table + " tbody");
  body.replaceChildren();
  for (const item of rows) {
    const tr = document.createElement("tr");
    for (const column of columns) {
      const value = column(item, tr);
      if (value !== undefined) cell(tr, value);
    }
    body.appendChild(tr);
  }
}

function show(id) {
  for (const section of ["login", "ledger", "case"]) $("#" + section).hidden = section !== id;
}

function showLogin() {
  $("#logout-form").hidden = true;
  show("login");
}

function caseLink(id, text, tr) {
  const td = cell(tr, "");
  const a = document.createElement("a");
  a.href = "#case=" + id;
  a.textContent = text;
  td.replaceChildren(a);
}

async function loadLedger() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData($("#filters"))) if (String(value).trim()) params.set(key, String(value).trim());
  const [cases, board] = await Promise.all([api("/api/register/cases?" + params), api("/api/register/deadlines")]);
  fill("#cases", cases, [
    (c) => c.id, (c) => c.case_number, (c, tr) => caseLink(c.id, c.title, tr), (c) => c.department,
    (c) => c.stage_label, (c) => c.obligor_names,
    (c, tr) => { const td = cell(tr, c.next_deadline ? `${c.next_deadline} ${c.next_deadline_title}` : null);
      if (c.overdue) { td.classList.add("sev", "error"); td.textContent += "（已逾期）"; } },
  ]);
  for (const part of ["overdue", "week", "month"]) {
    const list = $("#board-" + part);
    list.replaceChildren();
    for (const item of board[part]) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "#case=" + item.case_id;
      a.textContent = `${item.due} ${item.title}：${item.case_title}`;
      li.appendChild(a);
      list.appendChild(li);
    }
    if (!board[part].length) { const li = document.createElement("li"); li.textContent = "无"; list.appendChild(li); }
  }
  say(`共 ${cases.length} 个案件（今天：${board.today}）`);
  show("ledger");
}

async function loadCase(id) {
  const page = await api("/api/register/cases/" + encodeURIComponent(id));
  const c = page.case;
  $("#case-title").textContent = c.title;
  $("#case-meta").textContent = `${c.case_number || "无立案号"} · ${c.department} · ${c.stage_label} · 第${c.current_version}版 · ` +
    (page.access === "write" ? "可修改" : "只读");
  fill("#case-deadlines", page.deadlines, [(d) => d.title, (d) => d.due, (d) => d.done, (d) => d.status_label]);
  fill("#case-versions", page.versions, [(v) => v.number, (v) => v.author, (v) => v.created_at.replace("T", " "), (v) => v.reason]);
  fill("#case-documents", page.documents, [(d) => d.title, (d) => d.file_name, (d) => d.version,
    (d) => d.signed_name ? `${d.signed_name}（${d.signed_by}）` : "未上传"]);
  fill("#case-reviews", page.reviews, [(r) => r.file_name, (r) => r.errors, (r) => r.warnings,
    (r) => r.accepted.map((a) => `${a.rule}：${a.reason}`).join("；") || null, (r) => r.author]);
  fill("#case-audit", page.audit, [(a) => a.at.replace("T", " "), (a) => a.actor, (a) => ACTIONS[a.action] || a.action]);
  say("");
  show("case");
}

async function route() {
  try {
    const me = await api("/api/register/me");
    $("#who").textContent = `${me.display_name}（${me.department_name} · ${me.role_label}）`;
    $("#csrf").value = me.csrf_token || "";
    $("#logout-form").hidden = false;
    const match = location.hash.match(/^#case=(\d+)$/);
    if (match) await loadCase(match[1]); else await loadLedger();
  } catch (error) {
    if (error.message !== "未登录") say(error.message, true);
  }
}

$("#login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answer = await fetch("/login", { method: "POST", body: new URLSearchParams(new FormData(event.target)),
    headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!answer.ok) { say((await answer.json()).detail || "登录失败", true); return; }
  $("#password").value = "";
  say("");
  route();
});
// posted with fetch: a form navigation under this site's Referrer-Policy: no-referrer carries "Origin: null",
// which the service refuses as cross-site
$("#logout-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answer = await fetch("/logout", { method: "POST", body: new URLSearchParams(new FormData(event.target)),
    headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!answer.ok) { say((await answer.json()).detail || "退出失败", true); return; }
  location.hash = "";
  say("已退出登录");
  showLogin();
});
$("#filters").addEventListener("submit", (event) => { event.preventDefault(); loadLedger().catch((e) => say(e.message, true)); });
window.addEventListener("hashchange", route);
route();
