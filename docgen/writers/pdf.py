"""PDF through LibreOffice headless, and a check that no character was lost on the way.

- One ``soffice --convert-to pdf`` process converts a whole batch (all forms of a dossier): starting
  LibreOffice costs most of a second, converting a form a few tens of milliseconds.
- Each run has its own profile (``-env:UserInstallation``) in a temporary directory, so concurrent
  runs never share (and never lock) one. A fresh profile costs ~0.3 s to create; the first
  successful run keeps a copy in ``$XDG_CACHE_HOME/ecoclaim/`` and later runs start from a copy of it.
- A time-out kills the converter's whole process group (soffice is a wrapper around soffice.bin).
- Every run's profile is locked down before LibreOffice starts (:func:`lock_down_profile`): linked
  content is never updated, links from untrusted documents are blocked, macros are off, and HTTP,
  HTTPS and FTP go to a proxy that does not exist (the discard port on 127.0.0.1), so a document
  cannot make the converter fetch anything. The DOCX it converts has no external link anyway
  (reference parts are cleaned by :mod:`docgen.writers.refclean`); this is the second wall.
- The DOCX handed to LibreOffice names the installed Noto CJK faces (``font_set="pdf"``), so the
  PDF embeds them; :func:`verify_pdf` then extracts the text (pypdf) and fails loudly when a
  character of the document, or a name or amount of the case, is not in it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ecodoc.tree import Document, Paragraph, Table

from .common import ConverterError, GlyphLossError

DEFAULT_TIMEOUT = 120.0
INSTALL_HINT = "请安装 LibreOffice 和中文字体：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk（或运行 bash tools/setup.sh）"


def find_soffice() -> str:
    """The LibreOffice executable (``$ECOCLAIM_SOFFICE``, else ``soffice``/``libreoffice`` on PATH)."""
    configured = os.environ.get("ECOCLAIM_SOFFICE")
    if configured:
        if shutil.which(configured):
            return configured
        raise ConverterError(f"环境变量 ECOCLAIM_SOFFICE 指定的 LibreOffice 程序不存在：{configured}")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConverterError(f"生成 PDF 需要 LibreOffice，但本机未找到 soffice 程序。{INSTALL_HINT}；也可以先生成 DOCX。")


def _profile_cache(soffice: str) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256(os.path.realpath(soffice).encode()).hexdigest()[:12]
    return base / "ecoclaim" / f"lo-profile-{key}"


def _seed_profile(profile: Path, cache: Path) -> bool:
    """Start from a copy of the cached profile; False when there is none (or it cannot be copied)."""
    if not cache.is_dir():
        return False
    try:
        shutil.copytree(cache, profile, ignore=shutil.ignore_patterns(".lock"))
        return True
    except OSError:
        shutil.rmtree(profile, ignore_errors=True)
        return False


def _keep_profile(profile: Path, cache: Path) -> None:
    """Keep a used profile as the cache (atomically: copy beside it, then rename); best effort."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".lo-profile-", dir=cache.parent))
        shutil.copytree(profile, staging / "p", ignore=shutil.ignore_patterns(".lock"))
        with contextlib.suppress(OSError):  # another run was first
            os.rename(staging / "p", cache)
        shutil.rmtree(staging, ignore_errors=True)
    except OSError:
        pass


_OOR = "http://openoffice.org/2001/registry"
_DEAD_PROXY = ("127.0.0.1", "9")  # the discard port: nothing listens, every fetch fails at once
# (path, property, value) of the settings every conversion runs with.
LOCKDOWN: tuple[tuple[str, str, str], ...] = (
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "2"),  # 2: never update links
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "2"),
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "2"),  # 2: manual proxy
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyName", _DEAD_PROXY[0]),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", _DEAD_PROXY[1]),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", _DEAD_PROXY[0]),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", _DEAD_PROXY[1]),
    ("/org.openoffice.Inet/Settings", "ooInetFTPProxyName", _DEAD_PROXY[0]),
    ("/org.openoffice.Inet/Settings", "ooInetFTPProxyPort", _DEAD_PROXY[1]),
)


