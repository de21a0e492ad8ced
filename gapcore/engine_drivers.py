"""Driver models of a study whose rows stay in the engine (``gapcore.connected``), fitted from sums the engine takes.

The model's rows (``driver_model.driver_frame``'s rule: the filter's respondents with the outcome, every
predictor, the controls and a valid weight) are an SQL relation; nothing of them comes into this process but:
- **sums**, grouped by the control segments' values: n, Σw, Σw², Σw·z and Σw·z·z' for z = (predictors, outcome),
  each predictor's range. A control's dummy is constant within a group, so X'WX, X'Wy and y'Wy with the dummies
  are sums of groups: coefficients, R², AIC, VIF and the correlations Shapley and Johnson start from, exactly;
- **HC3 errors** from a second pass with the coefficients and (X'WX)⁻¹ written into the statement (each row's
  residual and leverage), HC1 where a leverage is 1 — as in memory;
- **logit** by Newton's method (IRLS), one aggregation per step (X'VX, the score, the log-likelihood, the
  largest misfit for separation); the covariance (unweighted: the inverse information; weighted: statsmodels'
  GLM sandwich), pseudo-R² and average marginal effect from the last step; the AUC and the classification table
  counted by the engine (respondents per fitted probability, ties joined, running sums);
- **a random sample** of ``SAMPLE_ROWS`` model rows, chosen by a seeded hash of each row's values (the same rows
  whatever the engine's threads, in a fixed order), for what only rows give: the bootstrap intervals of the
  importance shares (scaled to every respondent: ``driver_model.importance_table``), the ordinal logit, and
  a logit's what-if. The model says so in a note (``note_engine_sample``).
Every exact figure equals ``driver_model.fit_drivers`` on the same rows (``tests/test_engine_drivers.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gapcore.defaults import CONFIDENCE
from gapcore.driver_model import (
    AUC_TIE,
    BOOTSTRAP,
    DriverModel,
    DriverNote,
    LinearFit,
    coefficient_table,
    default_predictors,
    fit_measures,
    importance_table,
    variance_inflation,
)
from gapcore.errors import GapcoreError
from gapcore.filters import normalize_filters
from gapcore.importance import bootstrap_corr, weighted_corr
from gapcore.io.outcomes import MAX_WEIGHT
from gapcore.io.study import Study
from gapcore.sql_scores import ScoredColumns, dimension_scores, quoted
from gapcore.warehouse import segment_text

SAMPLE_ROWS = 20_000  # model rows drawn for the bootstrap, the ordinal logit and a logit's what-if
MAX_STEPS = 50  # Newton steps of a logit before it is said not to converge
_STEP_TOLERANCE = 1e-11


def _number(value: float) -> str:
    """A float written into a statement without losing a bit (DuckDB would read ``0.1`` as a DECIMAL)."""
    return f"CAST({float(value)!r} AS DOUBLE)"


def _text_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class _ModelRows:
    """The model's rows in the engine: ``fitted`` has c0… (controls as text), x0… (predictors), y, w, and
    ``u`` — the row's weight (1 unweighted) when it enters the model, else NULL."""

    base: str
    names: tuple[str, ...]
    controls: tuple[str, ...]

    @property
    def xs(self) -> list[str]:
        return [f"x{i}" for i in range(len(self.names))]

    @property
    def cs(self) -> list[str]:
        return [f"c{i}" for i in range(len(self.controls))]


