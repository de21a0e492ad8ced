"""Relative importance from correlation matrices, knowing no study: Shapley (LMG) shares of R-squared by
every subset's R-squared solved in one batched call, Johnson's relative weights, and the weighted and
bootstrap correlations they start from (a draw weighs each row by how often it was picked instead of
copying rows; a block of draws' moments in two matrix products).
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np

from gapcore.errors import GapcoreError

MAX_SHAPLEY_PREDICTORS = 15
BOOTSTRAP_BLOCK_CELLS = 1_000_000  # draw counts held at once (8 MB as floats): a block of draws is one product


def weighted_corr(data: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    if w is None:
        return np.corrcoef(data, rowvar=False)
    cov = np.atleast_2d(np.cov(data, rowvar=False, aweights=w))
    sd = np.sqrt(np.diag(cov))
    return cov / np.outer(sd, sd)


def bootstrap_corr(data: np.ndarray, w: np.ndarray | None, draws: int, rng: np.random.Generator) -> np.ndarray:
    """The correlation matrices of ``draws`` bootstrap resamples of the rows of ``data`` (shape ``(draws, k,
    k)``): what ``weighted_corr`` gives on each resample's rows. A resample weighs row i by how often it was
    drawn, and a block of draws takes its moments in two matrix products (counts × rows, counts × pairwise
    products) instead of copying the drawn rows; blocks hold at most ``BOOTSTRAP_BLOCK_CELLS`` counts. The
    rows are centred first, which keeps the moments exact. Each resample draws its row indices with
    ``rng.integers(0, n, n)``, in order, so a seed gives the same resamples as copying rows would."""
    n, k = data.shape
    centred = data - data.mean(axis=0)
    upper = np.triu_indices(k)
    products = centred[:, upper[0]] * centred[:, upper[1]]
    per_block = max(1, BOOTSTRAP_BLOCK_CELLS // max(n, 1))
    out = np.empty((draws, k, k))
    for start in range(0, draws, per_block):
        m = min(per_block, draws - start)
        weight = np.empty((m, n))
        for row in weight:  # one draw's counts at a time: a bincount over a whole block misses the cache
            row[:] = np.bincount(rng.integers(0, n, n), minlength=n)
        if w is not None:
            weight *= w
        total = weight.sum(axis=1)[:, None]
        mean = weight @ centred / total
        second = weight @ products / total
        cov = np.empty((m, k, k))
        cov[:, upper[0], upper[1]] = second
        cov[:, upper[1], upper[0]] = second
        cov -= mean[:, :, None] * mean[:, None, :]
        sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
        out[start:start + m] = cov / (sd[:, :, None] * sd[:, None, :])
    return out


def shapley_r2(corr: np.ndarray) -> np.ndarray:
    """Shapley (LMG) shares of R² for predictors 0..p−1 with the outcome in the last row/column.

    Exact over all subsets; the values sum to the full model's R². ``corr`` may be a stack of
    correlation matrices (bootstrap draws, shape ``(draws, p+1, p+1)``): one share vector per draw,
    each subset's R² solved for all draws at once."""
    stack = np.asarray(corr, dtype=float)
    single = stack.ndim == 2
    stack = stack[None] if single else stack
    p = stack.shape[-1] - 1
    if p > MAX_SHAPLEY_PREDICTORS:
        raise GapcoreError("drivers_too_many_predictors", predictors=p, limit=MAX_SHAPLEY_PREDICTORS)
    r2 = {(): np.zeros(len(stack))}
    for size in range(1, p + 1):
        for subset in combinations(range(p), size):
            idx = list(subset)
            rxx = stack[:, idx][:, :, idx]
            rxy = stack[:, idx, p]
            r2[subset] = np.einsum("bk,bk->b", rxy, np.linalg.solve(rxx, rxy[:, :, None])[:, :, 0])
    values = np.zeros((len(stack), p))
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            weight = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
            for subset in combinations(others, size):
                values[:, j] += weight * (r2[tuple(sorted((*subset, j)))] - r2[subset])
    return values[0] if single else values


def johnson_weights(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights (epsilon), which sum to R²; stacks of draws work alike."""
    eigenvalues, vectors = np.linalg.eigh(rxx)
    roots = np.sqrt(np.clip(eigenvalues, 0, None))
    half = (vectors * roots[..., None, :]) @ np.swapaxes(vectors, -1, -2)  # Λ = R_xx^{1/2}
    beta_star = np.linalg.solve(half, rxy[..., None])[..., 0]
    return ((half**2) @ (beta_star**2)[..., None])[..., 0]