def lock_down_profile(profile: Path) -> None:
    """Write :data:`LOCKDOWN` into the profile's ``user/registrymodifications.xcu`` (kept: other items)."""
    from lxml import etree

    xcu = profile / "user" / "registrymodifications.xcu"
    xcu.parent.mkdir(parents=True, exist_ok=True)
    root = None
    if xcu.is_file():  # a seeded profile: our own earlier run wrote it
        with contextlib.suppress(etree.XMLSyntaxError, OSError):
            root = etree.parse(str(xcu), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    if root is None:
        root = etree.Element(f"{{{_OOR}}}items", nsmap={"oor": _OOR, "xs": "http://www.w3.org/2001/XMLSchema",
                                                       "xsi": "http://www.w3.org/2001/XMLSchema-instance"})
    ours = {(path, prop) for path, prop, _v in LOCKDOWN}
    for item in list(root):
        prop = item.find("prop")
        if prop is not None and (item.get(f"{{{_OOR}}}path"), prop.get(f"{{{_OOR}}}name")) in ours:
            root.remove(item)
    for path, name, value in LOCKDOWN:
        item = etree.SubElement(root, "item", {f"{{{_OOR}}}path": path})
        prop = etree.SubElement(item, "prop", {f"{{{_OOR}}}name": name, f"{{{_OOR}}}op": "fuse"})
        etree.SubElement(prop, "value").text = value
    xcu.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def convert_to_pdf(docx_files: Sequence[Path], out_dir: Path, *, timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
    """Convert DOCX files to PDF in ``out_dir`` with one LibreOffice process; returns the PDF paths."""
    if not docx_files:
        return []
    soffice = find_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = _profile_cache(soffice)
    with tempfile.TemporaryDirectory(prefix="ecoclaim-lo-") as tmp:
        profile = Path(tmp) / "profile"
        seeded = _seed_profile(profile, cache)
        try:
            lock_down_profile(profile)
        except OSError as exc:
            raise ConverterError(f"无法准备 LibreOffice 配置目录：{exc.strerror or exc}") from None
        cmd = [soffice, "--headless", "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck",
               f"-env:UserInstallation=file://{quote(str(profile))}",
               "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir), *(str(p) for p in docx_files)]
        # Nothing of LibreOffice's lands in the user's home or the shared temp folder: its own
        # temporary files (lu*.tmp) go inside this run's folder, removed with it even after a kill.
        scratch = Path(tmp) / "tmp"
        scratch.mkdir()
        env = dict(os.environ, HOME=tmp, TMPDIR=str(scratch), TMP=str(scratch), TEMP=str(scratch))
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    env=env, start_new_session=True)
        except OSError as exc:
            raise ConverterError(f"无法启动 LibreOffice（{soffice}）：{exc.strerror or exc}。{INSTALL_HINT}") from None
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ConverterError(f"LibreOffice 转换 PDF 超时（{timeout:g} 秒），已终止转换进程。"
                              "请重试；如反复出现，请检查 LibreOffice 安装或减少一次转换的文书数量。") from None
        finally:
            _kill_group(proc)  # whatever soffice.bin left behind in its group
        results = [out_dir / (p.stem + ".pdf") for p in docx_files]
        missing = [p.name for p in results if not p.is_file() or p.stat().st_size == 0]
        if proc.returncode != 0 or missing:
            detail = (stderr or stdout or b"").decode("utf-8", "replace").strip()[-500:]
            raise ConverterError(f"LibreOffice 未能转换{('：' + '、'.join(missing)) if missing else ''}"
                              f"（退出码 {proc.returncode}）。{detail}")
        if not seeded:
            _keep_profile(profile, cache)
    return results


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.wait()


def _reader(path: Path) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return PdfReader(str(path))
    except (PdfReadError, OSError, ValueError) as exc:
        raise ConverterError(f"无法读取生成的 PDF {path.name}：{exc}") from None


def pdf_text(path: Path, reader: Any = None) -> str:
    """The text of a PDF (pypdf), pages joined."""
    reader = reader or _reader(path)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


_ENCODING_ENTRY = re.compile(rb"dup (\d+) /(\S+) put")
_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _to_unicode(font: Any) -> dict[int, str]:
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return {}
    text = cmap.get_object().get_data().decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in _BFCHAR.findall(block):
            out[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be", "replace")
    return out


def notdef_characters(path: Path, reader: Any = None) -> set[str]:
    """Characters a PDF draws with the ``.notdef`` glyph of an embedded font (a face lacked them).

    LibreOffice embeds OpenType-CFF faces (Noto CJK) as Type 1 subsets whose encoding names each
    glyph; a character no installed face has becomes ``.notdef`` — and its ToUnicode entry still
    says the character, so text extraction alone would not notice.
    """
    reader = reader or _reader(path)
    lost: set[str] = set()
    seen: set[int] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if id(font) in seen or "/FontDescriptor" not in font:
                continue
            seen.add(id(font))
            program = font["/FontDescriptor"].get_object().get("/FontFile")
            if program is None:
                continue
            clear = program.get_object().get_data()[:200_000]  # the encoding sits in the clear-text part
            codes = [int(code) for code, name in _ENCODING_ENTRY.findall(clear) if name == b".notdef"]
            if codes:
                unicode = _to_unicode(font)
                lost.update(unicode.get(code, "\ufffd") for code in codes)
    return lost


def normalise(text: str) -> str:
    """NFKC without any whitespace: what survives PDF text extraction unchanged."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


def document_text(doc: Document) -> str:
    """The printed text of a block tree (blank lines for handwriting excluded)."""
    out: list[str] = []

    def walk(blocks: Iterable[object]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                out.append("".join(r.text for r in block.runs if not r.blank and not r.br))
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell.blocks)

    walk(doc.blocks)
    return "\n".join(out)


def verify_pdf(path: Path, doc: Document, required: Iterable[str] = ()) -> None:
    """Fail when the PDF lost text: a character of ``doc`` drawn as ``.notdef`` (no face has it) or
    missing from the extracted text, or one of the ``required`` strings that ``doc`` contains (a
    party's name, an amount) absent from it — glyph loss must never pass silently."""
    reader = _reader(path)
    text = normalise(pdf_text(path, reader))
    source = normalise(document_text(doc))
    have = Counter(text)
    lost_chars = sorted({c for c, n in Counter(source).items() if have[c] < n}
                        | {normalise(c) or c for c in notdef_characters(path, reader)})
    lost = [s for s in dict.fromkeys(required) if s and normalise(s) in source and normalise(s) not in text]
    if lost_chars or lost:
        parts = []
        if lost:
            parts.append("缺少案件数据：" + "、".join(f"“{s}”" for s in lost[:10]))
        if lost_chars:
            parts.append("缺少字符：" + " ".join(f"{c}(U+{ord(c[0]):04X})" for c in lost_chars[:20]))
        raise GlyphLossError(f"生成的 PDF {path.name} 的文字不完整（字体缺字）：{'；'.join(parts)}。"
                          f"请确认已安装 fonts-noto-cjk；缺字的字符须改用常用字或造字后手工处理。")
