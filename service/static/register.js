// The case register page: login, the 台账 with filters, the deadlines board, the calendar subscription,
// new cases, and one case's page (data form, versions with diffs and approval, documents, reviews, audit).
// Same-origin requests only; the session cookie is HttpOnly, the CSRF token comes from /api/register/me.
// The page shows only the buttons the user's role allows (the server checks again and refuses with 403).
"use strict";

const $ = (sel) => document.querySelector(sel);
const API = "/api/register";
let csrf = "";
let current = null; // the case page shown: { id, page }
const PAGE = 50; // cases per page of the 台账 (the server's default)
let ledgerOffset = 0; // the first case of the 台账 page shown

function say(text, error = false) {
  const status = $("#status");
  status.textContent = text;
  status.classList.toggle("error", error);
}

class Refused extends Error {
  constructor(body) { super(body.detail || body.title || "请求失败"); this.body = body; }
}

async function answerOf(response) {
  if (response.status === 401) { showLogin(); throw new Error("未登录"); }
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : {};
  if (!response.ok) throw new Refused(body);
  return body;
}

async function api(path) {
  return answerOf(await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" }));
}

// a change: JSON (or a FormData for uploads), with the session's CSRF token
async function send(method, path, body) {
  const headers = { Accept: "application/json", "X-CSRF-Token": csrf };
  const init = { method, headers, credentials: "same-origin" };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  return answerOf(await fetch(path, init));
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "—" : String(text);
  row.appendChild(td);
  return td;
}

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
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

// the errors of a refused change, each with its field path and line, under the form that sent it
function showErrors(list, error) {
  list.replaceChildren();
  const items = error instanceof Refused && error.body.errors && error.body.errors.length ? error.body.errors : [];
  if (!items.length) { list.appendChild(element("li", error.message, { class: "error conflict" })); return; }
  list.appendChild(element("li", error.message));
  for (const item of items) {
    const where = (item.path || "（整体）") + (item.line ? `（第${item.line}行）` : "");
    const li = element("li", "");
    li.append(element("code", where), "：" + item.message);
    list.appendChild(li);
  }
}

function stamp(text) {
  return text ? text.replace("T", " ").slice(0, 19) : "—";
}

// ---- the 台账 ---------------------------------------------------------------------------------

// the filters as query parameters (the 台账 page and the XLSX export take the same ones)
function filterParams() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData($("#filters"))) if (String(value).trim()) params.set(key, String(value).trim());
  return params;
}

// one page of the 台账: filtered and searched by the server, nearest deadline first
async function loadCases() {
  const params = filterParams();
  $("#export").href = `${API}/export/ledger.xlsx?` + params;
  params.set("limit", PAGE);
  params.set("offset", ledgerOffset);
  const page = await api(`${API}/cases?` + params);
  if (page.total && ledgerOffset >= page.total) { // the last page emptied meanwhile: show the new last one
    ledgerOffset = Math.floor((page.total - 1) / PAGE) * PAGE;
    return loadCases();
  }
  fill("#cases", page.items, [
    (c) => c.id, (c) => c.case_number, (c, tr) => caseLink(c.id, c.title, tr), (c) => c.department,
    (c) => c.stage_label, (c) => c.obligor_names,
    (c, tr) => { const td = cell(tr, c.next_deadline ? `${c.next_deadline} ${c.next_deadline_title}` : null);
      if (c.overdue) { td.classList.add("sev", "error"); td.textContent += "（已逾期）"; } },
  ]);
  const last = ledgerOffset + page.items.length;
  $("#page-info").textContent = page.total ? `第 ${ledgerOffset + 1}—${last} 个，共 ${page.total} 个案件` : "没有符合条件的案件";
  $("#page-prev").disabled = ledgerOffset === 0;
  $("#page-next").disabled = last >= page.total;
  return page;
}

