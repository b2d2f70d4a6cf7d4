"""Exports of the case register, one module per export, each narrowed to the cases a user may see
(:mod:`caseregister.access`):

- ``ledger``: the 台账 as an XLSX workbook;
- ``reports``: the periodic clue list (XLSX) and the half-yearly/annual work report (DOCX) in the
  rhythm the jurisdiction profile states (``clue_list_period``, ``clue_list_due_day``,
  ``work_report_period``, ``annual_report_due``, each with its article);
- ``archive``: one case's file (一案一卷) as a ZIP: its documents in stage order, converted to PDF
  and numbered, a 卷内目录, the case data and a manifest with hashes;
- ``publication``: the publication pack of a case with personal data masked and marked trade
  secrets removed (``redaction``), and the check that every item the profile says must be
  published has a publication record.

``common`` holds what they share (workbook styling, the current version's data of many cases).
"""
