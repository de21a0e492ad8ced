"""Reader's tables: result tables as the app and the reports show them — headers in the reader's language,
dimensions and model terms named, figures rounded, intervals in one column and p-values written as analysts
write them (a p of 1e-119 is "< .001", never "0").

The statistics' own tables (``gapcore.analysis``, ``segments``, ``reliability``, ``drivers``) keep their
documented columns for the workbook and the command line; these only present them.

In detail: reader's tables (and the Data page's: the checks, the files read, the counts, an answer ladder; the
Dimensions page's overall scores — no page imports pandas or numpy, `tests/test_layers.py`): the statistics' tables
as the pages and the HTML report show them — headers in the reader's language, dimensions and model terms named,
figures rounded, a CI in one cell, p as analysts write it ("< .001", never 0): items, dimensions, reliability
(alpha flagged where `reliability` flags it) and alpha if deleted, segment tests and pairs, consistency, wave
changes, driver coefficients, shares, ordinal model, fit. `dimension_labels` (the study's dimensions by name in a
language) lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from gapcore.analysis import Analysis
from gapcore.driver_model import DriverModel
from gapcore.filters import segment_values
from gapcore.i18n import dimension_label, t
from gapcore.io.mapping import ColumnMapping
from gapcore.io.scale import ladder_labels
from gapcore.io.study import Study
from gapcore.problems import ValidationReport
from gapcore.segments import SegmentComparison, Tracking
from gapcore.stats import p_text, significance_stars


def dimension_labels(study: Study, lang: str) -> dict[str, str]:
    """Each of the study's dimensions by its name in ``lang``."""
    return {d: dimension_label(d, lang) for d in study.instrument.dimensions}


def _row_label(lang: str) -> Callable[[str], str]:
    """A row of a per-dimension test table: a dimension's name, or "overall" for all dimensions together."""
    overall = t("overall_column", lang)
    return lambda key: overall if key == "overall" else dimension_label(key, lang)


def ci_text(low: pd.Series, high: pd.Series, *, signed: bool = True) -> list[str]:
    """A confidence interval as one cell, "−0.42 … −0.18" for a gap, "4.65 … 5.55" for a level (``signed``
    false); empty where it is undefined."""
    spec = "+.2f" if signed else ".2f"
    return [f"{lo:{spec}} … {hi:{spec}}" if pd.notna(lo) else "" for lo, hi in zip(low, high, strict=True)]


