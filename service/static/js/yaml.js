// Case data (JSON values, as the server read them) written back as YAML for the editor: block style,
// keys in their order, and a string quoted whenever YAML could read it as something else (a number,
// a date, true/false, null) or stumble on it, so that the text reads back as the same data.

const BAD_START = /^[-?:,[\]{}#&*!|>'"%@`\s]/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function scalar(v) {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean" || typeof v === "number") return String(v);
  const s = String(v);
  if (s === "" || BAD_START.test(s) || /\s$/.test(s) || /:\s|:$|\s#|[\n\r\t\u2028\u2029]/.test(s) ||
      RESERVED.test(s) || /^[-+.]?\d/.test(s) || /^\.(inf|nan)$/i.test(s)) {
    return JSON.stringify(s);  // a JSON string is a YAML double-quoted scalar
  }
  return s;
}

function inline(v, indent) {
  if (isMap(v)) return "{}";
  if (Array.isArray(v)) return "[]";
  if (typeof v === "string" && v.includes("\n") && !/^\s/.test(v) && !/\r|\n$/.test(v) && !/[ \t]\n/.test(v)) {
    const pad = " ".repeat(indent);
    return "|-\n" + v.split("\n").map((line) => (line ? pad + line : "")).join("\n");
  }
  return scalar(v);
}

const nonEmpty = (v) => (isMap(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0);

function lines(v, indent) {
  const pad = " ".repeat(indent);
  const out = [];
  if (Array.isArray(v)) {
    for (const item of v) {
      if (nonEmpty(item)) {
        const sub = lines(item, indent + 2);
        out.push(pad + "- " + sub[0].slice(indent + 2), ...sub.slice(1));
      } else {
        out.push(pad + "- " + inline(item, indent + 2));
      }
    }
    return out;
  }
  for (const [key, value] of Object.entries(v)) {
    if (value === undefined) continue;
    if (nonEmpty(value)) out.push(pad + key + ":", ...lines(value, indent + 2));
    else out.push(pad + key + ": " + inline(value, indent + 2));
  }
  return out;
}

export function toYaml(data) {
  return lines(data, 0).join("\n") + "\n";
}
