"""Reads engagement_study.xlsx with openpyxl and pandas, independently of the workflow's code.

Usage: read_workbook.py WORKBOOK [STATISTICS_JSON]
Prints JSON: the sheet names, each sheet's frozen cell, the figure rows (formula text, cached
value, workflow value, statistics.json field and the value found there) and, per data sheet,
pandas' count, mean, sample SD and median of each numeric column.
"""
import json
import re
import sys

import openpyxl
import pandas

FIGURE_SHEETS = ("Hypothesis tests", "Correlation", "Probabilities")


def field_value(statistics, field):
    """'cohorts.2021Q2_free.ci95_t[0]' -> statistics['cohorts']['2021Q2_free']['ci95_t'][0]."""
    value = statistics
    for part in field.split("."):
        match = re.fullmatch(r"(.+)\[(\d+)\]", part)
        key, index = (match.group(1), int(match.group(2))) if match else (part, None)
        value = value.get(key) if isinstance(value, dict) else None
        if index is not None:
            value = value[index] if value is not None else None
    return value


def main():
    path = sys.argv[1]
    statistics = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    out = {"sheets": formulas.sheetnames, "frozen": {}, "figures": [], "data": {}, "formats": {}}
    for name in formulas.sheetnames:
        out["frozen"][name] = formulas[name].freeze_panes
    for name in FIGURE_SHEETS:
        with_formulas, with_values = formulas[name], cached[name]
        for row in range(2, with_formulas.max_row + 1):
            formula = with_formulas.cell(row, 3).value
            entry = {
                "sheet": name,
                "row": row,
                "figure": with_formulas.cell(row, 2).value,
                "formula": formula if isinstance(formula, str) and formula.startswith("=") else None,
                "cached": with_values.cell(row, 3).value,
                "workflow": with_values.cell(row, 4).value,
                "field": with_formulas.cell(row, 5).value,
                "format": with_formulas.cell(row, 3).number_format,
            }
            if statistics is not None:
                entry["statistics"] = field_value(statistics, entry["field"])
            out["figures"].append(entry)
    for name in formulas.sheetnames:
        if name in FIGURE_SHEETS or name == "About":
            continue
        frame = pandas.read_excel(path, sheet_name=name, engine="openpyxl")
        out["data"][name] = {
            column: {
                "count": int(frame[column].count()),
                "mean": float(frame[column].mean()) if len(frame) else None,
                "sd": float(frame[column].std(ddof=1)) if len(frame) > 1 else None,
                "median": float(frame[column].median()) if len(frame) else None,
                "sum": float(frame[column].sum()),
                "max": float(frame[column].max()) if len(frame) else None,
                "distinct": int(frame[column].nunique()),
            }
            for column in frame.columns
        }
        out["formats"][name] = [formulas[name].cell(2, column).number_format for column in range(1, formulas[name].max_column + 1)]
    out["about"] = [[cell.value for cell in row] for row in formulas["About"].iter_rows()]
    print(json.dumps(out))


main()
