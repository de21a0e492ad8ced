"""Cronbach's alpha per dimension, item-rest correlations and alpha if an item is deleted.

Computed from the items' covariance matrix over respondents who answered every item of the
dimension (unweighted, as reliability is a property of the instrument, not of the population).
alpha = k/(k−1) · (1 − Σ var_i / var(total)); an alpha below .70 is flagged.

In detail: all three come from covariance matrices.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ALPHA_FLAG = 0.70


def covariance_from_sums(n: float, sums: np.ndarray, products: np.ndarray) -> np.ndarray | None:
    if n < 2:
        return None
    mean = sums / n
    return (products - n * np.outer(mean, mean)) / (n - 1)


def alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    total = cov.sum()
    if k < 2 or total <= 0:
        return float("nan")
    return float(k / (k - 1) * (1 - np.trace(cov) / total))


def item_statistics(cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(item-rest correlation, alpha if item deleted) for every item of a covariance matrix."""
    k = cov.shape[0]
    rest_corr = np.full(k, np.nan)
    if_deleted = np.full(k, np.nan)
    for i in range(k):
        others = [j for j in range(k) if j != i]
        var_rest = cov[np.ix_(others, others)].sum()
        cov_item_rest = cov[i, others].sum()
        if var_rest > 0 and cov[i, i] > 0:
            rest_corr[i] = cov_item_rest / np.sqrt(cov[i, i] * var_rest)
        if len(others) >= 2:
            if_deleted[i] = alpha_from_cov(cov[np.ix_(others, others)])
    return rest_corr, if_deleted


def reliability_tables(blocks: dict[str, tuple[tuple[str, ...], float, np.ndarray, np.ndarray]]
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per block ``"E:tangibles"`` → (item columns, n, sums, products): a dimension table
    (measure, dimension, n, k, alpha, flagged) and an item table (… item, item_rest_r, alpha_if_deleted)."""
    dim_rows, item_rows = [], []
    for name, (columns, n, sums, products) in blocks.items():
        measure, dimension = name.split(":", 1)
        cov = covariance_from_sums(n, sums, products)
        alpha = alpha_from_cov(cov) if cov is not None else float("nan")
        dim_rows.append({"measure": measure, "dimension": dimension, "n": int(n), "k": len(columns),
                         "alpha": alpha, "flagged": bool(alpha < ALPHA_FLAG) if not np.isnan(alpha) else False})
        if cov is None:
            continue
        rest, deleted = item_statistics(cov)
        for column, r, a in zip(columns, rest, deleted, strict=True):
            item_rows.append({"measure": measure, "dimension": dimension, "item": int(column[1:]),
                              "item_rest_r": float(r), "alpha_if_deleted": float(a)})
    return (pd.DataFrame(dim_rows, columns=["measure", "dimension", "n", "k", "alpha", "flagged"]),
            pd.DataFrame(item_rows, columns=["measure", "dimension", "item", "item_rest_r", "alpha_if_deleted"]))
