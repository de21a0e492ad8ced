"""Generate the demo study in data/ with a fixed seed (run: ``make demo``).

The study has a known structure, so the analysis shows something true and tests can check it:
- reliability is the largest shortfall (gap 5 about −1.3) and drives satisfaction and retention most;
  responsiveness second; tangibles barely matter;
- Busan over-promises: its communications promise about 1.2 points more than it delivers (D − C < 0),
  and its customers perceive well below what is delivered (gap 4 about −0.9);
- Daegu has a large knowledge gap: its managers underestimate expectations by about 1.2 points (gap 1);
- responsiveness improves by about 0.3 points each wave.
Files: ``demo_study.xlsx`` (customers, management, standards, delivery, communications, items),
``demo_customers.csv`` (the customers sheet as UTF-8 CSV) and ``template.xlsx`` (blank, EN/KO/ZH).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from gapcore.instrument import DEFAULT_DIMENSIONS, SERVQUAL_22  # noqa: E402

SEED = 20261122
N_CUSTOMERS = 1500
BRANCHES = ("Seoul", "Busan", "Incheon", "Daegu", "Gwangju")
CHANNELS = ("branch", "phone", "app")
CUSTOMER_TYPES = ("new", "regular", "business")
AGE_BANDS = ("20s", "30s", "40s", "50s", "60+")
WAVES = ("2025-H1", "2025-H2", "2026-H1")

#: Mean expectation and customer gap 5 per dimension (company-wide, middle wave).
EXPECTATION = {"tangibles": 5.4, "reliability": 6.3, "responsiveness": 6.0, "assurance": 5.9, "empathy": 5.6}
GAP5 = {"tangibles": -0.2, "reliability": -1.3, "responsiveness": -0.9, "assurance": -0.5, "empathy": -0.6}
#: How the company-wide gap 5 splits over gaps 1–4 (shares), before branch effects.
SPLIT = (0.25, 0.25, 0.3, 0.2)
#: Effect of each dimension's respondent gap on satisfaction (1–7) and on the log-odds of retention.
SAT_EFFECT = {"tangibles": 0.05, "reliability": 0.55, "responsiveness": 0.3, "assurance": 0.15, "empathy": 0.1}
RET_EFFECT = {"tangibles": 0.05, "reliability": 0.9, "responsiveness": 0.45, "assurance": 0.2, "empathy": 0.15}
POINTS_MEAN = {"tangibles": 12, "reliability": 32, "responsiveness": 22, "assurance": 18, "empathy": 16}
RESPONSIVENESS_PER_WAVE = 0.3


def chain_levels(branch: str, dimension: str) -> dict[str, float]:
    """Mean levels E, M, S, D, P, C for one branch and dimension (the built-in truth)."""
    e = EXPECTATION[dimension]
    g1, g2, g3, g4 = (GAP5[dimension] * s for s in SPLIT)
    if branch == "Daegu":
        g1 -= 1.2
        g2 += 0.6  # standards partly recover what managers underestimate
    if branch == "Busan":
        g4 -= 0.9
    m = e + g1
    s = m + g2
    d = s + g3
    p = d + g4
    c = d + (1.2 if branch == "Busan" else 0.1)
    return {"E": e, "M": m, "S": s, "D": d, "P": p, "C": c}


def _likert(values: np.ndarray, rng: np.random.Generator, missing: float = 0.0) -> np.ndarray:
    answers = np.clip(np.rint(values), 1, 7).astype(float)
    if missing:
        answers[rng.random(answers.shape) < missing] = np.nan
    return answers


def make_customers(rng: np.random.Generator) -> pd.DataFrame:
    n = N_CUSTOMERS
    frame = pd.DataFrame({
        "id": [f"R{i:05d}" for i in range(1, n + 1)],
        "branch": rng.choice(BRANCHES, n, p=[0.3, 0.2, 0.2, 0.15, 0.15]),
        "channel": rng.choice(CHANNELS, n, p=[0.5, 0.2, 0.3]),
        "customer_type": rng.choice(CUSTOMER_TYPES, n, p=[0.25, 0.55, 0.2]),
        "age_band": rng.choice(AGE_BANDS, n),
        "wave": rng.choice(WAVES, n),
    })
    wave_index = frame["wave"].map({w: i - 1 for i, w in enumerate(WAVES)}).to_numpy()
    sat_latent = np.full(n, 5.6)
    ret_latent = np.full(n, 1.4)
    items: dict[str, np.ndarray] = {}
    for dim in DEFAULT_DIMENSIONS:
        levels = pd.DataFrame([chain_levels(b, dim) for b in frame["branch"]])
        e_person = levels["E"].to_numpy() + rng.normal(0, 0.45, n)
        p_person = levels["P"].to_numpy() + rng.normal(0, 0.6, n)
        if dim == "responsiveness":
            p_person = p_person + RESPONSIVENESS_PER_WAVE * wave_index
        gap_person = p_person - e_person
        sat_latent += SAT_EFFECT[dim] * (gap_person - GAP5[dim])
        ret_latent += RET_EFFECT[dim] * (gap_person - GAP5[dim])
        for k in SERVQUAL_22.items_of(dim):
            offset = rng.normal(0, 0.15)
            items[f"E{k}"] = _likert(e_person + offset + rng.normal(0, 0.5, n), rng, 0.01)
            items[f"P{k}"] = _likert(p_person + offset + rng.normal(0, 0.55, n), rng, 0.015)
            items[f"A{k}"] = _likert(e_person - 1.4 + rng.normal(0, 0.6, n), rng, 0.02)
    for k in SERVQUAL_22.numbers:
        frame[f"E{k}"] = items[f"E{k}"]
    for k in SERVQUAL_22.numbers:
        frame[f"P{k}"] = items[f"P{k}"]
    for k in SERVQUAL_22.numbers:
        frame[f"A{k}"] = items[f"A{k}"]
    raw_points = np.column_stack([rng.gamma(8.0, POINTS_MEAN[d] / 8.0, n) for d in DEFAULT_DIMENSIONS])
    points = np.rint(raw_points / raw_points.sum(axis=1, keepdims=True) * 100)
    points[:, 1] += 100 - points.sum(axis=1)  # make each respondent's points sum to exactly 100
    for j, dim in enumerate(DEFAULT_DIMENSIONS):
        frame[f"W_{SERVQUAL_22.points_code(dim)}"] = points[:, j].astype(int)
    frame["satisfaction"] = _likert(sat_latent + rng.normal(0, 0.6, n), rng)
    frame["retention"] = np.where(rng.random(n) < 1 / (1 + np.exp(-ret_latent)), "yes", "no")
    frame["recommend"] = np.clip(np.rint((frame["satisfaction"] - 1) * 10 / 6 + rng.normal(0, 1.0, n)), 0, 10)
    type_weight = {"new": 1.3, "regular": 0.85, "business": 1.1}
    frame["weight"] = (frame["customer_type"].map(type_weight) * rng.uniform(0.9, 1.1, n)).round(3)
    return frame


def _provider(rng: np.random.Generator, level: str, per_branch: int, noise: float,
              label: str) -> pd.DataFrame:
    rows = []
    for branch in BRANCHES:
        for r in range(per_branch):
            row: dict[str, object] = {"branch": branch, label: f"{branch[:3].upper()}-{r + 1}"}
            for dim in DEFAULT_DIMENSIONS:
                mean = chain_levels(branch, dim)[level]
                for k in SERVQUAL_22.items_of(dim):
                    row[f"{level}{k}"] = float(np.clip(np.rint(mean + rng.normal(0, noise)), 1, 7))
            rows.append(row)
    return pd.DataFrame(rows)


def _autosize(sheet) -> None:
    for column in sheet.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(8, width + 2), 40)


def write_demo(out: Path = ROOT) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    tables = {
        "customers": make_customers(rng),
        "management": _provider(rng, "M", 3, 0.45, "manager"),
        "standards": _provider(rng, "S", 1, 0.25, "standard_set"),
        "delivery": _provider(rng, "D", 6, 0.5, "audit"),
        "communications": _provider(rng, "C", 4, 0.45, "material"),
        "items": SERVQUAL_22.to_frame(),
    }
    with pd.ExcelWriter(out / "demo_study.xlsx", engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            _autosize(writer.sheets[name])
    tables["customers"].to_csv(out / "demo_customers.csv", index=False, encoding="utf-8-sig")
    write_template(out / "template.xlsx")
    return tables


TEMPLATE_NOTES = (
    ("en", "One sheet per table. Only 'customers' is required; each other table unlocks one more gap. "
           "Keep the header names (E1 = expectation of item 1, P1 = perception, …). Answers are numbers "
           "on one scale (1–7 by default). Delete this sheet or leave it: it is ignored."),
    ("ko", "표마다 시트 하나를 씁니다. 필수는 'customers' 시트뿐이며, 나머지 시트가 하나씩 추가될 때마다 "
           "분석할 수 있는 격차가 늘어납니다. 머리글은 그대로 두세요(E1 = 1번 문항 기대, P1 = 1번 문항 인식). "
           "응답은 하나의 척도(기본 1~7점)의 숫자로 입력합니다. 이 시트는 읽지 않으므로 지워도 됩니다."),
    ("zh", "每张表占一个工作表。只有 customers 是必填的，其余每张表各对应一个差距。请保留表头"
           "（E1 = 第1题的期望，P1 = 第1题的感知……）。答案填同一量表上的数字（默认 1–7 分）。"
           "本工作表不会被读取，可以删除。"),
)


def write_template(path: Path) -> None:
    """A blank workbook with every table's headers, the default items, and instructions in EN/KO/ZH."""
    numbers = SERVQUAL_22.numbers
    headers = {
        "customers": ["id", "branch", "channel", "wave", *[f"E{k}" for k in numbers],
                      *[f"P{k}" for k in numbers], *[f"A{k}" for k in numbers],
                      *[f"W_{SERVQUAL_22.points_code(d)}" for d in DEFAULT_DIMENSIONS],
                      "satisfaction", "retention", "recommend", "weight"],
        "management": ["branch", "manager", *[f"M{k}" for k in numbers]],
        "standards": ["branch", *[f"S{k}" for k in numbers]],
        "delivery": ["branch", "audit", *[f"D{k}" for k in numbers]],
        "communications": ["branch", "material", *[f"C{k}" for k in numbers]],
    }
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame(TEMPLATE_NOTES, columns=["language", "note"]).to_excel(writer, sheet_name="instructions",
                                                                            index=False)
        writer.sheets["instructions"].column_dimensions["B"].width = 120
        for name, columns in headers.items():
            pd.DataFrame(columns=columns).to_excel(writer, sheet_name=name, index=False)
        SERVQUAL_22.to_frame().to_excel(writer, sheet_name="items", index=False)
        _autosize(writer.sheets["items"])


if __name__ == "__main__":
    written = write_demo()
    print({name: frame.shape for name, frame in written.items()})
