"""D4: a reference DOCX whose header links outside the package (http, https, file://, UNC) or carries
INCLUDEPICTURE/INCLUDETEXT/LINK/DDE fields never makes the tool fetch anything, and the output DOCX
carries none of it. A canary HTTP server on 127.0.0.1 records every request."""

from __future__ import annotations

import http.server
import io
import os
import posixpath
import re
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx as python_docx
import pytest
from lxml import etree

from docgen.dossier import generate_dossier
from docgen.writers.common import WriterError
from docgen.writers.docx import docx_bytes, load_reference_docx
from docgen.writers.pdf import LOCKDOWN, convert_to_pdf, lock_down_profile
from ecodoc.tree import Document, Paragraph, Run

from ..conftest import example_path
from ..e2e.test_cli import run
from .test_writers import _png

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
IMAGE = R_NS + "/image"
HYPERLINK = R_NS + "/hyperlink"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


class Canary:
    """A local HTTP server that answers every GET with a PNG and records the paths asked for."""

    def __init__(self) -> None:
        hits: list[str] = []
        self.hits = hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                body = _png()
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET
            do_PROPFIND = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Canary:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def canary() -> Iterator[Canary]:
    with Canary() as c:
        yield c


def _drawing(attr: str, rid: str, n: int) -> str:
    """An inline picture whose image is the relationship ``rid`` (``r:embed`` or ``r:link``)."""
    return (
        '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        f'<wp:extent cx="360000" cy="360000"/><wp:docPr id="{n}" name="logo{n}"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="{n}" name="logo{n}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:{attr}="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="360000" cy="360000"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        '</wp:inline></w:drawing></w:r>')


