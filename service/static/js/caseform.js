// The case as a form, generated from the case JSON Schema (/api/v1/schema/case): one section per
// stage, Chinese labels and help from the schema's titles and descriptions, and the server's
// validation problems shown at the field they name. The form edits the same data the YAML editor
// holds: every edit writes the whole case back into the editor (yaml.js).

import { call } from "./http.js";
import { $, $$, el } from "./util.js";
import { toYaml } from "./yaml.js";

let root = null;          // the case schema
let defs = {};
let data = {};            // the case data the form shows and edits (JSON values)
let onEdit = () => {};
const opened = new Set(); // sections the user opened, kept open when the form is drawn again

const PLACEHOLDER = { date: "如 2025-08-29", time: "如 09:30", money: "如 125000.00" };
const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export async function loadSchema() {
  if (!root) {
    root = await call("/schema/case").then((r) => r.json());
    defs = root.$defs || {};
  }
}

function deref(s) {
  let x = s;
  for (let guard = 0; x && x.$ref && guard < 20; guard++) x = defs[x.$ref.split("/").pop()];
  return x || {};
}

/** A property's schema with its optional (null) branch removed, and its Chinese title and help. */
function resolve(prop) {
  let inner = prop;
  if (prop.anyOf) {
    const branches = prop.anyOf.filter((x) => x.type !== "null");
    if (branches.length === 1) inner = branches[0];
  }
  const s = deref(inner);
  // the property's own help; an optional field's inner help (e.g. a format) when it has none
  const description = prop.description || (inner !== prop ? inner.description : "") || "";
  const codes = [prop.description, inner.description, s.description].filter(Boolean).join("；");  // "unit=单位；…"
  return { s, title: prop.title || s.title, description, codes };
}

function kindOf(s) {
  if (s.const !== undefined) return "const";
  if (s.enum) return "enum";
  if (Array.isArray(s.type)) return "money";  // ["string", "number"]: an amount
  if (s.type === "boolean") return "bool";
  if (s.type === "integer" || s.type === "number") return "number";
  if (s.type === "array") {
    const item = deref(s.items || {});
    return item.type === "object" || item.properties ? "objects" : "strings";
  }
  if (s.type === "object" || s.properties) return "object";
  if (s.format === "date") return "date";
  if (s.format === "time") return "time";
  return (s.maxLength || 0) > 500 ? "long" : "text";
}

// ---------------------------------------------------------------- paths (as the server writes them)

export function pathText(segs) {
  let p = "";
  for (const s of segs) p += typeof s === "number" ? `[${s}]` : (p ? "." : "") + s;
  return p;
}