async function loadLedger(me) {
  const [page, board, feed] = await Promise.all([loadCases(), api(`${API}/deadlines`), api(`${API}/calendar-feed`)]);
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
  const stale = $("#board-stale");
  stale.hidden = !board.stale;
  stale.textContent = board.stale ? `注意：${board.stale} 个案件的期限是按此前的辖区配置、期限规则或节假日安排计算的，可能已过时；`
    + "请管理员运行 ecoclaim db recompute 重新计算（服务启动时也会自动重新计算）。" : "";
  $("#new-case").hidden = !me.permissions.includes("edit");
  showFeed(feed);
  say(`共 ${page.total} 个案件（今天：${board.today}）`);
  show("ledger");
}

function showFeed(feed) {
  $("#feed-state").textContent = feed.active ? `订阅地址已于 ${stamp(feed.created_at)}（UTC）生成，有效。` : "尚未生成订阅地址。";
  $("#feed-revoke").hidden = !feed.active;
  $("#feed-create").textContent = feed.active ? "重新生成订阅地址" : "生成订阅地址";
  $("#feed-url").hidden = !feed.url;
  $("#feed-url").value = feed.url || "";
}

// ---- one case ----------------------------------------------------------------------------------

async function loadCase(id) {
  const page = await api(`${API}/cases/` + encodeURIComponent(id));
  current = { id: page.case.id, page };
  const c = page.case;
  const may = (what) => page.permissions.includes(what);
  $("#case-title").textContent = c.title;
  $("#case-meta").textContent = `${c.case_number || "无立案号"} · ${c.department} · ${c.stage_label} · 第${c.current_version}版 · ` +
    (page.access === "write" ? "本部门案件" : "只读（下级部门）");
  fill("#case-deadlines", page.deadlines, [(d) => d.title, (d) => d.due, (d) => d.done, (d) => d.status_label]);

  $("#data").hidden = !may("edit");
  $("#data-errors").replaceChildren();
  if (may("edit")) {
    const version = await api(`${API}/cases/${c.id}/versions/${c.current_version}`);
    $("#data-text").value = version.text;
    $("#data-reason").value = "";
  }

  const approved = new Map(page.approvals.map((a) => [a.version, a]));
  const last = page.versions.length;
  fill("#case-versions", page.versions, [
    (v, tr) => {
      const td = cell(tr, "");
      for (const side of ["old", "new"]) {
        const radio = element("input", undefined, { type: "radio", name: "diff-" + side, value: v.number,
          "aria-label": `${side === "old" ? "原" : "新"}：第${v.number}版` });
        radio.checked = side === "new" ? v.number === last : v.number === Math.max(1, last - 1);
        td.appendChild(radio);
      }
    },
    (v) => v.number, (v) => v.author, (v) => stamp(v.created_at), (v) => v.reason,
    (v, tr) => {
      const a = approved.get(v.number);
      if (a) { cell(tr, `${a.author}已审批${a.comment ? "：" + a.comment : ""}`); return; }
      const td = cell(tr, "");
      if (may("approve") && v.number === last) {
        const comment = element("input", undefined, { placeholder: "审批意见（可空）", "aria-label": `第${v.number}版的审批意见` });
        const button = element("button", `审批第${v.number}版`, { type: "button", class: "primary" });
        button.addEventListener("click", () => approve(v.number, comment.value));
        td.append(comment, button);
      } else td.textContent = "未审批";
    },
  ]);
  $("#diff-button").hidden = last < 2;
  $("#diff").hidden = true;

  const kinds = $("#generate-kind");
  kinds.replaceChildren(element("option", "案卷：当前阶段允许的全部文书", { value: "" }));
  for (const f of page.forms) kinds.appendChild(element("option", f.title + (f.allowed ? "" : "（当前阶段不宜）"), { value: f.form }));
  $("#generate-form").hidden = !may("generate");
  fill("#case-documents", page.documents, [
    (d) => d.title,
    (d, tr) => { const td = cell(tr, ""); td.appendChild(element("a", d.file_name,
      { href: `${API}/cases/${c.id}/documents/${d.id}/file` })); },
    (d) => `第${d.version}版`,
    (d, tr) => {
      const td = cell(tr, d.signed_name ? "" : "未上传");
      if (d.signed_name) td.appendChild(element("a", `${d.signed_name}（${d.signed_by}）`,
        { href: `${API}/cases/${c.id}/documents/${d.id}/signed` }));
    },
    (d, tr) => {
      const td = cell(tr, "");
      if (may("review")) {
        const button = element("button", "审查此文书", { type: "button" });
        button.addEventListener("click", () => reviewDocument(d.id, d.title));
        td.appendChild(button);
      }
      if (may("generate")) {
        const input = element("input", undefined, { type: "file", "aria-label": `${d.title}的签署件` });
        const button = element("button", "上传签署件", { type: "button" });
        button.addEventListener("click", () => uploadSigned(d.id, input));
        td.append(input, button);
      }
      if (!td.childNodes.length) td.textContent = "—";
    },
  ]);

  $("#review-form").hidden = !may("review");
  showReviews(page, may("review"));
  fill("#case-audit", page.audit, [(a) => stamp(a.at), (a) => a.actor, (a) => a.action_label || a.action, (a) => auditDetail(a)]);
  say("");
  show("case");
}

