// Reading one text member of a ZIP the server sent (the series import's 导入结果.json), with the
// browser's own inflater: no library, nothing fetched.

export async function zipMembers(blob) {
  const buf = new Uint8Array(await blob.arrayBuffer());
  const dv = new DataView(buf.buffer);
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) return [];
  const members = [];
  let p = dv.getUint32(end + 16, true);
  for (let n = dv.getUint16(end + 10, true); n > 0; n--) {
    const nameLength = dv.getUint16(p + 28, true);
    members.push({
      name: new TextDecoder().decode(buf.subarray(p + 46, p + 46 + nameLength)),
      method: dv.getUint16(p + 10, true), size: dv.getUint32(p + 20, true), local: dv.getUint32(p + 42, true),
      read: async function () {
        const start = this.local + 30 + dv.getUint16(this.local + 26, true) + dv.getUint16(this.local + 28, true);
        const data = buf.subarray(start, start + this.size);
        if (this.method === 0) return new TextDecoder().decode(data);
        const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
        return new Response(stream).text();
      },
    });
    p += 46 + nameLength + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
  }
  return members;
}
