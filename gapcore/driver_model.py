"""Drivers: which dimension gaps move satisfaction, retention and recommendation.

Predictors are the respondent-level dimension gaps (SERVQUAL) or perceptions (SERVPERF). Outcomes:
satisfaction and recommend (numeric → OLS with HC3 errors, HC1 where a leverage is 1; satisfaction on
≤ 7 levels also as an ordinal logit), retention (observed yes/no → logit with odds ratios, average
marginal effects, AUC and a classification table; a stated intention on a scale → as satisfaction).
Relative importance: Shapley/LMG decomposition of R² (exact, all subsets) and Johnson's (2000)
relative weights, as shares of 100 with bootstrap CIs, signed by the full model's coefficient.
Everything a user can get wrong (too few rows, a constant or collinear predictor, separation,
non-convergence) is a :class:`~gapcore.errors.GapcoreError`; statsmodels warnings become notes.

In detail: driver models: OLS (HC3; HC1 at leverage 1), logit (odds ratios, AME, AUC, classification), ordinal
logit (fitted when `DriverModel.ordinal` is first read — it costs more than the rest of the model; on a random
sample above 3,000 rows), OLS/HC3 by one QR factorisation, Shapley/LMG and Johnson relative importance with
bootstrap CIs (`BOOTSTRAP` = 200 draws everywhere a model is shown; every draw's subset R² solved in one batched
call; a draw weighs each row by how often it was picked rather than copying the rows, and `bootstrap_corr` takes a
block of draws' moments in two matrix products; statsmodels is imported only when a model is fitted),
`derived_importance`, what-if; every failure a `GapcoreError`, statsmodels warnings captured as notes.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import special

from gapcore.defaults import CONFIDENCE
from gapcore.errors import GapcoreError
from gapcore.filters import normalize_filters, rows_kept
from gapcore.importance import bootstrap_corr, johnson_weights, shapley_r2, weighted_corr
from gapcore.io.study import Study
from gapcore.scores import dimension_levels, level_blocks

ORDINAL_MAX_ROWS = 3_000
BOOTSTRAP = 200  # resamples for the importance intervals, everywhere a model is fitted for a reader


@dataclass(frozen=True)
class DriverModel:
    outcome: str
    kind: str  # "ols" or "logit"
    predictors: str  # "servqual" or "servperf"
    n: int
    n_dropped: Mapping[str, int]
    coefficients: pd.DataFrame  # term, coef, se, ci_low, ci_high, p, std_coef, vif (+ odds_ratio, ame)
    fit: Mapping[str, float | None]  # r2, adj_r2, pseudo_r2, aic, auc
    importance: pd.DataFrame  # dimension, shapley, johnson (shares of 100, signed), with CIs
    covariance: np.ndarray = field(repr=False)  # of the coefficients (constant first)
    design_means: np.ndarray = field(repr=False)  # X (with constant) of the fitted rows, for what-if
    design: np.ndarray = field(repr=False)
    weights: np.ndarray | None = field(repr=False)
    classification: pd.DataFrame | None = None
    notes: tuple[DriverNote, ...] = ()
    ordinal_data: tuple[np.ndarray, np.ndarray, tuple[str, ...], int] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        fit = ", ".join(f"{name} {value:.3f}" for name, value in self.fit.items() if value is not None)
        return f"DriverModel({self.outcome} ~ {self.predictors} dimensions, {self.kind}, n={self.n:,}, {fit})"

    def _repr_html_(self) -> str:
        """A notebook's view: the summary line, the coefficients and each dimension's share."""
        from html import escape

        number = "{:.3f}".format
        return (f"<p>{escape(repr(self))}</p>{self.coefficients.to_html(index=False, float_format=number)}"
                f"{self.importance.to_html(index=False, float_format=number)}")

    @cached_property
    def _ordinal(self) -> tuple[pd.DataFrame | None, tuple[DriverNote, ...]]:
        if self.ordinal_data is None:
            return None, ()
        y, x, names, seed = self.ordinal_data
        notes: list[DriverNote] = []
        return _ordinal_if_fitting(y, x, names, seed, notes), tuple(notes)

    @property
    def ordinal(self) -> pd.DataFrame | None:
        """The ordinal logit of an outcome with 3–7 whole-number levels (``term, coef, se, p,
        odds_ratio``), fitted when first read (it takes longer than the rest of the model)."""
        return self._ordinal[0]

    @property
    def ordinal_notes(self) -> tuple[DriverNote, ...]:
        """What the reader of the ordinal model should know (a sample was used, a warning)."""
        return self._ordinal[1]


@dataclass(frozen=True)
class DriverNote:
    """Something the reader of a model should know, as a label key (``note_<key>`` in the catalogues)
    and its values, so that it reads in the page's, the deck's or the command line's language."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