export function pathSegs(path) {
  return Array.from(String(path || "").matchAll(/([^.[\]]+)|\[(\d+)\]/g), (m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

function getAt(segs) {
  let v = data;
  for (const s of segs) { if (v === null || typeof v !== "object") return undefined; v = v[s]; }
  return v;
}

function setAt(segs, value) {
  let v = data;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i];
    if (v[s] === null || typeof v[s] !== "object") v[s] = typeof segs[i + 1] === "number" ? [] : {};
    v = v[s];
  }
  const last = segs[segs.length - 1];
  if (value !== undefined) { v[last] = value; return; }
  if (Array.isArray(v)) v.splice(last, 1); else delete v[last];
  // a section left with no field filled is dropped (not list items, not the case itself)
  for (let up = segs.slice(0, -1); up.length; up = up.slice(0, -1)) {
    const here = getAt(up);
    const parent = getAt(up.slice(0, -1));
    if (!(isMap(here) && !Object.keys(here).length) || Array.isArray(parent)) break;
    delete parent[up[up.length - 1]];
  }
}

/** The Chinese titles along a path, e.g. "赔偿义务人 1 · 统一社会信用代码" for obligors[0].uscc. */
export function titleFor(path) {
  if (!root) return "";
  const names = [];
  let s = root;
  for (const seg of pathSegs(path)) {
    if (typeof seg === "number") {
      if (names.length) names[names.length - 1] += ` ${seg + 1}`;
      s = deref(s.items || {});
      continue;
    }
    const prop = (s.properties || {})[seg];
    if (!prop) return names.join(" · ");
    const r = resolve(prop);
    names.push(r.title || seg);
    s = r.s;
  }
  return names.join(" · ");
}

// ---------------------------------------------------------------- drawing

function enumOptions(r) {
  const labels = Object.fromEntries(Array.from(r.codes.matchAll(/(\w+)=([^；;]+)/g), (m) => [m[1], m[2]]));
  return r.s.enum.map((code) => ({ code, label: labels[code] || code }));
}

function field(r, segs, required, kind) {
  const path = pathText(segs);
  const id = "cf-" + path.replace(/[^A-Za-z0-9_]/g, "_");
  const value = getAt(segs);
  const attrs = { id, name: path, "data-path": path, "aria-describedby": id + "-hint" };
  let input;
  let help = r.description;
  if (kind === "enum") {
    const options = enumOptions(r);
    help = "";
    input = el("select", attrs, el("option", { value: "", text: "（未选择）" }),
      ...options.map((o) => el("option", { value: o.code, text: o.label })));
    const known = options.find((o) => o.code === value || o.label === value);
    if (value !== undefined && value !== null && !known) input.append(el("option", { value: String(value), text: String(value) }));
    input.value = known ? known.code : (value ?? "");
  } else if (kind === "bool") {
    input = el("input", { ...attrs, type: "checkbox", checked: value === true });
  } else if (kind === "long" || kind === "strings") {
    input = el("textarea", { ...attrs, rows: kind === "long" ? 3 : 2 });
    input.value = kind === "strings" ? (Array.isArray(value) ? value.join("\n") : "") : (value ?? "");
    if (kind === "strings") help = [help, "每行一项"].filter(Boolean).join("；");
  } else {
    input = el("input", { ...attrs, type: "text", placeholder: PLACEHOLDER[kind] || null,
                          inputmode: kind === "money" || kind === "number" ? "decimal" : null,
                          list: path === "jurisdiction" ? "cf-jurisdictions" : null });
    input.value = value === undefined || value === null ? "" : String(value);
  }
  input.addEventListener(kind === "bool" || kind === "enum" ? "change" : "input", () => edited(segs, kind, input));
  const label = el("label", { for: id }, r.title || String(segs[segs.length - 1]),
    required ? el("span", { class: "req", title: "必填", text: "＊" }) : null);
  return el("div", { class: "cf-field" + (kind === "bool" ? " cf-bool" : "") }, label, input,
    el("small", { id: id + "-hint", class: "hint", text: help || "" }));
}

function group(r, segs, required, content, cls) {
  const path = pathText(segs);
  const value = getAt(segs);
  const filled = value !== undefined && value !== null && !(Array.isArray(value) && !value.length);
  const box = el("details", { class: cls, "data-path": path, open: required || filled || opened.has(path) || null },
    el("summary", {}, r.title || path,
      el("span", { class: "hint", text: required ? "（必填）" : filled ? "" : "（选填，未填写）" })));
  box.addEventListener("toggle", () => { if (box.open) opened.add(path); else opened.delete(path); });
  if (r.description) box.append(el("p", { class: "hint", text: r.description }));
  box.append(content);
  return box;
}

function objectFields(s, segs) {
  const box = el("div", { class: "cf-fields" });
  for (const [key, prop] of Object.entries(s.properties || {})) {
    const r = resolve(prop);
    const kind = kindOf(r.s);
    const path = [...segs, key];
    const required = (s.required || []).includes(key);
    if (kind === "const") continue;
    if (kind === "object") box.append(group(r, path, required, objectFields(r.s, path), "cf-group"));
    else if (kind === "objects") box.append(group(r, path, required, listOfObjects(r, path), "cf-group"));
    else box.append(field(r, path, required, kind));
  }
  return box;
}

function listOfObjects(r, segs) {
  const items = getAt(segs);
  const itemSchema = deref(r.s.items || {});
  const box = el("div", { class: "cf-list" });
  (Array.isArray(items) ? items : []).forEach((_item, i) => {
    const path = [...segs, i];
    box.append(el("fieldset", { class: "cf-item", "data-path": pathText(path) },
      el("legend", { text: `${r.title} ${i + 1}` }),
      objectFields(itemSchema, path),
      el("button", { type: "button", class: "cf-remove", text: `删除${r.title} ${i + 1}`,
                     onclick: () => { setAt(path, undefined); changed(); redraw(); } })));
  });
  box.append(el("button", { type: "button", class: "cf-add", "data-add": pathText(segs), text: `添加${r.title}`,
                            onclick: () => addItem(segs) }));
  return box;
}

function addItem(segs) {
  const list = Array.isArray(getAt(segs)) ? getAt(segs) : [];
  list.push({});
  setAt(segs, list);
  opened.add(pathText(segs));
  changed();
  redraw();
  const fresh = $(`#case-form [data-path="${CSS.escape(pathText([...segs, list.length - 1]))}"] input, ` +
                  `#case-form [data-path="${CSS.escape(pathText([...segs, list.length - 1]))}"] select`);
  if (fresh) fresh.focus();
}

function edited(segs, kind, input) {
  let v;
  if (kind === "bool") v = input.checked ? true : undefined;
  else if (kind === "strings") {
    const items = input.value.split("\n").map((s) => s.trim()).filter(Boolean);
    v = items.length ? items : undefined;
  } else if (kind === "number") {
    const t = input.value.trim();
    v = t === "" ? undefined : /^-?\d+$/.test(t) ? Number(t) : t;
  } else v = input.value === "" ? undefined : input.value;
  setAt(segs, v);
  changed();
}

function changed() { onEdit(toYaml(data)); }

function redraw() {
  const box = $("#case-form-fields");
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.path : null;
  box.textContent = "";
  const basics = el("fieldset", { class: "cf-section cf-basics" }, el("legend", { text: "基本信息" }));
  box.append(basics);
  for (const [key, prop] of Object.entries(root.properties || {})) {
    const r = resolve(prop);
    const kind = kindOf(r.s);
    const required = (root.required || []).includes(key);
    if (kind === "const") continue;
    if (kind === "object") box.append(group(r, [key], required, objectFields(r.s, [key]), "cf-section"));
    else if (kind === "objects") box.append(group(r, [key], required, listOfObjects(r, [key]), "cf-section"));
    else basics.append(field(r, [key], required, kind));
  }
  if (focused) $(`#case-form-fields [data-path="${CSS.escape(focused)}"]`)?.focus();
}

/** Show `caseData` (null: a new, empty case) in the form. */
export function load(caseData) {
  data = isMap(caseData) ? structuredClone(caseData) : { schema_version: 1 };
  $("#case-form-general").textContent = "";
  redraw();
}

// ---------------------------------------------------------------- problems at their fields

function parentPath(path) {
  return path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
}

function targetOf(path) {
  for (let p = path; p; ) {
    const t = $(`#case-form-fields [data-path="${CSS.escape(p)}"]`);
    if (t) return t;
    const up = parentPath(p);
    if (up === p) break;
    p = up;
  }
  return null;
}

export function showProblems(problems) {
  for (const n of $$("#case-form .field-error")) n.remove();
  for (const n of $$("#case-form-fields [aria-invalid]")) {
    n.removeAttribute("aria-invalid");
    n.setAttribute("aria-describedby", n.id + "-hint");
  }
  const general = $("#case-form-general");
  general.textContent = "";
  problems.forEach((p, i) => {
    const target = p.path ? targetOf(p.path) : null;
    const message = el("p", { class: `field-error ${p.severity}`, id: `cf-problem-${i}`, "data-for": p.path || "",
                              text: (target && target.dataset.path !== p.path ? titleFor(p.path) + "：" : "") + p.message });
    if (!target) { general.append(message); return; }
    if (target.matches("input, select, textarea")) {
      target.closest(".cf-field").append(message);
      if (p.severity === "error") target.setAttribute("aria-invalid", "true");
      target.setAttribute("aria-describedby", `${target.getAttribute("aria-describedby")} cf-problem-${i}`);
    } else {
      const legend = target.querySelector(":scope > summary, :scope > legend");
      if (legend) legend.after(message); else target.prepend(message);
    }
    if (p.severity === "error") for (let d = target.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  });
}

/** Move to the field a problem names (the problem list's click in the form view). */
export function focusPath(path) {
  const target = targetOf(path);
  if (!target) return false;
  for (let d = target.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  const control = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
  (control || target).scrollIntoView({ block: "center" });
  if (control) control.focus();
  return true;
}

export function setupForm(edit) {
  onEdit = edit;
}

/** The jurisdictions offered for 适用辖区 (the key; the Chinese name also validates). */
export function offerJurisdictions(jurisdictions) {
  const list = $("#cf-jurisdictions");
  for (const j of jurisdictions) list.append(el("option", { value: j.key, label: j.name }));
}
