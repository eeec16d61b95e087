#!/usr/bin/python3
"""The engagement study written the usual way with pandas/scipy/statsmodels, for the benchmark.

Usage: /usr/bin/python3 bench/pandas_study.py INPUT_DIR OUT_DIR [--baseline 2021Q2 --comparison 2022Q2]

Reads the same four CSVs the workflow reads (INPUT_DIR/engagement/*.csv) and writes what the workflow
writes: purchases_info.csv, the four period files, minutes_and_certificates.csv, the cleaned period
files, statistics.json and regression_predictions.csv. Prints one JSON line: the wall time of each
stage and in total, and the peak RSS (ru_maxrss).
"""
import argparse
import json
import math
import os
import re
import resource
import sys
import time

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

PLAN_MONTHS = {0: 1, 1: 3, 2: 12}
ALPHA = 0.05
Q = 0.99
SEED = 42
TEST_FRACTION = 0.2
PREDICT_MINUTES = 1200


def quarter(label):
    match = re.fullmatch(r"(\d{4})Q([1-4])", label)
    if not match:
        sys.exit(f"period must look like 2021Q2, got {label!r}")
    year, q = int(match.group(1)), int(match.group(2))
    first = pd.Timestamp(year=year, month=3 * q - 2, day=1)
    return label, f"paid_q{q}_{year}", first, first + pd.DateOffset(months=3) - pd.Timedelta(days=1)


def read_inputs(folder):
    read = lambda name, dates, **kw: pd.read_csv(os.path.join(folder, name), parse_dates=dates, **kw)
    info = read("student_info.csv", ["date_registered"])
    purchases = read("student_purchases.csv", ["date_purchased", "date_refunded"])
    watched = read("student_video_watched.csv", ["date_watched"])
    certificates = read("student_certificates.csv", ["date_issued"])
    return info, purchases, watched, certificates


def purchases_info(purchases, periods):
    ends = pd.Series(pd.NaT, index=purchases.index, dtype="datetime64[ns]")
    for plan, months in PLAN_MONTHS.items():
        on_plan = purchases["plan_id"] == plan
        ends[on_plan] = purchases.loc[on_plan, "date_purchased"] + pd.DateOffset(months=months)
    refunded = purchases["date_refunded"].notna()
    ends[refunded] = purchases.loc[refunded, "date_refunded"]
    table = purchases[["purchase_id", "student_id", "plan_id"]].copy()
    table["date_start"] = purchases["date_purchased"]
    table["date_end"] = ends
    for _, flag, first, last in periods:
        table[flag] = ((table["date_start"] <= last) & (table["date_end"].isna() | (table["date_end"] >= first))).astype(int)
    return table.sort_values("purchase_id")


def seconds_in(watched, first, last):
    inside = watched[(watched["date_watched"] >= first) & (watched["date_watched"] <= last)]
    return inside.groupby("student_id")["seconds_watched"].sum()


def summary(x):
    n = len(x)
    if n < 2:
        return {"n_after": n, "mean": None, "median": None, "sd": None, "ci95_t": None, "ci95_z": None}
    mean, sd = float(np.mean(x)), float(np.std(x, ddof=1))
    sem = sd / math.sqrt(n)
    return {
        "n_after": n, "mean": mean, "median": float(np.median(x)), "sd": sd,
        "ci95_t": list(stats.t.interval(0.95, n - 1, loc=mean, scale=sem)),
        "ci95_z": list(stats.norm.interval(0.95, loc=mean, scale=sem)),
    }


