// Calls to the API (/api/v1): the optional access token, problem+json errors in Chinese, downloads.

import { $, API, downloadBlob, status } from "./util.js";

const TOKEN_KEY = "ecoclaim-token";

function headers(extra = {}) {
  const h = { ...extra };
  const token = sessionStorage.getItem(TOKEN_KEY) || $("#token").value;
  if (token) h["Authorization"] = "Bearer " + token;
  return h;
}

export class ApiProblem extends Error {
  constructor(problem, statusCode) {
    super(problem.detail || problem.title || "请求失败");
    this.problem = problem;
    this.status = statusCode;
  }
}

/** fetch under /api/v1; a 401 shows the token box (hidden while the server asks for none). */
export async function call(path, options = {}) {
  const response = await fetch(API + path, { ...options, headers: headers(options.headers || {}) });
  if (response.status === 401) {
    $("#token-box").hidden = false;
    $("#token").focus();
  }
  if (!response.ok) {
    let problem;
    try { problem = await response.json(); } catch { problem = { title: "请求失败", detail: `服务器答复 ${response.status}` }; }
    throw new ApiProblem(problem, response.status);
  }
  return response;
}

export function fileName(response, fallback) {
  const cd = response.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(cd);
  return plain ? plain[1] : fallback;
}

export async function save(response, fallback) {
  return downloadBlob(await response.blob(), fileName(response, fallback));
}

// The checker's messages are shared with the command line; on the page its options are controls.
const CLI_HINTS = [
  [/[，；]?\s*(请用|可用) --type 指定/g, "；可在上方“文书种类”中选择"],
  [/[，；]?\s*(请用|可用) --jurisdiction 指定/g, "；可在上方“辖区”中选择"],
  [/ecoclaim check \S+ --type (\w+)/g, "在“文书种类”中选择后再审查"],
];

export function webWording(text) {
  let out = String(text || "");
  for (const [pattern, replacement] of CLI_HINTS) out = out.replace(pattern, replacement);
  return out;
}

/** One readable line for a failed request: the detail, then only the items it does not already say. */
export function problemText(err) {
  if (!(err instanceof ApiProblem)) return "请求失败：" + err.message;
  const p = err.problem;
  const detail = p.detail || "";
  const items = (p.errors || []).map((e) => e.message).filter((m) => m && !detail.includes(m));
  return webWording(`${p.title || "错误"}：${detail}${items.length ? "（" + items.join("；") + "）" : ""}`);
}

export function showProblem(err) {
  status(problemText(err), true);
}

let limits = null;
/** The server's limits (files per request, bytes per file and per request), read once. */
export async function serverLimits() {
  if (!limits) limits = (await call("/health").then((r) => r.json())).limits;
  return limits;
}

export function setupToken() {
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) { $("#token").value = saved; $("#token-box").hidden = false; }
  $("#token").addEventListener("change", (e) => sessionStorage.setItem(TOKEN_KEY, e.target.value));
}