function auditDetail(entry) {
  const d = entry.detail || {};
  if (entry.action === "version.create") return `第${d.number}版：${d.reason || ""}`;
  if (entry.action === "version.approve") return `第${d.number}版${d.comment ? "：" + d.comment : ""}`;
  if (entry.action === "finding.accept") return `${d.rule}：${d.reason}`;
  if (d.file) return d.file;
  return d.title || null;
}

function showReviews(page, mayReview) {
  const box = $("#case-reviews");
  box.replaceChildren();
  if (!page.reviews.length) box.appendChild(element("p", "尚无审查记录", { class: "hint" }));
  for (const review of page.reviews) {
    const div = element("div", undefined, { class: "review", id: "review-" + review.id });
    const title = element("h4");
    title.appendChild(element("a", review.file_name, { href: `${API}/cases/${page.case.id}/reviews/${review.id}/file` }));
    title.appendChild(document.createTextNode(` · ${review.author} · ${stamp(review.created_at)}`));
    div.appendChild(title);
    div.appendChild(element("p", `错误 ${review.errors} 处，提示 ${review.warnings} 处` +
      (review.version ? `；依据第${review.version}版` : "")));
    const accepted = new Map(review.accepted.map((a) => [a.finding_index, a]));
    const list = element("ol");
    review.findings.forEach((finding, index) => {
      const li = element("li");
      li.append(element("span", finding.severity === "error" ? "错误" : finding.severity === "warning" ? "提示" : "信息",
        { class: "sev " + finding.severity }), element("code", finding.rule), " " + (finding.message || ""));
      const done = accepted.get(index);
      if (done) li.appendChild(element("div", `已接受：${done.reason}（${done.author}）`, { class: "accepted" }));
      else if (mayReview) {
        const reason = element("input", undefined, { placeholder: "接受的理由", "aria-label": `接受${finding.rule}的理由` });
        const button = element("button", "接受", { type: "button" });
        button.addEventListener("click", () => acceptFinding(review.id, index, reason.value));
        li.append(" ", reason, button);
      }
      list.appendChild(li);
    });
    if (!review.findings.length) div.appendChild(element("p", "未发现问题"));
    div.appendChild(list);
    box.appendChild(div);
  }
}

async function change(work, done) {
  try {
    await work();
    await loadCase(current.id);
    say(done);
  } catch (error) {
    if (error.message !== "未登录") say(error.message, true);
  }
}

function approve(number, comment) {
  change(() => send("POST", `${API}/cases/${current.id}/versions/${number}/approve`, { comment }), `第${number}版已审批`);
}

function reviewDocument(id, title) {
  say(`正在审查“${title}”……`);
  change(() => send("POST", `${API}/cases/${current.id}/documents/${id}/review`), `“${title}”已审查`);
}

function uploadSigned(id, input) {
  if (!input.files.length) { say("请先选择签署件文件", true); return; }
  const form = new FormData();
  form.append("file", input.files[0]);
  change(() => send("POST", `${API}/cases/${current.id}/documents/${id}/signed`, form), "签署件已上传");
}

