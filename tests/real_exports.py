"""Survey exports shaped as the tools write them, generated with a fixed seed: the test corpus for
detection and the mapping workflow. Each builder returns (file name, bytes)."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd

SERVICE_TEXTS = ("Tap water is available whenever I need it", "The water is safe to drink",
                 "Bills are easy to understand", "Staff answer the phone quickly", "Repairs are done on time")


def _csv(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _ratings(rng: np.random.Generator, n: int, k: int, low: int, high: int) -> np.ndarray:
    base = rng.integers(low, high + 1, size=(n, 1))
    noise = rng.integers(-1, 2, size=(n, k))
    return np.clip(base + noise, low, high)


def hospital(n: int = 200) -> tuple[str, bytes]:
    """Plain codes Q1…Q13 on 0–10, a satisfaction column and a coded hospital segment."""
    rng = np.random.default_rng(11)
    answers = _ratings(rng, n, 13, 0, 10)
    frame = pd.DataFrame(answers, columns=[f"Q{k}" for k in range(1, 14)])
    frame.insert(0, "hospital", rng.integers(1, 5, n))
    frame["satisfaction"] = np.clip(answers.mean(axis=1).round(), 0, 10).astype(int)
    return "hospital.csv", frame.to_csv(index=False).encode()


def qualtrics_legacy(n: int = 690) -> tuple[str, bytes]:
    """Row 1 codes (V1…, t01…t05, f01…f13, p01…p10), row 2 the question texts."""
    rng = np.random.default_rng(12)
    meta = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress", "Status",
            "StartDate", "EndDate", "Finished"]
    codes = [f"V{k}" for k in range(1, 11)] + [f"t{k:02d}" for k in range(1, 6)] + \
        [f"f{k:02d}" for k in range(1, 14)] + [f"p{k:02d}" for k in range(1, 11)]
    texts = meta + [f"SERVAQUA-{SERVICE_TEXTS[k % 5]} ({k + 1})" for k in range(18)] + \
        [f"PII-{w}" for w in ("Important:Unimportant", "Boring:Interesting", "Relevant:Irrelevant",
                              "Exciting:Unexciting", "Means nothing:Means a lot", "Appealing:Unappealing",
                              "Fascinating:Mundane", "Worthless:Valuable", "Involving:Uninvolving",
                              "Not needed:Needed")]
    service = _ratings(rng, n, 18, 1, 7)
    involvement = rng.integers(1, 8, size=(n, 10))
    rows: list[list[object]] = [codes, texts]
    for i in range(n):
        rows.append([f"R_{i:06x}", "Default Response Set", "Anonymous", "", "", f"10.0.{i // 250}.{i % 250}", 0,
                     "2016-03-01 10:00:00", "2016-03-01 10:09:00", 1, *service[i], *involvement[i]])
    return "qualtrics_legacy.csv", _csv(rows)


def qualtrics_import_ids(n: int = 150) -> tuple[str, bytes]:
    """The newer Qualtrics export: codes, question texts, then {"ImportId": …} cells."""
    rng = np.random.default_rng(13)
    meta = [("StartDate", "Start Date", "startDate"), ("EndDate", "End Date", "endDate"),
            ("Status", "Response Type", "status"), ("Progress", "Progress", "progress"),
            ("Finished", "Finished", "finished"), ("ResponseId", "Response ID", "_recordId"),
            ("Q5", "Which branch did you visit?", "QID5")]
    items = [(f"Q2_{k}", f"Expectation - {SERVICE_TEXTS[k - 1]}", f"QID2_{k}") for k in range(1, 6)] + \
        [(f"Q3_{k}", f"Perception - {SERVICE_TEXTS[k - 1]}", f"QID3_{k}") for k in range(1, 6)]
    columns = meta + items
    rows: list[list[object]] = [[c for c, _, _ in columns], [t for _, t, _ in columns],
                                [json.dumps({"ImportId": i}) for _, _, i in columns]]
    e, p = _ratings(rng, n, 5, 3, 7), _ratings(rng, n, 5, 1, 7)
    branches = ("Seoul", "Busan", "Daegu")
    for i in range(n):
        rows.append(["2024-05-02 09:00:00", "2024-05-02 09:06:00", "IP Address", 100, "True", f"R_{i:08d}",
                     branches[i % 3], *e[i], *p[i]])
    return "qualtrics_2024.csv", _csv(rows)


def surveymonkey(n: int = 120) -> tuple[str, bytes]:
    """Question row (a matrix question once, over blank cells) and an answer-option row."""
    rng = np.random.default_rng(14)
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
            "First Name", "Last Name", "Custom Data 1"]
    expect_q = "How would an excellent bank perform on each of these? (Expectations)"
    perceive_q = "How does our bank perform on each of these? (Perceptions)"
    head = meta + [expect_q] + [""] * 4 + [perceive_q] + [""] * 4 + \
        ["Overall, how satisfied are you with our bank?", "Which branch do you use?"]
    options = [""] * len(meta) + list(SERVICE_TEXTS) * 2 + ["Response", "Response"]
    rows: list[list[object]] = [head, options]
    e, p = _ratings(rng, n, 5, 3, 5), _ratings(rng, n, 5, 1, 5)
    for i in range(n):
        rows.append([11_000_000 + i, 4242, "05/02/2024 09:00:00 AM", "05/02/2024 09:04:00 AM", "", "", "", "", "",
                     *e[i], *p[i], int(rng.integers(1, 6)), ("Gangnam", "Jongno")[i % 2]])
    return "surveymonkey.csv", _csv(rows)


GOOGLE_ITEMS = ("The staff were friendly ", "The waiting area was clean", "My request was handled quickly ",
                "The opening hours suit me", "The staff knew the answers to my questions")


def google_forms(n: int = 80) -> tuple[str, bytes]:
    """Whole questions as headers (two with a trailing space), a timestamp, 1–5 answers, yes/no
    questions, a satisfaction and a recommend question."""
    rng = np.random.default_rng(15)
    answers = _ratings(rng, n, 5, 1, 5)
    frame = pd.DataFrame({"Timestamp": [f"2024/03/{1 + i % 28:02d} 10:{i % 60:02d}:00 AM GMT+9" for i in range(n)]})
    for k, question in enumerate(GOOGLE_ITEMS):
        frame[question] = answers[:, k]
    frame["Was this your first visit?"] = rng.choice(["Yes", "No"], n)
    frame["Did you use the app before coming?"] = rng.choice(["Yes", "No"], n)
    frame["Overall, how satisfied are you with our service?"] = np.clip(answers.mean(axis=1).round(), 1, 5).astype(int)
    frame["How likely are you to recommend us to a friend?"] = rng.integers(0, 11, n)
    return "Customer feedback (Responses) - Form Responses 1.csv", frame.to_csv(index=False).encode()


def patient_labels(n: int = 60) -> tuple[str, bytes]:
    """UTF-8 with Arabic text; answers as text labels."""
    rng = np.random.default_rng(16)
    frame = pd.DataFrame({
        "Patient ID": [f"P{i:04d}" for i in range(n)],
        "القسم": rng.choice(["الطوارئ", "العيادات الخارجية", "الأطفال"], n),
        "How satisfied are you with the nursing care?": rng.choice(
            ["Very satisfied", "Satisfied", "somewhat satisfied", "Dissatisfied"], n),
        "How satisfied are you with the doctor's explanation?": rng.choice(
            ["Very satisfied", "Satisfied", "somewhat satisfied", "Dissatisfied"], n),
        "How would you rate the cleanliness of the ward?": rng.choice(["Great", "Good", "Okay", "Poor"], n),
        "How would you rate the food?": rng.choice(["Great", "Good", "Okay", "Poor"], n),
        "ملاحظات": rng.choice(["شكرا", "", "الخدمة ممتازة"], n),
    })
    return "patient_survey.csv", frame.to_csv(index=False).encode("utf-8")


AIRLINE_ITEMS = ("Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking",
                 "Gate location", "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment",
                 "On-board service", "Leg room service", "Baggage handling", "Checkin service", "Inflight service",
                 "Cleanliness")


def airline(n: int = 300) -> tuple[str, bytes]:
    """Plain attribute headers on 0–5 where 0 means "not applicable", and a two-word text outcome."""
    rng = np.random.default_rng(17)
    answers = _ratings(rng, n, len(AIRLINE_ITEMS), 1, 5)
    answers[rng.random(answers.shape) < 0.04] = 0
    frame = pd.DataFrame({"id": np.arange(70_000, 70_000 + n), "Gender": rng.choice(["Male", "Female"], n),
                          "Customer Type": rng.choice(["Loyal Customer", "disloyal Customer"], n),
                          "Age": rng.integers(7, 86, n), "Class": rng.choice(["Eco", "Eco Plus", "Business"], n),
                          "Flight Distance": rng.integers(31, 5000, n)})
    for k, name in enumerate(AIRLINE_ITEMS):
        frame[name] = answers[:, k]
    frame["Departure Delay in Minutes"] = rng.integers(0, 400, n)
    mean = np.where(answers > 0, answers, np.nan)
    frame["satisfaction"] = np.where(np.nanmean(mean, axis=1) >= 3.5, "satisfied", "neutral or dissatisfied")
    return "airline_satisfaction.csv", frame.to_csv(index=False).encode()


KIOSK_TEXTS = ("화면 글씨가 잘 보인다", "메뉴를 찾기 쉽다", "결제가 빠르다", "오류가 적다", "안내 음성이 분명하다",
               "대기 시간이 짧다", "직원 호출이 쉽다", "영수증이 정확하다", "포인트 적립이 쉽다", "외국어를 지원한다",
               "높이가 알맞다", "화면이 깨끗하다", "주문 취소가 쉽다", "카드 인식이 잘 된다", "메뉴 사진이 정확하다",
               "추천 메뉴가 유용하다", "장애인도 쓰기 쉽다", "개인정보가 안전하다", "주문 확인이 쉽다", "속도가 빠르다",
               "고장이 적다", "위치가 편리하다", "사용법이 직관적이다", "전반적으로 믿음이 간다")
KIOSK_FACTORS = ("가시성", "가시성", "효율성", "신뢰성", "가시성", "효율성", "지원성", "신뢰성", "편의성", "지원성",
                 "편의성", "가시성", "편의성", "신뢰성", "정확성", "정확성", "지원성", "신뢰성", "정확성", "효율성",
                 "신뢰성", "편의성", "편의성", "신뢰성")


def korean_kiosk(n: int = 211) -> tuple[str, bytes]:
    """A Korean Google-Forms export in CP949: 24 pairs "N-1. …(기대 설문)" / "N-2. …(인지 설문)", decoy
    blocks numbered the same way, one overall satisfaction question."""
    rng = np.random.default_rng(18)
    frame = pd.DataFrame({"타임스탬프": [f"2024. 5. {1 + i % 30}. 오후 2:{i % 60:02d}:00" for i in range(n)],
                          "1. 성별": rng.choice(["남성", "여성"], n),
                          "2. 연령": rng.choice(["20대", "30대", "40대"], n, p=[0.94, 0.04, 0.02])})
    expect, perceive = _ratings(rng, n, 24, 3, 5), _ratings(rng, n, 24, 1, 5)
    for k, text in enumerate(KIOSK_TEXTS, start=1):
        frame[f"{k}-1. {text}(기대 설문)"] = expect[:, k - 1]
        frame[f"{k}-2. {text}(인지 설문)"] = perceive[:, k - 1]
    frame["25. 키오스크 이용에 전반적으로 만족하십니까?"] = rng.integers(1, 6, n)
    return "키오스크 설문(응답).csv", frame.to_csv(index=False).encode("cp949")


def kiosk_items() -> tuple[str, bytes]:
    """The kiosk study's own six-factor instrument, laid out like the template's items sheet; its texts
    mention satisfaction and recommending, which must not be taken for a header."""
    rows = [["code", "dimension", "text_en", "text_ko", "text_zh", "reverse"]]
    for k, (text, factor) in enumerate(zip(KIOSK_TEXTS, KIOSK_FACTORS, strict=True), start=1):
        rows.append([k, factor, f"Kiosk item {k} (satisfaction, would recommend)", text, "", ""])
    return "items.csv", _csv(rows)


WARD_TEXTS = ("How clean was the ward?", "How quickly did nurses come when called?", "How well was your pain managed?",
              "How clearly did doctors explain your treatment?", "How quiet was the ward at night?",
              "How good was the food?", "How easy was it to get information?", "How well were you prepared to go home?")


def spss_unmarked(n: int = 150) -> tuple[str, bytes]:
    """SPSS as SPSS writes it: codes Q1…Q8 whose variable labels are the questions, 1–5 value labels,
    99 entered for "not applicable" with no label, a labelled ward segment."""
    import tempfile
    from pathlib import Path

    import pyreadstat

    rng = np.random.default_rng(19)
    answers = _ratings(rng, n, 8, 1, 5).astype(float)
    answers[rng.random(answers.shape) < 0.05] = 99
    frame = pd.DataFrame(answers, columns=[f"Q{k}" for k in range(1, 9)])
    frame.insert(0, "ward", rng.integers(1, 4, n).astype(float))
    scale = {1.0: "Very poor", 2.0: "Poor", 3.0: "Fair", 4.0: "Good", 5.0: "Very good"}
    labels = {f"Q{k}": scale for k in range(1, 9)}
    labels["ward"] = {1.0: "Surgery", 2.0: "Maternity", 3.0: "Cardiology"}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ward_survey.sav"
        pyreadstat.write_sav(frame, str(path), column_labels=["Ward", *WARD_TEXTS], variable_value_labels=labels)
        return path.name, path.read_bytes()


CHINESE_AGREE = ("非常不同意", "不同意", "一般", "同意", "非常同意")


def chinese_labels(n: int = 90) -> tuple[str, bytes]:
    """A GB18030 export with 期望/感知 headers and answers written as agreement labels."""
    rng = np.random.default_rng(20)
    expect, perceive = _ratings(rng, n, 5, 3, 5), _ratings(rng, n, 5, 1, 5)
    frame = pd.DataFrame({"门店": rng.choice(["北京", "上海", "广州"], n)})
    for k in range(1, 6):
        frame[f"期望{k}"] = [CHINESE_AGREE[v - 1] for v in expect[:, k - 1]]
    for k in range(1, 6):
        frame[f"感知{k}"] = [CHINESE_AGREE[v - 1] for v in perceive[:, k - 1]]
    frame["总体满意度"] = rng.integers(1, 6, n)
    return "问卷数据.csv", frame.to_csv(index=False).encode("gb18030")
