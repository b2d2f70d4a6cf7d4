"""Series cases over HTTP (`ecoclaim series` in the web page): the workbook template for a base case,
and a filled workbook turned into one validated case file per obligor row, as a ZIP."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from casefile.series import read_base, template_workbook
from docgen.series import import_series
from ecokernel.errors import UserError
from service.limits import read_upload, upload_name
from service.problems import ApiError, responses
from service.routers.cases import attachment

router = APIRouter(tags=["起草"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASE_SUFFIXES = (".yaml", ".yml", ".json")


async def _upload(request: Request, upload: UploadFile, field: str, suffixes: tuple[str, ...]) -> tuple[str, bytes]:
    """(safe file name, bytes) of an uploaded part: a suffix we read and a size within the limit."""
    name = upload_name(upload, field)
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise ApiError(415, "unsupported-type", "文件类型不支持", f"“{name}”应为 {'、'.join(suffixes)} 文件",
                       errors=[{"path": field, "message": name}])
    _, data = await read_upload(upload, field, request.app.state.settings.max_file_bytes)
    return f"{field}{suffix}", data


def _unusable(field: str, exc: UserError) -> ApiError:
    return ApiError(422, "invalid-series", "系列案件文件有误", str(exc), errors=[{"path": field, "message": str(exc)}])


@router.post("/series/template", summary="系列案件工作簿模板", response_class=Response,
             responses={200: {"description": "XLSX 工作簿：每行一个赔偿义务人，列由案件数据模型生成，附“说明”工作表",
                              "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}},
                        **responses(401, 413, 415, 422)},
             description="以 multipart/form-data 上传 `base`：基础案件文件（.yaml/.json，各案共同的内容和一个示例赔偿义务人）。")
async def series_template(request: Request,
                          base: Annotated[UploadFile, File(description="基础案件文件")]) -> Response:
    name, data = await _upload(request, base, "base", BASE_SUFFIXES)
    app = request.app

    def run() -> bytes:
        with app.state.scratch.directory() as workdir:
            path = workdir / name
            path.write_bytes(data)
            try:
                return template_workbook(read_base(path))
            except UserError as exc:
                raise _unusable("base", exc) from None

    content = await app.state.worker.run(run)
    return Response(content, media_type=XLSX, headers={"Content-Disposition": attachment("系列案件模板.xlsx")})


@router.post("/series/import", summary="由工作簿建立系列案件", response_class=Response,
             responses={200: {"description": "ZIP：每个无错误的行一个案件文件（NNN-名称.yaml）、给出 generate 时"
                                             "其文书（文件夹 NNN-名称/），和“导入结果.json”"
                                             "（每行的名称、文件和问题，含工作表、行号和列名）",
                              "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}},
                        **responses(401, 413, 415, 422)},
             description="以 multipart/form-data 上传 `base`（基础案件文件）和 `workbook`（填好的 .xlsx 工作簿）。"
                         "有错误的行不生成案件文件，其问题列在导入结果中；每一行都有错误时返回 422 并逐行列出。"
                         "`generate` 为 docx、html 或 md 时同时生成每案的文书（PDF 请用命令行 `series import --generate`）。")
async def series_import(request: Request,
                        base: Annotated[UploadFile, File(description="基础案件文件")],
                        workbook: Annotated[UploadFile, File(description="填好的工作簿（.xlsx）")],
                        generate: Annotated[Literal["docx", "html", "md"] | None, Query(
                            description="同时生成每案的文书（案卷），格式为 docx、html 或 md")] = None) -> Response:
    base_name, base_data = await _upload(request, base, "base", BASE_SUFFIXES)
    book_name, book_data = await _upload(request, workbook, "workbook", (".xlsx",))
    app = request.app

    def run() -> bytes:
        with app.state.scratch.directory() as workdir:
            base_path, book_path, out = workdir / base_name, workdir / book_name, workdir / "cases"
            base_path.write_bytes(base_data)
            book_path.write_bytes(book_data)
            try:
                result = import_series(base_path, book_path, out, generate=generate)
            except UserError as exc:
                raise _unusable("workbook", exc) from None
            rows: list[dict[str, Any]] = [
                {"row": o.row.number, "name": o.row.name,
                 "file": o.case_file.name if o.case_file else None,
                 "dossier": o.row.stem if o.case_file and generate else None,
                 "problems": [{"severity": p.severity, "message": str(p), "column": p.header}
                              for p in o.problems]}
                for o in result.outcomes]
            if not any(r["file"] for r in rows):
                raise ApiError(422, "invalid-series", "工作簿有误", f"{len(rows)}行均有错误，未建立任何案件",
                               errors=[{"path": f"workbook: 第{r['row']}行", "message": p["message"]}
                                       for r in rows for p in r["problems"] if p["severity"] == "error"])
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for r in rows:
                    if r["file"]:
                        archive.write(out / r["file"], r["file"])
                    if r["dossier"]:
                        for f in sorted((out / r["dossier"]).rglob("*")):
                            if f.is_file():
                                archive.write(f, f.relative_to(out).as_posix())
                report = {"sheet": result.sheet, "cases": sum(1 for r in rows if r["file"]), "rows": rows}
                archive.writestr("导入结果.json", json.dumps(report, ensure_ascii=False, indent=2))
            return buffer.getvalue()

    content = await app.state.worker.run(run)
    return Response(content, media_type="application/zip", headers={"Content-Disposition": attachment("系列案件.zip")})