def _check_design(x: np.ndarray, y: np.ndarray, names: Sequence[str]) -> None:
    n, p = x.shape
    if n <= p + 1:
        raise GapcoreError("drivers_too_few_rows", n=n, predictors=p)
    for j, name in enumerate(names):
        if np.ptp(x[:, j]) == 0:
            raise GapcoreError("drivers_constant_predictor", column=name)
    if np.ptp(y) == 0:
        raise GapcoreError("drivers_constant_outcome")


def full_rank(design: np.ndarray) -> bool:
    """Rank of the design from its small cross-product matrix, columns scaled to unit length
    (an SVD of the n × p design itself costs a pass per singular vector)."""
    scaled = design / np.linalg.norm(design, axis=0)
    cross = scaled.T @ scaled
    return bool(np.linalg.matrix_rank(cross, tol=1e-10) == design.shape[1])


def variance_inflation(corr_x: np.ndarray) -> np.ndarray:
    return np.diag(np.linalg.inv(corr_x))


AUC_TIE = 1e-12  # fitted probabilities this close are a tie (X·β equal on paper, split by rounding)


def grouped_auc(score: np.ndarray, y: np.ndarray, count: np.ndarray) -> float:
    """The area under the ROC curve as the Mann-Whitney probability, ties counting half, of rows given as
    (score, y) with how many respondents each stands for (``count``: ones for plain rows)."""
    order = np.argsort(score, kind="stable")
    score, y, count = score[order], y[order], count[order]
    group = np.concatenate([[0], np.cumsum(np.diff(score) > AUC_TIE)])
    positives = np.bincount(group, weights=count * (y == 1))
    negatives = np.bincount(group, weights=count * (y == 0))
    n1, n0 = positives.sum(), negatives.sum()
    if n1 == 0 or n0 == 0:
        return float("nan")
    below = np.cumsum(negatives) - negatives
    return float(np.sum(positives * (below + negatives / 2)) / (n1 * n0))


def dimension_predictors(study: Study, predictors: str) -> dict[str, np.ndarray]:
    """Per dimension, each respondent's gap (SERVQUAL) or perception (SERVPERF) score: the dimension
    scores of :mod:`gapcore.scores` (half-of-items rule, paired items), for these columns only."""
    inst = study.instrument
    paired = study.paired
    columns, blocks = level_blocks(study.customers, inst.numbers, levels="EP")
    out = {}
    for dim in inst.dimensions:
        scored = dimension_levels(columns, blocks, inst.items_of(dim), paired=paired)
        if "P" not in scored or (predictors == "servqual" and "E" not in scored):
            raise GapcoreError("drivers_no_predictors", model=predictors)
        out[dim] = scored["P"] - scored["E"] if predictors == "servqual" else scored["P"]
    return out


