"""Case files with supplied materials for the court-pack tests: small PDFs, a PNG and a JPEG made
here (no fixture binaries), next to a copy of a bundled example."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import yaml
from pypdf import PdfWriter

from ..conftest import example_data


def pdf_bytes(pages: int = 1, *, rotate: int = 0, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(595, 842)
        if rotate:
            page.rotate(rotate)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    raw = b"".join(b"\x00" + bytes([200, 120, 40]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    """A valid 8×8 grey baseline JPEG: one block, DC difference 0, end of block."""
    huff = b"\x01" + b"\x00" * 15 + b"\x00"  # one code of length 1 for the symbol 0
    return (b"\xff\xd8" + b"\xff\xdb\x00\x43\x00" + b"\x01" * 64
            + b"\xff\xc0\x00\x0b\x08\x00\x08\x00\x08\x01\x01\x11\x00"
            + b"\xff\xc4\x00\x14\x00" + huff + b"\xff\xc4\x00\x14\x10" + huff
            + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x3f" + b"\xff\xd9")


#: the materials that complete each example's pack: (kind, name, party, pages or "png"/"jpeg", extra fields)
COMPLETE: dict[str, list[tuple[str, str, str | None, Any, dict[str, Any]]]] = {
    "guangxi": [
        ("legal_rep_id", "黄志明身份证复印件", "南宁市生态环境局", "jpeg", {}),
        ("legal_rep_id", "陈国强身份证复印件", "广西桂南冶炼有限公司", "png", {}),
        ("credit_code", "南宁市生态环境局统一社会信用代码证书", None, 1, {}),
        ("business_license", "广西桂南冶炼有限公司营业执照（副本）", "广西桂南冶炼有限公司", 1, {}),
        ("designation", "南宁市人民政府关于指定南宁市生态环境局的文件", None, 2, {}),
        ("agreement", "生态环境损害赔偿协议（南环赔协〔2025〕7号）", None, 3,
         {"original": True, "source": "南宁市生态环境局与广西桂南冶炼有限公司签订"}),
        ("consultation_notice", "磋商告知书（南环磋告〔2025〕3号）及送达回证", None, 2, {}),
        ("consultation_minutes", "磋商会议记录（两次）", None, 2, {}),
        ("assessment", "良凤江支流镉污染生态环境损害鉴定评估报告", None, 4,
         {"source": "广西桂环环境损害司法鉴定中心"}),
        ("restoration_plan", "良凤江支流底泥修复方案", None, 2, {}),
        ("evidence", "现场勘察照片", None, 1, {"proves": "排污口下游河段底泥受污染的现场情况"}),
    ],
    "zhangye": [
        ("legal_rep_id", "赵永福身份证复印件", "张掖市自然资源局", 1, {}),
        ("credit_code", "张掖市自然资源局统一社会信用代码证书", None, 1, {}),
        ("designation", "张掖市人民政府指定文件", None, 1, {}),
        ("ruling", "民事裁定书（（2025）甘07民特12号）", None, 3, {"source": "张掖市中级人民法院"}),
        ("agreement", "生态环境损害赔偿协议", None, 2, {}),
    ],
    # the other two combinations (issue 11 §4): guangxi's enforcement, zhangye's confirmation
    "guangxi-enforcement": [
        ("legal_rep_id", "黄志明身份证复印件", "南宁市生态环境局", "jpeg", {}),
        ("credit_code", "南宁市生态环境局统一社会信用代码证书", None, 1, {}),
        ("designation", "南宁市人民政府关于指定南宁市生态环境局的文件", None, 2, {}),
        ("ruling", "民事裁定书（（2025）桂01民特56号）", None, 3, {"source": "南宁市中级人民法院"}),
        ("effect_certificate", "生效证明", None, 1, {"source": "南宁市中级人民法院"}),
        ("agreement", "生态环境损害赔偿协议（南环赔协〔2025〕7号）", None, 3, {}),
    ],
    "zhangye-confirmation": [
        ("legal_rep_id", "赵永福身份证复印件", "张掖市自然资源局", 1, {}),
        ("credit_code", "张掖市自然资源局统一社会信用代码证书", None, 1, {}),
        ("id_card", "王建军身份证复印件", "王建军", "png", {}),
        ("designation", "张掖市人民政府指定文件", None, 1, {}),
        ("agreement", "生态环境损害赔偿协议", None, 2, {"original": True}),
        ("consultation_notice", "磋商告知书及送达回证", None, 2, {}),
        ("consultation_minutes", "磋商会议记录", None, 1, {}),
        ("assessment", "非法采砂生态环境损害专家意见", None, 3, {}),
        ("restoration_plan", "采砂坑回填及植被恢复方案", None, 2, {}),
    ],
}


def guangxi_enforcement_data() -> dict[str, Any]:
    """The guangxi example with its third instalment unpaid and an enforcement application recorded."""
    data = example_data("guangxi")
    data["agreement"]["performance"]["installments"][2].pop("paid")
    data["enforcement"] = {"court": "南宁市中级人民法院", "applied": "2026-08-10",
                           "non_performance": "赔偿义务人未在2026年6月30日前支付第三期赔偿款142,000.00元。",
                           "assets_known": "被申请人在南宁某银行开有基本存款账户。"}
    return data


def case_with_materials(tmp: Path, prefix: str, *, drop: tuple[str, ...] = (), data: dict[str, Any] | None = None,
                        extra: list[dict[str, Any]] | None = None, materials_of: str | None = None) -> Path:
    """A copy of the ``prefix`` example in ``tmp`` whose ``materials`` complete its pack (the set
    ``materials_of``, default ``prefix``), except the kinds in ``drop``; the files are written under
    ``tmp/materials``."""
    case = data or example_data(prefix)
    folder = tmp / "materials"
    folder.mkdir(parents=True, exist_ok=True)
    materials = []
    for n, (kind, name, party, pages, fields) in enumerate(COMPLETE[materials_of or prefix]):
        if kind in drop:
            continue
        suffix = {"png": "png", "jpeg": "jpg"}.get(pages, "pdf") if isinstance(pages, str) else "pdf"
        path = folder / f"m{n:02d}.{suffix}"
        path.write_bytes(png_bytes() if pages == "png" else jpeg_bytes() if pages == "jpeg" else pdf_bytes(pages))
        entry = {"name": name, "kind": kind, "path": f"materials/{path.name}", **fields}
        if party:
            entry["party"] = party
        materials.append(entry)
    case["materials"] = materials + (extra or [])
    target = tmp / f"{prefix}.yaml"
    target.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), "utf-8")
    return target