function acceptFinding(review, index, reason) {
  if (!reason.trim()) { say("接受审查发现须注明理由", true); return; }
  change(() => send("POST", `${API}/cases/${current.id}/reviews/${review}/findings/${index}/accept`, { reason }),
    "已接受该项发现");
}

async function showDiff() {
  const old = Number(document.querySelector("input[name=diff-old]:checked")?.value);
  const neu = Number(document.querySelector("input[name=diff-new]:checked")?.value);
  if (!old || !neu || old === neu) { say("请选择两个不同的版本", true); return; }
  const [a, b] = old < neu ? [old, neu] : [neu, old];
  try {
    const diff = await api(`${API}/cases/${current.id}/diff?old=${a}&new=${b}`);
    $("#diff-title").textContent = `第${a}版与第${b}版的差异（${diff.changes.length}处）`;
    fill("#diff-changes", diff.changes, [(c) => c.path, (c) => c.kind === "added" ? "（无）" : JSON.stringify(c.old),
      (c) => c.kind === "removed" ? "（删除）" : JSON.stringify(c.new)]);
    $("#diff-text").textContent = diff.text_diff;
    $("#diff").hidden = false;
  } catch (error) { say(error.message, true); }
}

// ---- start, forms ------------------------------------------------------------------------------------

async function route() {
  try {
    const me = await api(`${API}/me`);
    $("#who").textContent = `${me.display_name}（${me.department_name} · ${me.role_label}）`;
    csrf = me.csrf_token || "";
    $("#csrf").value = csrf;
    $("#logout-form").hidden = false;
    const match = location.hash.match(/^#case=(\d+)$/);
    if (match) await loadCase(match[1]); else await loadLedger(me);
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
$("#filters").addEventListener("submit", (event) => { event.preventDefault(); ledgerOffset = 0; route(); });
for (const [id, step] of [["#page-prev", -PAGE], ["#page-next", PAGE]]) {
  $(id).addEventListener("click", async () => {
    ledgerOffset = Math.max(0, ledgerOffset + step);
    try { await loadCases(); } catch (error) { if (error.message !== "未登录") say(error.message, true); }
  });
}

$("#new-case-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const saved = await send("POST", `${API}/cases`, { text: $("#new-case-text").value, reason: $("#new-case-reason").value });
    $("#new-case-text").value = "";
    $("#new-case-errors").replaceChildren();
    location.hash = "#case=" + saved.case_id;
  } catch (error) { if (error.message !== "未登录") showErrors($("#new-case-errors"), error); }
});

$("#data-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const base = current.page.case.current_version;
  try {
    const saved = await send("POST", `${API}/cases/${current.id}/versions`,
      { text: $("#data-text").value, reason: $("#data-reason").value, base });
    await loadCase(current.id);
    say(saved.created ? `已保存为第${saved.version}版` : "与当前版本相同，未新建版本");
  } catch (error) { if (error.message !== "未登录") showErrors($("#data-errors"), error); }
});

$("#generate-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const kind = $("#generate-kind").value;
  say("正在生成……");
  change(() => send("POST", `${API}/cases/${current.id}/documents`,
    { forms: kind ? [kind] : null, format: $("#generate-format").value }), "文书已生成并登记");
});

$("#review-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const file = $("#review-file").files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  say(`正在审查“${file.name}”……`);
  change(() => send("POST", `${API}/cases/${current.id}/reviews`, form), `“${file.name}”已审查`)
    .then(() => { $("#review-file").value = ""; });
});

$("#diff-button").addEventListener("click", showDiff);

$("#feed-create").addEventListener("click", async () => {
  try { showFeed(await send("POST", `${API}/calendar-feed`)); say("订阅地址已生成：请复制到日历软件中（只显示这一次）"); }
  catch (error) { say(error.message, true); }
});
$("#feed-revoke").addEventListener("click", async () => {
  try { await send("DELETE", `${API}/calendar-feed`); showFeed(await api(`${API}/calendar-feed`)); say("订阅地址已停用"); }
  catch (error) { say(error.message, true); }
});

window.addEventListener("hashchange", route);
route();