def driver_frame(study: Study, outcome: str, *, predictors: str = "servqual",
                 filters: Mapping[str, Sequence[str]] | None = None, use_weight: bool = True,
                 controls: Sequence[str] = (), predictor_values: Mapping[str, np.ndarray] | None = None,
                 ) -> tuple[pd.DataFrame, list[str], np.ndarray | None, dict[str, int]]:
    """Rows used for a driver model (listwise), the predictor names, weights and why rows were dropped.

    ``predictor_values`` (from :func:`dimension_predictors`) lets several models share one computation.
    """
    if study.respondents is not None:  # a connected source (``gapcore.connected``): its rows stay in the engine
        raise GapcoreError("drivers_connected")
    if outcome not in study.outcomes:
        raise GapcoreError("drivers_no_outcome", outcome=outcome, outcomes=", ".join(study.outcomes) or "-")
    if predictor_values is None:
        predictor_values = dimension_predictors(study, predictors)
    names = list(predictor_values)
    frame = pd.DataFrame(predictor_values)
    frame["__y"] = study.customers[outcome].to_numpy(dtype=float)
    keep = rows_kept(study.customers, normalize_filters(study, filters))
    for column in controls:
        if column not in study.segments:
            raise GapcoreError("unknown_segment", column=column, segments=", ".join(study.segments))
        frame[f"__seg_{column}"] = study.customers[column].astype(str).where(study.customers[column].notna())
    weights = None
    if use_weight and study.has_weight:
        weights = np.nan_to_num(study.customers["weight"].to_numpy(dtype=float), nan=0.0)
    dropped = {"outcome_missing": int((keep & frame["__y"].isna()).sum()),
               "predictor_missing": int((keep & frame["__y"].notna() & frame[names].isna().any(axis=1)).sum())}
    usable = keep & frame["__y"].notna().to_numpy() & frame[names].notna().all(axis=1).to_numpy()
    if controls:
        seg_missing = frame[[f"__seg_{c}" for c in controls]].isna().any(axis=1).to_numpy()
        dropped["segment_missing"] = int((usable & seg_missing).sum())
        usable &= ~seg_missing
    if weights is not None:
        dropped["weight_missing"] = int((usable & (weights <= 0)).sum())
        usable &= weights > 0
    return frame[usable].reset_index(drop=True), names, None if weights is None else weights[usable], dropped


def default_predictors(study: Study) -> str:
    """The one place that decides: gaps (SERVQUAL) when the study has expectations, else perceptions
    (SERVPERF, Cronin & Taylor 1992), which is all a perception-only study can support."""
    return "servqual" if study.paired else "servperf"


def control_candidates(study: Study, filters: Mapping[str, Sequence[str]]) -> list[str]:
    """The segments a model can control for: every segment but those a filter fixes (a constant column)."""
    return [column for column in study.segments if column not in filters]