def _model_rows(study: Study, relation: str, columns: Sequence[str], outcome: str, predictors: str,
                filters: Mapping[str, Sequence[str]], weighted: bool, controls: Sequence[str]) -> _ModelRows:
    design = ScoredColumns(study.instrument, frozenset(map(str, columns)), ())
    scores = dimension_scores(design)
    xs = []
    for i, _ in enumerate(study.instrument.dimensions):
        e, p = f"sg_E_{i}", f"sg_P_{i}"
        if p not in scores or (predictors == "servqual" and e not in scores):
            raise GapcoreError("drivers_no_predictors", model=predictors)
        xs.append(f"({p} - {e})" if predictors == "servqual" else p)
    where = " AND ".join(f"CAST({quoted(column)} AS VARCHAR) IN ({', '.join(map(_text_literal, values))})"
                         for column, values in filters.items())
    picked = [*(f"CAST({quoted(c)} AS VARCHAR) AS c{i}" for i, c in enumerate(controls)),
              *(f"CAST({x} AS DOUBLE) AS x{i}" for i, x in enumerate(xs)), f"CAST({quoted(outcome)} AS DOUBLE) AS y",
              f"CAST({quoted('weight')} AS DOUBLE) AS w" if weighted else "CAST(1 AS DOUBLE) AS w"]
    complete = " AND ".join(f"{v} IS NOT NULL" for v in ["y", *(f"x{i}" for i in range(len(xs)))])
    enters = " AND ".join([complete, *(f"c{i} IS NOT NULL" for i in range(len(controls))),
                           *([f"w > 0 AND w <= {MAX_WEIGHT:.0f}"] if weighted else [])])
    base = (f"WITH dims AS (SELECT *, {', '.join(f'{e} AS {n}' for n, e in scores.items())} FROM {relation} AS "
            f"sg_source{' WHERE ' + where if where else ''}), model AS (SELECT {', '.join(picked)} FROM dims), "
            f"fitted AS (SELECT *, CASE WHEN {complete} THEN 1 ELSE 0 END AS complete, "
            f"CASE WHEN {enters} THEN w END AS u FROM model)")
    return _ModelRows(base, tuple(study.instrument.dimensions), tuple(controls))


@dataclass(frozen=True)
class _Sums:
    """The first pass, assembled: moments of (1, x…, dummies…, y), counts and ranges."""

    moments: np.ndarray  # (1, x…, d…, y) × (1, x…, d…, y), weighted
    n: int
    weight_sum: float
    weight_squares: float
    log_weights: float
    design_means: np.ndarray  # unweighted means of (1, x…, d…)
    dummies: tuple[tuple[int, str], ...]  # (control position, level) per dummy column
    constant: tuple[bool, ...]  # per predictor: one value over the model's rows
    constant_outcome: bool
    dropped: dict[str, int]