def compare(base, comp):
    nb, nc = len(base), len(comp)
    vb, vc = np.var(base, ddof=1), np.var(comp, ddof=1)
    F = vb / vc
    p_F = 2 * min(stats.f.cdf(F, nb - 1, nc - 1), stats.f.sf(F, nb - 1, nc - 1))
    pooled = stats.ttest_ind(base, comp, equal_var=True)
    welch = stats.ttest_ind(base, comp, equal_var=False)
    pooled_one = stats.ttest_ind(base, comp, equal_var=True, alternative="less")
    welch_one = stats.ttest_ind(base, comp, equal_var=False, alternative="less")
    chosen = "pooled" if p_F >= ALPHA else "welch"
    pooled_sd = math.sqrt(((nb - 1) * vb + (nc - 1) * vc) / (nb + nc - 2))
    p_chosen = pooled_one.pvalue if chosen == "pooled" else welch_one.pvalue
    return {
        "F": F, "p_F": p_F, "t_pooled": pooled.statistic, "p_pooled_one_sided": pooled_one.pvalue, "p_pooled_two_sided": pooled.pvalue,
        "t_welch": welch.statistic, "p_welch_one_sided": welch_one.pvalue, "p_welch_two_sided": welch.pvalue, "chosen": chosen,
        "cohens_d": (np.mean(comp) - np.mean(base)) / pooled_sd, "reject_h0": bool(p_chosen < ALPHA),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input_dir")
    parser.add_argument("out_dir")
    parser.add_argument("--baseline", default="2021Q2")
    parser.add_argument("--comparison", default="2022Q2")
    args = parser.parse_args()
    started = time.perf_counter()
    stages = {}
    mark = [started]

    def stage(name):
        now = time.perf_counter()
        stages[name] = round((now - mark[0]) * 1000)
        mark[0] = now

    os.makedirs(args.out_dir, exist_ok=True)
    out = lambda name: os.path.join(args.out_dir, name)
    periods = [quarter(args.baseline), quarter(args.comparison)]
    info, purchases, watched, certificates = read_inputs(os.path.join(args.input_dir, "engagement"))
    stage("read_csv")

    table = purchases_info(purchases, periods)
    table.to_csv(out("purchases_info.csv"), index=False, date_format="%Y-%m-%d")
    cohorts = {}
    for label, flag, first, last in periods:
        paid = set(table.loc[table[flag] == 1, "student_id"])
        minutes = (seconds_in(watched, first, last) / 60).round(2).sort_index()
        frame = pd.DataFrame({"student_id": minutes.index, "minutes_watched": minutes.to_numpy()})
        frame["paid_in_period"] = frame["student_id"].isin(paid).astype(int)
        for flag_value in (0, 1):
            cohort = frame[frame["paid_in_period"] == flag_value]
            cohort.to_csv(out(f"minutes_watched_{label}_paid_{flag_value}.csv"), index=False)
            cohorts[(label, flag_value)] = cohort
    _, _, comparison_first, comparison_last = periods[1]
    issued = certificates[(certificates["date_issued"] >= comparison_first) & (certificates["date_issued"] <= comparison_last)]
    counts = issued.groupby("student_id").size()
    both = seconds_in(watched, *periods[0][2:]).add(seconds_in(watched, *periods[1][2:]), fill_value=0)
    mc = pd.DataFrame({"student_id": counts.index, "certificates_issued": counts.to_numpy()})
    mc["minutes_watched"] = (mc["student_id"].map(both).fillna(0) / 60).round(2)
    mc.to_csv(out("minutes_and_certificates.csv"), index=False)
    stage("period_files")

    statistics = {"periods": {"baseline": periods[0][0], "comparison": periods[1][0]}, "alpha": ALPHA, "outlier_quantile": Q, "cohorts": {}, "tests": {}}
    cleaned = {}
    for (label, flag_value), cohort in cohorts.items():
        cutoff = cohort["minutes_watched"].quantile(Q)
        kept = cohort[cohort["minutes_watched"] < cutoff]
        kept.to_csv(out(f"minutes_watched_{label}_paid_{flag_value}_no_outliers.csv"), index=False)
        cleaned[(label, flag_value)] = kept["minutes_watched"].to_numpy()
        statistics["cohorts"][f"{label}_{'paid' if flag_value else 'free'}"] = {"n_before": len(cohort), "cutoff": float(cutoff), **summary(cleaned[(label, flag_value)])}
    stage("outliers")

    for flag_value, group in ((0, "free"), (1, "paid")):
        statistics["tests"][group] = compare(cleaned[(periods[0][0], flag_value)], cleaned[(periods[1][0], flag_value)])
    x = mc["minutes_watched"].to_numpy(dtype=float)
    y = mc["certificates_issued"].to_numpy(dtype=float)
    pearson = stats.pearsonr(x, y)
    ci = pearson.confidence_interval(0.95)
    statistics["correlation"] = {"n": len(x), "pearson": pearson.statistic, "pearson_ci95": [ci.low, ci.high], "p": pearson.pvalue,
                                 "spearman": stats.spearmanr(x, y).statistic}
    in_baseline = set(cohorts[(periods[0][0], 0)]["student_id"]) | set(cohorts[(periods[0][0], 1)]["student_id"])
    in_comparison = set(cohorts[(periods[1][0], 0)]["student_id"]) | set(cohorts[(periods[1][0], 1)]["student_id"])
    n_any = len(in_baseline | in_comparison)
    n_both = len(in_baseline & in_comparison)
    a, b = len(in_baseline), len(in_comparison)
    table2 = np.array([[n_both, a - n_both], [b - n_both, n_any - a - b + n_both]])
    chi2, chi2_p, _, _ = stats.chi2_contingency(table2, correction=False)
    statistics["probabilities"] = {"n_baseline": a, "n_comparison": b, "n_both": n_both, "n_any": n_any, "p_baseline": a / n_any,
                                   "p_comparison": b / n_any, "p_both": n_both / n_any, "chi2": chi2, "chi2_p": chi2_p,
                                   "p_baseline_given_comparison": n_both / b, "p_comparison_given_baseline": n_both / a}
    full = sm.OLS(y, sm.add_constant(x)).fit()
    order = np.random.default_rng(SEED).permutation(len(x))
    is_test = np.zeros(len(x), dtype=bool)
    is_test[order[: math.ceil(len(x) * TEST_FRACTION)]] = True
    train = sm.OLS(y[~is_test], sm.add_constant(x[~is_test])).fit()
    predicted = train.params[0] + train.params[1] * x
    residual = y[is_test] - predicted[is_test]
    statistics["regression"] = {
        "full": {"intercept": full.params[0], "slope": full.params[1], "se_intercept": full.bse[0], "se_slope": full.bse[1], "r2": full.rsquared, "n": len(x)},
        "split": {"intercept": train.params[0], "slope": train.params[1], "r2_train": train.rsquared,
                  "r2_test": 1 - np.sum(residual ** 2) / np.sum((y[is_test] - y[is_test].mean()) ** 2),
                  "mae_test": float(np.mean(np.abs(residual))), "rmse_test": float(np.sqrt(np.mean(residual ** 2)))},
        "prediction": {"minutes": PREDICT_MINUTES, "certificates": float(full.params[0] + full.params[1] * PREDICT_MINUTES)},
    }
    pd.DataFrame({"student_id": mc["student_id"], "minutes_watched": x, "actual": y, "predicted": predicted,
                  "split": np.where(is_test, "test", "train")}).to_csv(out("regression_predictions.csv"), index=False)
    with open(out("statistics.json"), "w") as handle:
        json.dump(statistics, handle, indent=2, default=float)
    stage("statistics")

    total = round((time.perf_counter() - started) * 1000)
    print(json.dumps({"totalMs": total, "stages": stages, "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