def fit_drivers(study: Study, outcome: str, *, predictors: str | None = None,
                filters: Mapping[str, Sequence[str]] | None = None, use_weight: bool = True,
                controls: Sequence[str] = (), bootstrap: int = BOOTSTRAP, seed: int = 0,
                level: float = CONFIDENCE, predictor_values: Mapping[str, np.ndarray] | None = None) -> DriverModel:
    """Fit the driver model of one outcome; see the module docstring for the model choice. Predictors
    default to :func:`default_predictors`. A study whose rows stay in an engine (``Study.engine``) is fitted
    there (``gapcore.engine_drivers``)."""
    if study.engine is not None:  # its rows stay in the engine: the model from the engine's sums
        from gapcore.engine_drivers import fit_engine_drivers

        return fit_engine_drivers(study.engine, study, outcome, predictors=predictors, filters=filters,
                                  use_weight=use_weight, controls=controls, bootstrap=bootstrap, seed=seed, level=level)
    predictors = predictors or default_predictors(study)
    frame, names, w, dropped = driver_frame(study, outcome, predictors=predictors, filters=filters,
                                            use_weight=use_weight, controls=controls,
                                            predictor_values=predictor_values)
    y = frame["__y"].to_numpy(dtype=float)
    x = frame[names].to_numpy(dtype=float)
    _check_design(x, y, names)
    dummies = pd.get_dummies(frame[[f"__seg_{c}" for c in controls]], drop_first=True, dtype=float) \
        if controls else pd.DataFrame(index=frame.index)
    design = np.column_stack([np.ones(len(y)), x, dummies.to_numpy()])
    terms = ["const", *names, *[str(c).removeprefix("__seg_") for c in dummies.columns]]
    if not full_rank(design):
        raise GapcoreError("drivers_collinear", predictors=", ".join(terms[1:]))
    binary = outcome == "retention" and study.retention_kind == "binary"
    notes: list[DriverNote] = []
    result, kind = _fit_checked(y, design, w, binary=binary, outcome=outcome, notes=notes)
    params = np.asarray(result.params)
    corr = weighted_corr(np.column_stack([x, y]), w)
    sd_x = np.sqrt(np.diag(np.atleast_2d(np.cov(x, rowvar=False, aweights=w))))
    sd_y = float(np.sqrt(np.cov(y, aweights=w)))
    coefficients = coefficient_table(terms, result, level, sd_x / (1.0 if binary else sd_y),
                                     variance_inflation(corr[:-1, :-1]))

    fit = fit_measures(result, binary)
    classification = _logit_summaries(result, y, design, w, terms, coefficients, fit) if binary else None

    stack = bootstrap_corr(np.column_stack([x, y]), w, bootstrap, np.random.default_rng(seed)) if bootstrap else None
    importance = importance_table(corr, params[1: len(names) + 1], names, stack, level)
    ordinal = (y, x, tuple(names), seed) if outcome in ("satisfaction", "retention") and not binary else None
    return DriverModel(outcome, kind, predictors, len(y), dropped, coefficients, fit, importance,
                       np.asarray(result.cov_params()), design.mean(axis=0), design, w, classification, tuple(notes),
                       ordinal)


def coefficient_table(terms: Sequence[str], result, level: float, std_scale: np.ndarray,
                      vif: np.ndarray) -> pd.DataFrame:
    """``term, coef, se, ci_low, ci_high, p, std_coef, vif`` of a fit (statsmodels' or ``LinearFit``): the
    predictors are the terms after the constant, ``std_scale`` their sd over the outcome's (1 for a logit)."""
    params, bse, pvalues = np.asarray(result.params), np.asarray(result.bse), np.asarray(result.pvalues)
    ci = np.asarray(result.conf_int(alpha=1 - level))
    rows = []
    for j, term in enumerate(terms):
        row = {"term": term, "coef": params[j], "se": bse[j], "ci_low": ci[j, 0], "ci_high": ci[j, 1],
               "p": pvalues[j], "std_coef": np.nan, "vif": np.nan}
        if 1 <= j <= len(vif):
            row["std_coef"] = params[j] * std_scale[j - 1]
            row["vif"] = vif[j - 1]
        rows.append(row)
    return pd.DataFrame(rows)


def fit_measures(result, binary: bool) -> dict[str, float | None]:
    """The model's fit: AIC, and R² and adjusted R² of a linear model (a logit's pseudo-R² and AUC are added by
    its summaries); ``None`` where a measure does not apply."""
    linear = None if binary else (float(result.rsquared), float(result.rsquared_adj))
    return {"r2": linear and linear[0], "adj_r2": linear and linear[1], "pseudo_r2": None, "aic": float(result.aic),
            "auc": None}


