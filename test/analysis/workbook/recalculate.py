"""Makes LibreOffice compute every formula of an .xlsx itself, then prints what it computed.

Usage: recalculate.py WORKBOOK WORK_DIR
openpyxl saves a copy WITHOUT any cached values (it keeps formulas only), so LibreOffice has nothing
to reuse: converting the copy to .xlsx headless (own profile under WORK_DIR) writes values it
calculated. Prints JSON {sheet: {row: value}} of column C of the figure sheets.
"""
import json
import os
import subprocess
import sys

import openpyxl

FIGURE_SHEETS = ("Hypothesis tests", "Correlation", "Probabilities")

source, work = sys.argv[1], sys.argv[2]
stripped = os.path.join(work, "formulas_only.xlsx")
openpyxl.load_workbook(source).save(stripped)
check = openpyxl.load_workbook(stripped, data_only=True)
assert all(check[name].cell(2, 3).value is None for name in FIGURE_SHEETS), "the copy still holds cached values"
out_dir = os.path.join(work, "recalculated")
profile = "file://" + os.path.join(work, "profile")
subprocess.run(
    ["/usr/bin/soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", out_dir, stripped],
    check=True,
    capture_output=True,
    env={**os.environ, "HOME": work},
    timeout=300,
)
recalculated = openpyxl.load_workbook(os.path.join(out_dir, "formulas_only.xlsx"), data_only=True)
print(json.dumps({name: {row: recalculated[name].cell(row, 3).value for row in range(2, recalculated[name].max_row + 1)} for name in FIGURE_SHEETS}))