def _first_pass(run, rows: _ModelRows, weighted: bool) -> _Sums:
    xs, cs = rows.xs, rows.cs
    zs = [*xs, "y"]
    aggregates = ["COUNT(*)", "SUM(CASE WHEN y IS NULL THEN 1 ELSE 0 END)",
                  "SUM(CASE WHEN y IS NOT NULL AND complete = 0 THEN 1 ELSE 0 END)", "SUM(complete)", "COUNT(u)",
                  "SUM(u)", "SUM(u * u)", "SUM(LN(u))", *(f"SUM(u * {z})" for z in zs),
                  *(f"SUM(u * {a} * {b})" for i, a in enumerate(zs) for b in zs[i:]),
                  *(f"SUM(CASE WHEN u IS NOT NULL THEN {x} END)" for x in xs),
                  *(f"{f}(CASE WHEN u IS NOT NULL THEN {z} END)" for z in zs for f in ("MIN", "MAX"))]
    select = ", ".join([*cs, *(f"{a} AS a{j}" for j, a in enumerate(aggregates))])
    result = run(f"{rows.base} SELECT {select} FROM fitted" + (f" GROUP BY {', '.join(cs)}" if cs else ""))
    keys = [tuple(segment_text(v) for v in row) for row in result.iloc[:, :len(cs)].itertuples(index=False, name=None)]
    data = result.iloc[:, len(cs):].to_numpy(dtype=float, na_value=np.nan)
    sums = np.nan_to_num(data[:, :8 + len(zs) + len(zs) * (len(zs) + 1) // 2 + len(xs)])
    n_of = sums[:, 4]
    p, k = len(xs), len(zs) + 1  # predictors; (1, x…, y)
    dropped = {"outcome_missing": int(sums[:, 1].sum()), "predictor_missing": int(sums[:, 2].sum())}
    if cs:
        missing = np.array([any(v is None for v in key) for key in keys], dtype=bool)
        dropped["segment_missing"] = int(sums[missing, 3].sum())
    else:
        missing = np.zeros(len(keys), dtype=bool)
    if weighted:
        dropped["weight_missing"] = int((sums[~missing, 3] - n_of[~missing]).sum())
    levels = [sorted({key[c] for key, n in zip(keys, n_of, strict=True) if n > 0 and key[c] is not None})
              for c in range(len(cs))]
    dummies = tuple((c, level) for c in range(len(cs)) for level in levels[c][1:])
    width = k + len(dummies)
    moments = np.zeros((width, width))
    unweighted = np.zeros(width - 1)
    upper = np.triu_indices(len(zs))
    for g, key in enumerate(keys):
        if n_of[g] == 0:
            continue
        own = np.zeros((k, k))  # the group's moments of (1, x…, y)
        own[0, 0] = sums[g, 5]
        own[0, 1:] = own[1:, 0] = sums[g, 8:8 + len(zs)]
        inner = np.zeros((len(zs), len(zs)))
        inner[upper] = sums[g, 8 + len(zs):8 + len(zs) + len(upper[0])]
        own[1:, 1:] = inner + np.triu(inner, 1).T
        lift = np.zeros((width, k))  # (1, x…, y) → (1, x…, d…, y): a dummy is the group's 0 or 1 times the constant
        lift[:1 + p, :1 + p] = np.eye(1 + p)
        lift[-1, -1] = 1.0
        for d, (c, level) in enumerate(dummies):
            lift[1 + p + d, 0] = float(key[c] == level)
        moments += lift @ own @ lift.T
        unweighted[0] += n_of[g]
        unweighted[1:1 + p] += sums[g, 8 + len(zs) + len(upper[0]):]
        unweighted[1 + p:] += n_of[g] * lift[1 + p:-1, 0]
    n = int(n_of.sum())
    ranges = data[:, -2 * len(zs):]
    low, high = np.nanmin(ranges[:, 0::2], axis=0, initial=np.inf), np.nanmax(ranges[:, 1::2], axis=0, initial=-np.inf)
    same = tuple(bool(a == b) for a, b in zip(low, high, strict=True))
    return _Sums(moments, n, float(sums[:, 5].sum()), float(sums[:, 6].sum()), float(sums[:, 7].sum()),
                 unweighted / max(n, 1), dummies, same[:-1], same[-1], dropped)


def _design_sql(rows: _ModelRows, dummies: Sequence[tuple[int, str]]) -> list[str]:
    """The design's columns (1, x…, dummies…) as expressions over ``fitted``."""
    return ["CAST(1 AS DOUBLE)", *rows.xs,
            *(f"(CASE WHEN c{c} = {_text_literal(level)} THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END)"
              for c, level in dummies)]


def _linear(expressions: Sequence[str], beta: np.ndarray) -> str:
    return " + ".join(f"{_number(b)} * {e}" for b, e in zip(beta, expressions, strict=True))


def _pairs(width: int) -> list[tuple[int, int]]:
    return [(i, j) for i in range(width) for j in range(i, width)]


def _symmetric(values: np.ndarray, width: int) -> np.ndarray:
    out = np.zeros((width, width))
    for (i, j), value in zip(_pairs(width), values, strict=True):
        out[i, j] = out[j, i] = value
    return out


def _ols(run, rows: _ModelRows, sums: _Sums, design: list[str], notes: list[DriverNote]) -> LinearFit:
    """Weighted least squares from the sums, with HC3 errors (HC1 where a leverage is 1) from a second pass."""
    xtx, xty, yty = sums.moments[:-1, :-1], sums.moments[:-1, -1], sums.moments[-1, -1]
    beta = np.linalg.solve(xtx, xty)
    bread = np.linalg.inv(xtx)
    width, n = len(beta), sums.n
    d = [f"d{i}" for i in range(width)]
    quadratic = " + ".join(f"{_number(bread[i, j] * (1 if i == j else 2))} * {d[i]} * {d[j]}" for i, j in _pairs(width))
    meat3 = [f"SUM(CASE WHEN h < 1 - 1e-10 THEN u * u * r * r * {d[i]} * {d[j]} / ((1 - h) * (1 - h)) END)"
             for i, j in _pairs(width)]
    meat1 = [f"SUM(u * u * r * r * {d[i]} * {d[j]})" for i, j in _pairs(width)]
    named = ", ".join(f"{e} AS {name}" for e, name in zip(design, d, strict=True))
    statement = (f"{rows.base}, resid AS (SELECT u, {named}, y - ({_linear(design, beta)}) AS r FROM fitted "
                 f"WHERE u IS NOT NULL), "
                 f"lev AS (SELECT *, u * ({quadratic}) AS h FROM resid) "
                 f"SELECT MAX(h), {', '.join(meat3 + meat1)} FROM lev")
    values = run(statement).iloc[0].to_numpy(dtype=float, na_value=0.0)
    half = len(_pairs(width))
    if values[0] >= 1 - 1e-10:
        notes.append(DriverNote("hc1_errors"))
        meat = _symmetric(values[1 + half:], width) * n / (n - width)
    else:
        meat = _symmetric(values[1:1 + half], width)
    ssr = float(yty - beta @ xty)
    tss = float(yty - sums.moments[0, -1] ** 2 / sums.moments[0, 0])
    rsquared = 1 - ssr / tss
    llf = -n / 2 * (np.log(2 * np.pi) + np.log(ssr / n) + 1) + 0.5 * sums.log_weights
    return LinearFit(beta, bread @ meat @ bread, rsquared, 1 - (1 - rsquared) * (n - 1) / (n - width),
                     float(-2 * llf + 2 * width))


@dataclass(frozen=True)
class _LogitFit(LinearFit):
    """A logit's fit: ``LinearFit``'s tables (Wald errors) and what the logit summaries read."""

    llf: float = 0.0
    slope: float = 0.0  # the mean of p(1 − p): the average marginal effect per unit of a coefficient


#: The fitted probability of a linear predictor ``e``, without overflow either side.
_PROBABILITY = "CASE WHEN e >= 0 THEN 1 / (1 + EXP(-e)) ELSE EXP(e) / (1 + EXP(e)) END"


def _logit(run, rows: _ModelRows, sums: _Sums, design: list[str], weighted: bool, outcome: str) -> _LogitFit:
    """Newton's method, one aggregation per step, from the intercept-only fit; the covariance as statsmodels gives
    it (Logit's inverse information unweighted, GLM's HC1 sandwich with normalised weights when weighted)."""
    width = len(design)
    beta = np.zeros(width)
    share = sums.moments[0, -1] / sums.weight_sum  # the intercept-only model's fit: one Newton step fewer
    if 0 < share < 1:
        beta[0] = np.log(share / (1 - share))
    for _ in range(MAX_STEPS + 1):
        eta = _linear(design, beta)
        named = ", ".join(f"{e} AS d{i}" for i, e in enumerate(design))
        statement = (f"{rows.base}, eta AS (SELECT u, y, {named}, {eta} AS e FROM fitted WHERE u IS NOT NULL), "
                     f"prob AS (SELECT *, {_PROBABILITY} AS pr, CASE WHEN e > 0 THEN e + LN(1 + EXP(-e)) "
                     f"ELSE LN(1 + EXP(e)) END AS soft FROM eta) SELECT "
                     + ", ".join([*(f"SUM(u * pr * (1 - pr) * d{i} * d{j})" for i, j in _pairs(width)),
                                  *(f"SUM(u * (y - pr) * d{i})" for i in range(width)),
                                  *(f"SUM(u * u * (y - pr) * (y - pr) * d{i} * d{j})" for i, j in _pairs(width)
                                    if weighted),  # the sandwich's meat: a weighted fit's alone
                                  "SUM(u * (y * e - soft))", "MAX(ABS(y - pr))", "SUM(u * pr * (1 - pr))"])
                     + " FROM prob")
        values = run(statement).iloc[0].to_numpy(dtype=float, na_value=np.nan)
        half = len(_pairs(width))
        information = _symmetric(values[:half], width)
        score = values[half:half + width]
        if values[-2] < 1e-8:
            raise GapcoreError("drivers_separation", outcome=outcome)
        step = np.linalg.solve(information, score)
        if np.max(np.abs(step)) <= _STEP_TOLERANCE * (1 + np.max(np.abs(beta))):
            break
        beta = beta + step
    else:
        raise GapcoreError("drivers_not_converged", outcome=outcome)
    scale = sums.n / sums.weight_sum  # weights normalised to mean 1, as the in-memory GLM's var_weights
    bread = np.linalg.inv(information)
    # weighted: statsmodels' GLM HC1 with var_weights, the bread times Σ v²(y − p)²xx' (no df factor); v's scale cancels
    cov = bread @ _symmetric(values[half + width:2 * half + width], width) @ bread if weighted else bread
    llf = float(scale * values[-3])
    return _LogitFit(beta, cov, np.nan, np.nan, -2 * llf + 2 * width, llf, float(values[-1] / sums.weight_sum))


def _logit_summaries(run, rows: _ModelRows, sums: _Sums, design: list[str], fitted: _LogitFit, terms: Sequence[str],
                     coefficients: pd.DataFrame, fit: dict[str, float | None]) -> pd.DataFrame:
    """``driver_model._logit_summaries`` from sums: odds ratios, AME, pseudo-R², and the AUC and classification
    table counted by the engine (unweighted, as in memory: ``_ranks``)."""
    coefficients["odds_ratio"] = np.exp(coefficients["coef"])
    coefficients["ame"] = [np.nan if t == "const" else fitted.slope * b
                           for t, b in zip(terms, fitted.params, strict=True)]
    mean = sums.moments[0, -1] / sums.weight_sum
    scale = sums.n / sums.weight_sum
    null_llf = scale * (sums.moments[0, -1] * np.log(mean) + (sums.weight_sum - sums.moments[0, -1]) * np.log(1 - mean))
    fit["pseudo_r2"] = float(1 - fitted.llf / null_llf)
    fit["auc"], kept_kept, kept_lost, lost_kept, lost_lost = _ranks(run, rows, design, fitted.params)
    return pd.DataFrame({"observed": ["kept", "kept", "lost", "lost"], "predicted": ["kept", "lost", "kept", "lost"],
                         "count": [kept_kept, kept_lost, lost_kept, lost_lost]})


def _ranks(run, rows: _ModelRows, design: list[str], beta: np.ndarray) -> tuple[float, int, int, int, int]:
    """The AUC (``driver_model.grouped_auc``'s rule: probabilities within ``AUC_TIE`` are a tie, counting half)
    and the classification counts at 0.5, computed by the engine: respondents counted per distinct fitted
    probability, ties joined by a running sum over the gaps, negatives below each by a running sum — a number
    comes back, not the rows."""
    statement = (
        f"{rows.base}, eta AS (SELECT y, {_linear(design, beta)} AS e FROM fitted WHERE u IS NOT NULL), "
        f"scored AS (SELECT y, {_PROBABILITY} AS pr FROM eta), "
        "byp AS (SELECT pr, SUM(CASE WHEN y = 1 THEN 1 ELSE 0 END) AS pos, SUM(CASE WHEN y = 1 THEN 0 ELSE 1 END) "
        "AS neg FROM scored GROUP BY pr), "
        f"starts AS (SELECT pr, pos, neg, CASE WHEN pr - LAG(pr) OVER (ORDER BY pr) > {AUC_TIE!r} THEN 1 ELSE 0 END "
        "AS fresh FROM byp), "
        "tied AS (SELECT pos, neg, SUM(fresh) OVER (ORDER BY pr ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
        "AS tie FROM starts), "
        "ties AS (SELECT tie, SUM(pos) AS pos, SUM(neg) AS neg FROM tied GROUP BY tie), "
        "ranked AS (SELECT pos, neg, SUM(neg) OVER (ORDER BY tie ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
        "- neg AS below FROM ties), "
        "area AS (SELECT SUM(pos * (below + neg / 2.0)) AS u, SUM(pos) AS n1, SUM(neg) AS n0 FROM ranked), "
        "counted AS (SELECT SUM(CASE WHEN y = 1 AND pr >= 0.5 THEN 1 ELSE 0 END) AS kk, "
        "SUM(CASE WHEN y = 1 AND pr < 0.5 THEN 1 ELSE 0 END) AS kl, "
        "SUM(CASE WHEN y = 0 AND pr >= 0.5 THEN 1 ELSE 0 END) AS lk, "
        "SUM(CASE WHEN y = 0 AND pr < 0.5 THEN 1 ELSE 0 END) AS ll FROM scored) "
        "SELECT area.u, area.n1, area.n0, kk, kl, lk, ll FROM area CROSS JOIN counted")
    u, n1, n0, *counts = run(statement).iloc[0].to_numpy(dtype=float, na_value=0.0)
    auc = float(u / (n1 * n0)) if n1 > 0 and n0 > 0 else float("nan")
    return auc, *(int(c) for c in counts)


def _sample(run, rows: _ModelRows, seed: int, size: int) -> pd.DataFrame:
    """``size`` model rows chosen by a seeded hash of their values (all of them when fewer), in a fixed order."""
    picked = [*rows.xs, *rows.cs, "y", "u"]
    frame = run(f"{rows.base} SELECT {', '.join(picked)} FROM fitted WHERE u IS NOT NULL "
                f"ORDER BY HASH({int(seed)}, {', '.join(picked)}) LIMIT {int(size)}")
    return frame.sort_values(picked, kind="stable").reset_index(drop=True)


def fit_engine_drivers(connection, study: Study, outcome: str, *, predictors: str | None = None,
                       filters: Mapping[str, Sequence[str]] | None = None, use_weight: bool = True,
                       controls: Sequence[str] = (), bootstrap: int = BOOTSTRAP, seed: int = 0,
                       level: float = CONFIDENCE, sample_rows: int | None = None) -> DriverModel:
    """``driver_model.fit_drivers`` for a study whose rows stay in ``connection``'s engine (see the docstring)."""
    if outcome not in study.outcomes:
        raise GapcoreError("drivers_no_outcome", outcome=outcome, outcomes=", ".join(study.outcomes) or "-")
    for column in controls:
        if column not in study.segments:
            raise GapcoreError("unknown_segment", column=column, segments=", ".join(study.segments))
    predictors = predictors or default_predictors(study)
    weighted = use_weight and study.has_weight
    run = connection.source.run
    rows = _model_rows(study, connection.reading.relation, connection.reading.columns, outcome, predictors,
                       normalize_filters(study, filters), weighted, controls)
    sums = _first_pass(run, rows, weighted)
    names, p = list(rows.names), len(rows.names)
    if sums.n <= p + 1:
        raise GapcoreError("drivers_too_few_rows", n=sums.n, predictors=p)
    for name, constant in zip(names, sums.constant, strict=True):
        if constant:
            raise GapcoreError("drivers_constant_predictor", column=name)
    if sums.constant_outcome:
        raise GapcoreError("drivers_constant_outcome")
    terms = ["const", *names, *(f"{controls[c]}_{level}" for c, level in sums.dummies)]
    xtx = sums.moments[:-1, :-1]
    scaled = xtx / np.sqrt(np.outer(np.diag(xtx), np.diag(xtx)))
    if np.linalg.matrix_rank(scaled, tol=1e-10) < len(terms):
        raise GapcoreError("drivers_collinear", predictors=", ".join(terms[1:]))
    binary = outcome == "retention" and study.retention_kind == "binary"
    design = _design_sql(rows, sums.dummies)
    notes: list[DriverNote] = []
    fitted = _logit(run, rows, sums, design, weighted, outcome) if binary else _ols(run, rows, sums, design, notes)
    corr, sd = _correlations(sums, p)
    fact = sums.weight_sum - sums.weight_squares / sums.weight_sum if weighted else sums.n - 1
    sd_x = np.sqrt(np.diag(sd[:p, :p]) / fact)
    std_scale = sd_x / (1.0 if binary else float(np.sqrt(sd[p, p] / fact)))
    coefficients = coefficient_table(terms, fitted, level, std_scale, variance_inflation(corr[:-1, :-1]))
    fit = fit_measures(fitted, binary)
    classification = _logit_summaries(run, rows, sums, design, fitted, terms, coefficients, fit) if binary else None
    sample = _sample(run, rows, seed, sample_rows or SAMPLE_ROWS)
    x, y = sample[rows.xs].to_numpy(dtype=float), sample["y"].to_numpy(dtype=float)
    w = sample["u"].to_numpy(dtype=float) if weighted else None
    if len(sample) < sums.n:
        notes.append(DriverNote("engine_sample", {"rows": len(sample), "n": sums.n, "seed": seed}))
    data = np.column_stack([x, y])
    stack = bootstrap_corr(data, w, bootstrap, np.random.default_rng(seed)) if bootstrap else None
    spread = (weighted_corr(data, w), float(np.sqrt(len(sample) / sums.n))) if len(sample) < sums.n else None
    importance = importance_table(corr, fitted.params[1:p + 1], names, stack, level, sample=spread)
    dummies = [(sample[f"c{c}"] == level).to_numpy(dtype=float) for c, level in sums.dummies]
    sample_design = np.column_stack([np.ones(len(sample)), x, *dummies])
    ordinal = (y, x, tuple(names), seed) if outcome in ("satisfaction", "retention") and not binary else None
    return DriverModel(outcome, "logit" if binary else "ols", predictors, sums.n, sums.dropped, coefficients, fit,
                       importance, fitted.cov, sums.design_means, sample_design, w, classification, tuple(notes),
                       ordinal)


def _correlations(sums: _Sums, p: int) -> tuple[np.ndarray, np.ndarray]:
    """The weighted correlations of (x…, y) and their centred cross-products (a covariance times its divisor)."""
    index = [*range(1, p + 1), sums.moments.shape[0] - 1]
    first = sums.moments[0, index]
    centred = sums.moments[np.ix_(index, index)] - np.outer(first, first) / sums.moments[0, 0]
    sd = np.sqrt(np.diag(centred))
    return centred / np.outer(sd, sd), centred