@dataclass(frozen=True)
class LinearFit:
    """What the driver tables need from a (weighted) least-squares fit with sandwich errors."""

    params: np.ndarray
    cov: np.ndarray
    rsquared: float
    rsquared_adj: float
    aic: float

    @property
    def bse(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    @property
    def pvalues(self) -> np.ndarray:
        return 2 * special.ndtr(-np.abs(self.params / self.bse))

    def conf_int(self, alpha: float | None = None) -> np.ndarray:
        """Wald intervals, statsmodels' signature: ``alpha`` is one minus the level (default: ``CONFIDENCE``)."""
        q = special.ndtri(1 - (1 - CONFIDENCE if alpha is None else alpha) / 2)
        return np.column_stack([self.params - q * self.bse, self.params + q * self.bse])

    def cov_params(self) -> np.ndarray:
        return self.cov


def _fit_checked(y: np.ndarray, design: np.ndarray, w: np.ndarray | None, *, binary: bool, outcome: str,
                 notes: list[DriverNote]):
    """The logit (binary retention) or OLS fit; separation and non-convergence are user errors, other
    statsmodels warnings become notes."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if binary:
            result, kind = _fit_logit(y, design, w), "logit"
        else:
            result, kind = _fit_ols(y, design, w, notes), "ols"
    for warning in caught:
        if issubclass(warning.category, PerfectSeparationWarning):
            raise GapcoreError("drivers_separation", outcome=outcome)
        if issubclass(warning.category, ConvergenceWarning):
            raise GapcoreError("drivers_not_converged", outcome=outcome)
        notes.append(DriverNote("model_warning", {"kind": warning.category.__name__,
                                                  "detail": str(warning.message)[:160]}))
    converged = getattr(result, "converged", None)
    if converged is None:
        converged = getattr(result, "mle_retvals", {}).get("converged", True)
    if binary and not converged:
        raise GapcoreError("drivers_not_converged", outcome=outcome)
    return result, kind


def _logit_summaries(result, y: np.ndarray, design: np.ndarray, w: np.ndarray | None, terms: Sequence[str],
                     coefficients: pd.DataFrame, fit: dict[str, float | None]) -> pd.DataFrame:
    """Odds ratios and average marginal effects (added to ``coefficients``), McFadden's pseudo-R² and the
    AUC (into ``fit``); returns the classification table at 0.5."""
    params = np.asarray(result.params)
    probability = np.asarray(result.predict(design))
    weight = np.ones_like(y) if w is None else w
    coefficients["odds_ratio"] = np.exp(coefficients["coef"])
    slope = np.average(probability * (1 - probability), weights=weight)
    coefficients["ame"] = [np.nan if t == "const" else slope * b for t, b in zip(terms, params, strict=True)]
    # McFadden: against the intercept-only model, whose fitted probability is the (weighted) mean
    v = np.ones_like(y) if w is None else w / w.mean()
    mean = np.average(y, weights=v)
    null_llf = float(np.sum(v * (y * np.log(mean) + (1 - y) * np.log(1 - mean))))
    fit["pseudo_r2"] = float(1 - result.llf / null_llf)
    fit["auc"] = grouped_auc(probability, y, np.ones(len(y)))
    predicted = probability >= 0.5
    return pd.DataFrame({"observed": ["kept", "kept", "lost", "lost"],
                         "predicted": ["kept", "lost", "kept", "lost"],
                         "count": [int(((y == 1) & predicted).sum()), int(((y == 1) & ~predicted).sum()),
                                   int(((y == 0) & predicted).sum()), int(((y == 0) & ~predicted).sum())]})


def _ordinal_if_fitting(y: np.ndarray, x: np.ndarray, names: Sequence[str], seed: int,
                        notes: list[DriverNote]) -> pd.DataFrame | None:
    """The ordinal logit when the outcome has 3–7 whole-number levels (on a random sample above
    ``ORDINAL_MAX_ROWS``), else ``None``."""
    levels = np.unique(y)
    if not (2 < len(levels) <= 7 and np.allclose(levels, np.round(levels))):
        return None
    rows = np.arange(len(y))
    if len(y) > ORDINAL_MAX_ROWS:  # the ordinal likelihood is slow; a large random sample suffices
        rows = np.sort(np.random.default_rng(seed).choice(len(y), ORDINAL_MAX_ROWS, replace=False))
        notes.append(DriverNote("ordinal_sample", {"rows": ORDINAL_MAX_ROWS}))
    ordinal, ordinal_notes = _fit_ordinal(y[rows], x[rows], names)
    notes.extend(ordinal_notes)
    return ordinal


def _fit_ols(y: np.ndarray, design: np.ndarray, w: np.ndarray | None, notes: list[DriverNote]) -> LinearFit:
    """OLS (WLS with weights) by QR, with HC3 errors — HC1 where a leverage is 1 and HC3 is undefined.

    The same estimator as statsmodels' ``OLS/WLS(...).fit(cov_type="HC3")`` (normal-based p-values and
    intervals), computed from one QR factorisation instead of a pseudo-inverse of the n × p design.
    """
    sqrt_w = np.ones_like(y) if w is None else np.sqrt(w)
    xw, yw = design * sqrt_w[:, None], y * sqrt_w
    q, r = np.linalg.qr(xw)
    params = np.linalg.solve(r, q.T @ yw)
    resid = yw - xw @ params
    leverage = np.einsum("ij,ij->i", q, q)  # diagonal of the hat matrix
    n, k = xw.shape
    r_inv = np.linalg.inv(r)
    bread = r_inv @ r_inv.T  # (X'WX)^-1
    if np.any(leverage >= 1 - 1e-10):
        notes.append(DriverNote("hc1_errors"))
        scale = resid**2 * n / (n - k)
    else:
        scale = (resid / (1 - leverage)) ** 2
    meat = (xw * scale[:, None]).T @ xw
    cov = bread @ meat @ bread
    weights = np.ones_like(y) if w is None else w
    centred = y - np.average(y, weights=weights)
    ssr = float(resid @ resid)
    tss = float(np.sum(weights * centred**2))
    rsquared = 1 - ssr / tss
    llf = -n / 2 * (np.log(2 * np.pi) + np.log(ssr / n) + 1) + 0.5 * float(np.sum(np.log(weights)))
    return LinearFit(params, cov, rsquared, 1 - (1 - rsquared) * (n - 1) / (n - k), float(-2 * llf + 2 * k))


def _fit_logit(y: np.ndarray, design: np.ndarray, w: np.ndarray | None):
    import statsmodels.api as sm  # statsmodels takes half a second to import: only a model fit pays it

    if w is None:  # Newton steps on X'WX: a few passes over the rows instead of a least-squares solve each
        return sm.Logit(y, design).fit(method="newton", disp=False, maxiter=50)
    return sm.GLM(y, design, family=sm.families.Binomial(), var_weights=w / w.mean()).fit(cov_type="HC1")


def _fit_ordinal(y: np.ndarray, x: np.ndarray, names: Sequence[str]) -> tuple[pd.DataFrame, list[DriverNote]]:
    """Ordinal logit of an outcome with few ordered levels (unweighted: OrderedModel takes no weights)."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    notes = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = OrderedModel(y, x, distr="logit").fit(method="bfgs", disp=False, maxiter=500)
    for warning in caught:
        notes.append(DriverNote("ordinal_warning", {"kind": warning.category.__name__}))
    params = np.asarray(result.params)[: len(names)]
    bse = np.asarray(result.bse)[: len(names)]
    frame = pd.DataFrame({"term": list(names), "coef": params, "se": bse,
                          "p": np.asarray(result.pvalues)[: len(names)], "odds_ratio": np.exp(params)})
    frame.attrs["pseudo_r2"] = float(result.prsquared)
    frame.attrs["aic"] = float(result.aic)
    return frame, notes