def items_table(items: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The items as a reader's table: headers in ``lang``, figures rounded, CI and p as analysts write them; a
    perception-only study's (no ``gap`` column) as perceptions with their CI, nothing tested."""
    if "gap" not in items:
        return pd.DataFrame({
            "#": items["item"], t("col_dimension", lang): items["dimension_label"], t("col_text", lang): items["text"],
            t("series_P", lang): items["P"].round(2),
            t("col_ci", lang): ci_text(items["ci_low"], items["ci_high"], signed=False),
            t("col_n", lang): items["n"].astype("Int64")})
    return pd.DataFrame({
        "#": items["item"], t("col_dimension", lang): items["dimension_label"], t("col_text", lang): items["text"],
        t("col_E", lang): items["E"].round(2), t("col_P", lang): items["P"].round(2),
        t("col_gap", lang): items["gap"].round(2), t("col_ci", lang): ci_text(items["ci_low"], items["ci_high"]),
        t("col_p", lang): items["p_value"].map(p_text), t("col_sig", lang): items["p_value"].map(significance_stars),
        t("col_n", lang): items["n"].astype("Int64")})  # empty for an item the study did not ask


def no_variation_items(items: pd.DataFrame) -> list[int]:
    """The items every respondent answered alike (no variation: no interval, no correlation)."""
    return items.loc[items["no_variation"], "item"].astype(int).tolist()


def dimensions_table(study: Study, analysis: Analysis, lang: str) -> pd.DataFrame:
    """The dimensions as a reader's table (as text: for the HTML report): headers in ``lang``, figures to
    two decimals, the CI as one column, n as a whole number."""
    dims = analysis.dimensions
    labels = dimension_labels(study, lang)
    table = {t("col_dimension", lang): dims["dimension"].map(lambda d: labels.get(d, d))}
    for level, header in (("E", "series_E"), ("P", "series_P"), ("gap", "col_gap")):
        if level in dims:
            spec = "+.2f" if level == "gap" else ".2f"  # a gap signed, as its interval is
            table[t(header, lang)] = dims[level].map(lambda v, spec=spec: "" if pd.isna(v) else f"{v:{spec}}")
    if "ci_low" in dims:
        table[t("col_ci", lang)] = ci_text(dims["ci_low"], dims["ci_high"], signed="gap" in dims)
    if "p_value" in dims:
        table[t("col_p", lang)] = dims["p_value"].map(p_text)
    table[t("col_n", lang)] = dims["n"].map(lambda n: "" if pd.isna(n) else f"{int(n):,}")  # a dimension not asked
    return pd.DataFrame(table)


def outcomes_table(analysis: Analysis, lang: str) -> pd.DataFrame:
    """Each outcome's mean (a yes/no retention's share kept) with its 95% CI and n, in the reader's words."""
    frame = analysis.outcomes
    rows = []
    for _, r in frame.iterrows():
        role = t(f"role_{r['outcome']}", lang)
        rate = r["kind"] == "rate"
        spec = ".1%" if rate else ".2f"
        rows.append({t("col_outcome", lang): t("outcome_rate", lang, role=role) if rate else role,
                     t("col_mean", lang): format(r["mean"], spec),
                     t("col_ci", lang): "" if pd.isna(r["ci_low"]) else
                     f"{r['ci_low']:{spec}} … {r['ci_high']:{spec}}",
                     t("col_n", lang): f"{int(r['n']):,}"})
    return pd.DataFrame(rows, columns=[t(c, lang) for c in ("col_outcome", "col_mean", "col_ci", "col_n")])


def _term_labels(study: Study, lang: str) -> Callable[[str], str]:
    """A model term in words: a dimension's name, "constant", a control's value as "segment: value"."""
    labels = {**dimension_labels(study, lang), "const": t("term_const", lang)}
    for column in study.segments:
        for value in segment_values(study, column):
            labels[f"{column}_{value}"] = f"{study.segment_label(column, lang)}: {value}"
    return lambda term: labels.get(term, term)


def coefficients_table(study: Study, model: DriverModel, lang: str) -> pd.DataFrame:
    """The model's coefficients as a reader's table: terms named, CI in one column, p as analysts write it
    (a p of 1e-119 is "< .001", never "0")."""
    c = model.coefficients
    table = {t("col_term", lang): c["term"].map(_term_labels(study, lang)), t("col_coef", lang): c["coef"].round(4),
             t("col_se", lang): c["se"].round(4), t("col_ci", lang): ci_text(c["ci_low"], c["ci_high"]),
             t("col_p_model", lang): c["p"].map(p_text)}
    for column, key in (("std_coef", "col_std_coef"), ("vif", "col_vif")):
        if column in c:
            table[t(key, lang)] = c[column].round(3)
    return pd.DataFrame(table)


def importance_table(study: Study, model: DriverModel, lang: str) -> pd.DataFrame:
    i = model.importance
    labels = dimension_labels(study, lang)
    table = {t("col_dimension", lang): i["dimension"].map(labels)}
    for method in ("shapley", "johnson"):
        table[t(f"col_{method}", lang)] = i[method].round(1)
        if f"{method}_ci_low" in i and i[f"{method}_ci_low"].notna().any():
            table[f"{t(f'col_{method}', lang)} {t('col_ci', lang)}"] = [
                f"{lo:+.1f} … {hi:+.1f}" if pd.notna(lo) else "" for lo, hi in
                zip(i[f"{method}_ci_low"], i[f"{method}_ci_high"], strict=True)]
    return pd.DataFrame(table)


def ordinal_table(study: Study, model: DriverModel, lang: str) -> pd.DataFrame | None:
    o = model.ordinal
    if o is None:
        return None
    return pd.DataFrame({t("col_term", lang): o["term"].map(_term_labels(study, lang)),
                         t("col_coef", lang): o["coef"].round(4), t("col_se", lang): o["se"].round(4),
                         t("col_p_model", lang): o["p"].map(p_text),
                         t("col_odds", lang): o["odds_ratio"].round(3)})


def fit_table(models: Mapping[str, DriverModel], lang: str) -> pd.DataFrame:
    """Fit statistics of models side by side (SERVQUAL against SERVPERF)."""
    return pd.DataFrame({name.upper(): {t(f"fit_{k}", lang): round(v, 3) for k, v in model.fit.items()
                                        if v is not None} for name, model in models.items()})


def dropped_text(model: DriverModel, lang: str) -> str:
    """Who the model left out and why, in the order the reasons are checked ("none" when nobody was)."""
    parts = [t(f"dropped_{reason}", lang, n=count) for reason, count in model.n_dropped.items() if count]
    return "; ".join(parts) if parts else t("none", lang)


def classification_table(model: DriverModel, lang: str) -> pd.DataFrame | None:
    """A yes/no outcome's respondents by what they answered (rows) and what the model predicts at 0.5."""
    counts = model.classification
    if counts is None:
        return None
    names = {"kept": t("class_yes", lang), "lost": t("class_no", lang)}
    wide = counts.pivot(index="observed", columns="predicted", values="count").reindex(
        index=list(names), columns=list(names), fill_value=0)
    return pd.DataFrame({t("col_observed", lang): [names[k] for k in wide.index],
                         **{t("col_predicted", lang, value=names[k]): wide[k].astype(int).tolist() for k in names}})


def reliability_table(study: Study, analysis: Analysis, lang: str) -> pd.DataFrame:
    """Cronbach's alpha of each dimension's expectation and perception items, as text: two decimals, a flag on
    each the reliability table flags (``reliability.ALPHA_FLAG``), "–" where alpha is undefined."""
    rel = analysis.reliability
    rel = rel[rel["measure"].isin(["E", "P"])]
    labels = dimension_labels(study, lang)
    order = [d for d in labels if d in set(rel["dimension"])]
    flag = f" ⚠ {t('reliability_flag', lang)}"
    table = pd.DataFrame({t("col_dimension", lang): [labels[d] for d in order]})
    for measure, rows in rel.groupby("measure", sort=True):
        rows = rows.set_index("dimension").reindex(order)
        table[t(f"alpha_{measure}", lang)] = [
            "–" if pd.isna(alpha) else f"{alpha:.2f}" + (flag if flagged is True else "")
            for alpha, flagged in zip(rows["alpha"], rows["flagged"], strict=True)]
    return table


def alpha_undefined(analysis: Analysis) -> bool:
    """Some dimension's expectation or perception alpha is undefined (one item, or answers that never vary):
    the reliability table shows "–" there, and the page says why."""
    rel = analysis.reliability
    return bool(rel.loc[rel["measure"].isin(["E", "P"]), "alpha"].isna().any()) if not rel.empty else False


def item_reliability_table(study: Study, analysis: Analysis, lang: str) -> pd.DataFrame:
    """Each expectation and perception item's item-rest correlation and alpha if it were deleted (3 decimals)."""
    items = analysis.reliability_items
    items = items[items["measure"].isin(["E", "P"])]
    labels = dimension_labels(study, lang)
    return pd.DataFrame({
        t("col_measure", lang): items["measure"].map(lambda m: t(f"series_{m}", lang)),
        t("col_dimension", lang): items["dimension"].map(lambda d: labels.get(d, d)),
        t("col_item", lang): items["item"].astype(int),
        t("item_rest", lang): items["item_rest_r"].round(3),
        t("alpha_if_deleted", lang): items["alpha_if_deleted"].round(3),
    }).reset_index(drop=True)


def segment_tests_table(comparison: SegmentComparison, lang: str) -> pd.DataFrame:
    """The tests across a segment's values per dimension: Welch's F with its degrees of freedom, Kruskal–Wallis."""
    tests = comparison.tests
    return pd.DataFrame({
        t("col_dimension", lang): tests["dimension"].map(_row_label(lang)),
        t("col_welch", lang): [f"{f:.2f} ({a:.0f}, {b:.1f})" if pd.notna(f) else "" for f, a, b in
                               zip(tests["welch_F"], tests["welch_df1"], tests["welch_df2"], strict=True)],
        t("col_welch_p", lang): tests["welch_p"].map(p_text),
        t("col_kruskal", lang): tests["kruskal_H"].round(2),
        t("col_kruskal_p", lang): tests["kruskal_p"].map(p_text),
    })


def segment_pairs_table(comparison: SegmentComparison, lang: str) -> pd.DataFrame:
    """Every pair of a segment's values per dimension: the difference and its p, raw, Holm and FDR adjusted."""
    pairs = comparison.pairwise
    p_values = {"col_p_welch": "p", "col_p_holm": "p_holm", "col_p_fdr": "p_fdr"}
    return pd.DataFrame({t("col_dimension", lang): pairs["dimension"].map(_row_label(lang)),
                         t("col_pair", lang): pairs["a"].astype(str) + " − " + pairs["b"].astype(str),
                         t("col_difference", lang): pairs["difference"].round(3),
                         **{t(key, lang): pairs[column].map(p_text) for key, column in p_values.items()}})


def consistency_table(study: Study, comparison: SegmentComparison, lang: str) -> pd.DataFrame:
    """How evenly each dimension is served across the segment's values (``segments.consistency``)."""
    spread = comparison.spread
    spread = spread[spread["dimension"] != "overall"]
    labels = dimension_labels(study, lang)
    return pd.DataFrame({
        t("col_dimension", lang): spread["dimension"].map(lambda d: labels.get(d, d)),
        t("col_sd", lang): spread["sd"].round(2), t("col_range", lang): spread["range"].round(2),
        t("col_furthest", lang): spread["furthest"],
        t("col_distance", lang): spread["furthest_distance"].round(2),
    }).reset_index(drop=True)


def wave_changes_table(tracking: Tracking, lang: str) -> pd.DataFrame:
    """Each dimension's change from one wave to the next, signed to two decimals, with its p (raw and Holm)."""
    changes = tracking.changes
    columns = {"col_dimension": changes["dimension"].map(_row_label(lang)), "col_from": changes["wave_from"],
               "col_to": changes["wave_to"], "col_change": changes["difference"].map(lambda v: f"{v:+.2f}"),
               "col_p_welch": changes["p"].map(p_text), "col_p_holm": changes["p_holm"].map(p_text)}
    return pd.DataFrame({t(key, lang): values for key, values in columns.items()})


def problems_table(report: ValidationReport, lang: str) -> pd.DataFrame:
    """The load's checks as the Data page lists them: severity, where, what is wrong, what to do — the
    words of ``ValidationReport.to_frame(lang)`` under headers in ``lang``."""
    frame = report.to_frame(lang)
    frame["severity"] = frame["severity"].map(lambda severity: t(f"severity_{severity}", lang))
    return frame.rename(columns={c: t(f"col_{c}", lang) for c in ("severity", "where", "what", "todo")})


def sources_table(study: Study, lang: str) -> pd.DataFrame:
    """What was read from each file: its table, sheet, encoding, delimiter, header row, rows and columns."""
    return pd.DataFrame([{t("col_table", lang): t(f"table_{s.table}", lang), t("col_file", lang): s.file,
                          t("col_sheet", lang): s.sheet or "", t("col_encoding", lang): s.encoding or "",
                          t("col_delimiter", lang): {"\t": "tab"}.get(s.delimiter, s.delimiter or ""),
                          t("col_header_row", lang): s.header_row, t("col_rows", lang): s.rows,
                          t("col_columns", lang): s.columns} for s in study.sources])


def counts_table(study: Study, lang: str) -> pd.DataFrame:
    """The rows of each table of the study, in one row."""
    return pd.DataFrame([{t("table_customers", lang): study.n,
                          **{t(f"table_{name}", lang): len(frame) for name, frame in study.providers.items()}}])


def ladder_table(words: Sequence[str], lang: str) -> pd.DataFrame:
    """Answer words in the order they are read, numbered from 1 (the Data page's ladder to confirm)."""
    return pd.DataFrame({t("col_label", lang): list(words), t("col_value", lang): range(1, len(words) + 1)})


def tables_read(study: Study, lang: str) -> str:
    """The tables the study was read from, named in ``lang`` ("" when it has no sources)."""
    return ", ".join(t(f"table_{s.table}", lang) for s in study.sources)


def confirmed_ladder(words: Sequence[str], edited: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The label table a confirmed ``ladder_table`` reads the answers with: its words at the numbers the
    analyst left or gave them."""
    return ladder_labels(words, words, edited[t("col_value", lang)].tolist())


def detected_facts(study: Study, lang: str) -> list[str]:
    """What the load found, one line each: the scale, the outcomes, the segments and whether rows are weighted."""
    return [t("scale_found", lang, low=study.scale.low, high=study.scale.high),
            t("outcomes_found", lang, names=", ".join(t(f"role_{o}", lang) for o in study.outcomes)
              or t("none", lang)),
            t("segments_found", lang, names=", ".join(study.segments) or t("none", lang)),
            t("weight_found", lang, state=t("yes" if study.has_weight else "no", lang))]


def mapping_overview(mapping: ColumnMapping) -> pd.DataFrame:
    """The mapping in five columns (table, column, role, item, dimension): what a study that is not the
    analyst's to edit (the demo) shows of it."""
    return mapping.to_frame()[["table", "column", "role", "item", "dimension"]]


def overall_lines(analysis: Analysis, lang: str) -> list[tuple[str, str, str]]:
    """Each overall score as (label, figure, interval or why there is none): a gap signed, a perception not."""
    lines = []
    for _, row in analysis.overall.iterrows():
        gap = row["measure"] != "servperf"
        figure = f"{row['value']:+.2f}" if gap else f"{row['value']:.2f}"
        if pd.isna(row["ci_low"]):
            note = t("no_variation", lang) + f" n = {int(row['n']):,}"
        else:
            note = t("ci_text" if gap else "level_ci_text", lang, low=row["ci_low"], high=row["ci_high"],
                     n=int(row["n"]))
        lines.append((t(f"overall_{row['measure']}", lang), figure, note))
    return lines
