"""The ``--json`` documents of ``analyze`` and ``drivers``: stable keys (documented in the README), JSON-safe
values (NaN and infinities null), the same for a study read from files or from a connected source."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from gapcore.analysis import Analysis
from gapcore.driver_model import DriverModel
from gapcore.gaps import chain_as_dict
from gapcore.io.study import Study


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null, numpy scalars plain numbers."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def analysis_document(study: Study, analysis: Analysis, report_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``--json`` document."""
    inst = study.instrument
    dims = analysis.dimensions.set_index("dimension") if not analysis.dimensions.empty else None
    items = analysis.items.set_index("item") if not analysis.items.empty else None
    overall = analysis.overall.set_index("measure")["value"].to_dict() if not analysis.overall.empty else {}
    doc: dict[str, Any] = {
        "n": int(analysis.n),
        "n_eff": analysis.n_eff,
        "weighted": analysis.weighted,
        "filters": {k: list(v) for k, v in analysis.filters.items()},
        "suppressed": analysis.suppressed,
        "min_cell": analysis.min_cell,
        "scale": study.scale.as_list(),
        "instrument": {d: list(inst.items_of(d)) for d in inst.dimensions},
        "dimensions": {},
        "items": {},
        "overall": {k: overall.get(k) for k in ("unweighted", "weighted", "servperf")},
        "chain": chain_as_dict(analysis.chain),
        "chain_by_dimension": {d: chain_as_dict(c) for d, c in analysis.chain_by_dimension.items()},
        "zone": analysis.zone.to_dict(orient="records"),
        "importance_performance": analysis.importance_performance.to_dict(orient="records"),
        "reliability": analysis.reliability.to_dict(orient="records"),
        "providers": dict(analysis.provider_n),
        "validation": report_rows,
        "mapping": [{"table": s.table, "column": s.column, "role": s.role, "item": s.item, "dimension": s.dimension}
                    for s in study.mapping.specs],
        "header_row": study.sources[0].header_row if study.sources else None,
        "encoding": study.sources[0].encoding if study.sources else None,
        "na": list(study.mapping.na or ()),
    }
    doc["design"] = "servqual" if study.paired else "servperf"
    if study.perception_only:  # nothing of expectations or gaps: no SERVQUAL scores, zone or chain
        doc["overall"] = {"servperf": overall.get("servperf")}
        for key in ("zone", "chain", "chain_by_dimension"):
            del doc[key]
    doc["outcomes"] = {r["outcome"]: {k: r[k] for k in ("kind", "mean", "ci_low", "ci_high", "n")}
                       for r in analysis.outcomes.to_dict(orient="records")}
    if dims is not None:
        doc["dimensions"] = {dim: _measures(dims.loc[dim], DIMENSION_FIELDS, study) for dim in inst.dimensions}
    if items is not None:
        doc["items"] = {str(k): {"dimension": inst.dimension_of(k), **_measures(items.loc[k], ITEM_FIELDS, study)}
                        for k in inst.numbers if k in items.index}
    return _clean(doc)


#: The JSON fields of a dimension and an item (JSON name → analysis column); a perception-only study's have
#: none of the paired ones (``analysis.PAIRED_ONLY_COLUMNS``): its ``ci_low``/``ci_high`` are those of P.
DIMENSION_FIELDS = {"E": "E", "P": "P", "gap5": "gap", "n": "n", "no_variation": "no_variation", "ci_low": "ci_low",
                    "ci_high": "ci_high", "p_value": "p_value", "wilcoxon_p": "wilcoxon_p",
                    "effect_size": "effect_size", "alpha_E": "alpha_E", "alpha_P": "alpha_P"}
ITEM_FIELDS = {k: DIMENSION_FIELDS[k] for k in ("E", "P", "gap5", "n", "ci_low", "ci_high", "p_value", "no_variation")}


def _measures(row: pd.Series, fields: dict[str, str], study: Study) -> dict[str, Any]:
    """One dimension's or item's figures under their JSON names, as far as the study's design has them."""
    out: dict[str, Any] = {}
    for name, column in fields.items():
        if column not in row.index:
            if study.perception_only:
                continue
            out[name] = None
        elif column == "n":
            out[name] = _count(row[column])
        else:
            out[name] = bool(row[column]) if column == "no_variation" else row[column]
    return out


def _count(value: float) -> int | None:
    """A respondent count, or None where the figure is held back."""
    return None if pd.isna(value) else int(value)


def drivers_document(model: DriverModel, lang: str = "en") -> dict[str, Any]:
    """The ``drivers --json`` document."""
    coefficients = {
        row["term"]: {"coef": row["coef"], "se": row["se"], "p": row["p"], "ci_low": row["ci_low"],
                      "ci_high": row["ci_high"], "std_coef": row["std_coef"], "vif": row["vif"]}
        for _, row in model.coefficients.iterrows()
    }
    importance = {row["dimension"]: {"shapley": row["shapley"], "johnson": row["johnson"]}
                  for _, row in model.importance.iterrows()}
    from gapcore.present.readings import note_text  # the chart layer, imported only when a document needs it

    return _clean({"n": model.n, "n_dropped": dict(model.n_dropped), "outcome": model.outcome,
                   "model": model.predictors, "kind": model.kind, "fit": dict(model.fit),
                   "coefficients": coefficients, "importance": importance,
                   "notes": [note_text(note, lang) for note in model.notes]})