def importance_table(corr: np.ndarray, coefs: np.ndarray, names: Sequence[str], stack: np.ndarray | None,
                     level: float, *, sample: tuple[np.ndarray, float] | None = None) -> pd.DataFrame:
    """Shapley and Johnson shares (of 100, signed by the coefficient) from the predictors' and outcome's
    correlations, with percentile intervals from ``stack``, bootstrap correlation matrices. ``sample``: the
    draws came from a random sample of m of n respondents, given as (the sample's correlations, √(m/n)); each
    interval is then the draws' percentiles less the sample's own share, scaled by √(m/n) and placed on the
    full data's share (the m-out-of-n bootstrap of Bickel, Götze and van Zwet, 1997)."""
    shapley = shapley_r2(corr)
    johnson = johnson_weights(corr[:-1, :-1], corr[:-1, -1])
    sign = np.sign(coefs)
    frame = pd.DataFrame({"dimension": list(names), "shapley_r2": shapley, "johnson_r2": johnson,
                          "shapley": sign * 100 * shapley / shapley.sum(),
                          "johnson": sign * 100 * johnson / johnson.sum()})
    frame.attrs["r2"] = float(shapley.sum())
    if stack is not None:
        s = shapley_r2(stack)
        j = johnson_weights(stack[:, :-1, :-1], stack[:, :-1, -1])
        tail = (1 - level) / 2 * 100
        for key, shares in (("shapley", 100 * s / s.sum(axis=1, keepdims=True)),
                            ("johnson", 100 * j / j.sum(axis=1, keepdims=True))):
            low, high = np.percentile(shares, [tail, 100 - tail], axis=0)
            if sample is not None:
                full, centre = _unsigned_shares(corr, key), _unsigned_shares(sample[0], key)
                low, high = full + sample[1] * (low - centre), full + sample[1] * (high - centre)
            frame[f"{key}_ci_low"] = sign * np.where(sign >= 0, low, high)
            frame[f"{key}_ci_high"] = sign * np.where(sign >= 0, high, low)
    return frame