def _complex_field(code: str, shown: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')


def hostile_reference(path: Path, canary_url: str, local_image: Path) -> Path:
    """A reference DOCX with an embedded logo (kept) and, in its header, every way to link outside."""
    ref = python_docx.Document()
    header = ref.sections[0].header.paragraphs[0]
    header.text = "某某市生态环境局（版头）"
    logo = path.parent / "embedded-logo.png"
    logo.write_bytes(_png())
    header.add_run().add_picture(str(logo))
    buffer = io.BytesIO()
    ref.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    rels = etree.fromstring(members["word/_rels/document.xml.rels"])
    header_name = next("word/" + r.get("Target") for r in rels if r.get("Type").endswith("/header"))
    header_rels = posixpath.join("word/_rels", posixpath.basename(header_name) + ".rels")
    externals = {
        "rIdHttp": (IMAGE, f"{canary_url}/linked-logo.png"),
        "rIdFile": (IMAGE, local_image.as_uri()),
        "rIdUnc": (IMAGE, r"\\127.0.0.1\share\logo.png"),
        "rIdLink": (HYPERLINK, f"{canary_url}/hyperlink"),
    }
    root = etree.fromstring(members[header_rels])
    for rid, (typ, target) in externals.items():
        etree.SubElement(root, f"{{{REL_NS}}}Relationship", Id=rid, Type=typ, Target=target, TargetMode="External")
    members[header_rels] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    embedded = re.search(rb'r:embed="([^"]+)"', members[header_name]).group(1).decode()
    extra = (
        _drawing("link", "rIdHttp", 91) + _drawing("link", "rIdFile", 92) + _drawing("link", "rIdUnc", 93)
        + '<w:hyperlink r:id="rIdLink"><w:r><w:t>官网</w:t></w:r></w:hyperlink>'
        + '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:20pt;height:20pt">'
        '<v:imagedata r:id="rIdFile"/></v:shape></w:pict></w:r>'
        + f'<w:fldSimple w:instr=" INCLUDEPICTURE &quot;{canary_url}/include-picture.png&quot; \\d ">'
        '<w:r><w:t>图</w:t></w:r></w:fldSimple>'
        + _complex_field(f'INCLUDETEXT "{local_image}"', "正文")
        + _complex_field(f'INCLUDEPICTURE "{canary_url}/complex.png" \\d', "图二")
        + _complex_field(f'LINK Word.Document.12 "{canary_url}/link.docx" ""', "链接")
        + _complex_field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc"', "动态")
        + _complex_field("PAGE", "1")  # a harmless field stays
    )
    members[header_name] = members[header_name].replace(b"</w:p>", extra.encode() + b"</w:p>", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    assert embedded  # the embedded logo is what must survive
    return path


@pytest.fixture
def local_image(tmp_path: Path) -> Path:
    image = tmp_path / "secret-local-image.png"
    image.write_bytes(_png() + b"LOCAL-FILE-MARKER")
    return image


def _external_relationships(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        found = []
        for name in zf.namelist():
            if name.endswith(".rels"):
                root = etree.fromstring(zf.read(name))
                found += [f"{name}: {r.get('Target')}" for r in root if r.get("TargetMode") not in (None, "Internal")]
        return found


def _assert_inert(data: bytes, canary_url: str, local_image: Path) -> None:
    assert not _external_relationships(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        blob = b"".join(zf.read(n) for n in zf.namelist())
        header = next(zf.read(n) for n in zf.namelist() if n.startswith("word/ref-header") and n.endswith(".xml"))
    assert b"LOCAL-FILE-MARKER" not in blob  # no bytes of the file:// image
    assert canary_url.encode() not in blob and str(local_image).encode() not in blob
    for word in (b"INCLUDEPICTURE", b"INCLUDETEXT", b"LINK ", b"DDEAUTO", b"127.0.0.1"):
        assert word not in header
    root = etree.fromstring(header)
    text = "".join(root.itertext())
    assert "某某市生态环境局（版头）" in text and "官网" in text and "正文" in text  # shown results stay
    assert len(root.findall(f".//{{{W_NS}}}drawing")) == 1  # the embedded logo, not the linked ones
    assert b" PAGE " in header


def test_reference_loading_strips_external_links_and_include_fields(tmp_path, canary, local_image):
    path = hostile_reference(tmp_path / "ref.docx", canary.url, local_image)
    reference = load_reference_docx(path)
    assert reference.notices and "外部链接" in reference.notices[0] and "INCLUDEPICTURE" in reference.notices[0]
    for font_set in ("office", "pdf"):
        doc = Document(kind="agreement", variant="guangxi", title="t", jurisdiction="guangxi",
                       blocks=[Paragraph(runs=[Run(text="正文")])])
        _assert_inert(docx_bytes(doc, reference=reference, font_set=font_set), canary.url, local_image)
        python_docx.Document(io.BytesIO(docx_bytes(doc, reference=reference)))  # still opens
    assert canary.hits == []


@needs_soffice
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_cli_dossier_with_hostile_reference_fetches_nothing(tmp_path, canary, local_image, fmt):
    path = hostile_reference(tmp_path / "ref.docx", canary.url, local_image)
    out = tmp_path / "out"
    result = run("generate", str(example_path("guangxi")), "--form", "agreement", "--format", fmt,
                 "-o", str(out), "--reference-docx", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "出于安全原因已删除" in result.stdout
    assert canary.hits == []
    if fmt == "docx":
        (docx,) = out.glob("*.docx")
        _assert_inert(docx.read_bytes(), canary.url, local_image)


@needs_soffice
def test_libreoffice_itself_fetches_nothing_even_from_a_linked_docx(tmp_path, canary, local_image):
    """The second wall: a DOCX that still links an http image (written without our cleaning) is
    converted by the locked-down LibreOffice without a single request to the canary."""
    doc = Document(kind="agreement", variant="guangxi", title="t", jurisdiction="guangxi",
                   blocks=[Paragraph(runs=[Run(text="正文")])])
    data = docx_bytes(doc, font_set="pdf")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:body>", b'<w:body><w:p>' + _drawing("link", "rIdHttp", 7).encode() + b"</w:p>", 1).replace(
        b"<w:document ", b'<w:document xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        b'wordprocessingDrawing" ', 1)
    members["word/_rels/document.xml.rels"] = members["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rIdHttp" Type="{IMAGE}" Target="{canary.url}/direct.png" '
        'TargetMode="External"/></Relationships>'.encode())
    source = tmp_path / "in" / "linked.docx"
    source.parent.mkdir()
    with zipfile.ZipFile(source, "w") as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    (pdf,) = convert_to_pdf([source], tmp_path / "pdf")
    assert pdf.stat().st_size > 0
    assert canary.hits == []


def test_lock_down_keeps_other_settings_and_replaces_ours(tmp_path):
    profile = tmp_path / "profile"
    xcu = profile / "user" / "registrymodifications.xcu"
    xcu.parent.mkdir(parents=True)
    xcu.write_text('<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry">'
                   '<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse">'
                   '<value>0</value></prop></item><item oor:path="/x/Other"><prop oor:name="Keep" oor:op="fuse">'
                   '<value>1</value></prop></item></oor:items>', encoding="utf-8")
    lock_down_profile(profile)
    lock_down_profile(profile)  # idempotent
    text = xcu.read_text("utf-8")
    assert text.count('oor:name="Link"') == 2 and "<value>0</value>" not in text  # Writer and Calc, both "never"
    assert 'oor:name="Keep"' in text
    assert text.count("<item ") == len(LOCKDOWN) + 1


XXE = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       '<w:styles xmlns:w="' + W_NS + '" w:x="&x;"><w:style w:styleId="&x;"/></w:styles>')
UTF16_DTD = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w:styles><w:styles xmlns:w="' + W_NS + '"/>'


@pytest.mark.parametrize(("styles", "expected"), [
    (XXE.encode(), "DTD"),
    (UTF16_DTD.encode("utf-16"), "DTD"),
    (b'<w:styles xmlns:w="' + W_NS.encode() + b'"><w:style>', "不是有效的 XML"),
], ids=["xxe", "utf16-doctype", "broken"])
def test_hostile_reference_xml_is_refused_in_chinese(tmp_path, styles, expected):
    path = tmp_path / "ref.docx"
    buffer = io.BytesIO()
    python_docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, styles if name == "word/styles.xml" else src.read(name))
    with pytest.raises(WriterError, match=expected) as excinfo:
        load_reference_docx(path)
    message = str(excinfo.value)
    assert "external entity" not in message and "passwd" not in message and re.search("[\u4e00-\u9fff]", message)
    result = run("generate", str(example_path("guangxi")), "--form", "agreement", "-o", str(tmp_path / "out"),
                 "--reference-docx", str(path))
    assert result.returncode == 2 and expected in result.stderr and "内部错误" not in result.stderr


def test_dossier_api_reports_the_notice(tmp_path, canary, local_image):
    path = hostile_reference(tmp_path / "ref.docx", canary.url, local_image)
    result = generate_dossier(example_path("guangxi"), tmp_path / "out", fmt="docx", kinds=["agreement"],
                              reference_docx=path)
    assert any("外部链接" in n for n in result.notices)
    assert os.listdir(tmp_path / "out") and canary.hits == []