def _unsigned_shares(corr: np.ndarray, key: str) -> np.ndarray:
    """Shapley's or Johnson's shares of 100 from one correlation matrix, before their signs."""
    raw = shapley_r2(corr) if key == "shapley" else johnson_weights(corr[:-1, :-1], corr[:-1, -1])
    return 100 * raw / raw.sum()


def derived_importance(model: DriverModel) -> dict[str, float]:
    """Importance derived from the model: each dimension's standardised coefficient (for the
    importance–performance grid of a study that asked no importance)."""
    coefs = model.coefficients.set_index("term")["std_coef"]
    return {d: float(coefs[d]) for d in model.importance["dimension"] if d in coefs.index}


def what_if(model: DriverModel, dimension: str, closes_by: float, *, level: float = CONFIDENCE,
            draws: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """Predicted change of the outcome when ``dimension``'s gap closes by ``closes_by`` points for
    everyone: (change, CI low, CI high). OLS: satisfaction points; logit: retention probability."""
    terms = list(model.coefficients["term"])
    if dimension not in terms:
        raise GapcoreError("drivers_no_predictor", column=dimension)
    j = terms.index(dimension)
    coef = model.coefficients["coef"].to_numpy()
    if model.kind == "ols":
        change = coef[j] * closes_by
        se = math.sqrt(model.covariance[j, j]) * abs(closes_by)
        q = special.ndtri(0.5 + level / 2)
        return float(change), float(change - q * se), float(change + q * se)
    shifted = model.design.copy()
    shifted[:, j] += closes_by
    weight = np.ones(len(shifted)) if model.weights is None else model.weights

    def effect(beta: np.ndarray) -> float:
        before = 1 / (1 + np.exp(-(model.design @ beta)))
        after = 1 / (1 + np.exp(-(shifted @ beta)))
        return float(np.average(after - before, weights=weight))

    rng = np.random.default_rng(seed)
    sample = rng.multivariate_normal(coef, model.covariance, size=draws)
    effects = np.array([effect(b) for b in sample])
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(effects, [tail, 100 - tail])
    return effect(coef), float(low), float(high)
