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


AGENCY_TEXTS = ("직원이 친절하다", "대기 시간이 짧다", "안내가 분명하다", "시설이 깨끗하다", "업무 처리가 정확하다",
                "요청을 빠르게 처리한다", "필요한 정보를 쉽게 얻는다", "다시 이용하고 싶다")


def legacy_xls_korean(n: int = 120) -> tuple[str, bytes]:
    """A hand-made Excel 97–2003 workbook (.xls, BIFF8) from a Korean public office: a title row and a blank
    row above the header, "문N 질문" headers, answers 1–5 with 9 entered for "모름/무응답" (don't know),
    a branch and an age band, and a second sheet with the survey's notes."""
    import xlwt

    rng = np.random.default_rng(31)
    answers = _ratings(rng, n, len(AGENCY_TEXTS), 1, 5)
    answers[rng.random(answers.shape) < 0.05] = 9
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("조사결과")
    sheet.write(0, 0, "2025년 민원 서비스 고객만족도 조사")
    header = ["번호", "지점", "연령대", *(f"문{k} {text}" for k, text in enumerate(AGENCY_TEXTS, start=1)),
              "전반적 만족도"]
    for j, name in enumerate(header):
        sheet.write(2, j, name)
    branches = rng.choice(["본청", "북부지소", "남부지소"], n)
    ages = rng.choice(["20대", "30대", "40대", "50대 이상"], n)
    for i in range(n):
        row = [i + 1, str(branches[i]), str(ages[i]), *(int(v) for v in answers[i]), int(rng.integers(1, 6))]
        for j, value in enumerate(row):
            sheet.write(3 + i, j, value)
    notes = book.add_sheet("비고")
    notes.write(0, 0, "응답 척도: 1 전혀 그렇지 않다 ~ 5 매우 그렇다, 9 모름/무응답")
    out = io.BytesIO()
    book.save(out)
    return "2025_고객만족도.xls", out.getvalue()


def open_document_survey(n: int = 90) -> tuple[str, bytes]:
    """An OpenDocument spreadsheet (.ods) as LibreOffice users save a survey: a data sheet with English
    headers, perceptions P1…P6 on 1–7, a channel segment and satisfaction."""
    rng = np.random.default_rng(32)
    answers = _ratings(rng, n, 6, 1, 7).astype(float)
    answers[rng.random(answers.shape) < 0.04] = np.nan
    frame = pd.DataFrame(answers, columns=[f"P{k}" for k in range(1, 7)])
    frame.insert(0, "channel", rng.choice(["phone", "web", "branch"], n))
    frame["satisfaction"] = rng.integers(1, 8, n)
    out = io.BytesIO()
    frame.to_excel(out, engine="odf", index=False, sheet_name="responses")
    return "survey.ods", out.getvalue()


PT_TEXTS = ("O atendimento foi rápido", "Os funcionários foram educados", "O ambiente estava limpo",
            "As informações foram claras", "O horário de funcionamento é conveniente", "O preço é justo",
            "A equipe resolveu meu problema", "Fui atendido sem espera", "O site é fácil de usar",
            "A entrega chegou no prazo", "Confio na empresa", "Voltaria a usar o serviço")
PT_LADDER = ("Discordo totalmente", "Discordo parcialmente", "Nem concordo nem discordo", "Concordo parcialmente",
             "Concordo totalmente")


def portuguese_words(n: int = 150) -> tuple[str, bytes]:
    """A Brazilian Google Forms export: a timestamp, a unit, twelve statements answered in Portuguese words
    on the five-point agreement ladder, some with a non-breaking space, some "Não sei"."""
    rng = np.random.default_rng(34)
    answers = _ratings(rng, n, len(PT_TEXTS), 1, 5)
    frame = pd.DataFrame({"Carimbo de data/hora": [f"2025/03/{1 + i % 28:02d} 10:{i % 60:02d}:00" for i in range(n)],
                          "Unidade": rng.choice(["Centro", "Zona Sul", "Zona Norte"], n)})
    for k, text in enumerate(PT_TEXTS):
        words = [PT_LADDER[v - 1] for v in answers[:, k]]
        words = [w.replace(" ", "\u00a0") if (i + k) % 7 == 0 else w for i, w in enumerate(words)]
        frame[text] = [("Não sei" if (i * 13 + k) % 41 == 0 else w) for i, w in enumerate(words)]
    frame["Satisfação geral (0 a 10)"] = rng.integers(0, 11, n)
    return "Pesquisa de satisfação (respostas).csv", frame.to_csv(index=False).encode("utf-8")


def portuguese_values(n: int = 150) -> np.ndarray:
    """The numbers behind ``portuguese_words``: rung 1–5, NaN for "Não sei"."""
    rng = np.random.default_rng(34)
    answers = _ratings(rng, n, len(PT_TEXTS), 1, 5).astype(float)
    for k in range(len(PT_TEXTS)):
        for i in range(n):
            if (i * 13 + k) % 41 == 0:
                answers[i, k] = np.nan
    return answers


SPANISH_TEXTS = ("El personal fue amable", "Me atendieron sin demora", "La oficina estaba limpia",
                 "La información fue clara", "Resolvieron mi consulta", "El horario es conveniente")


def spss_spanish(n: int = 160) -> tuple[str, bytes]:
    """SPSS with Spanish labels: value-labelled age and income bands and gender before the rating battery
    (Q1…Q6, 1–5 "Muy malo" … "Muy bueno"), a retention question coded 1 = "Sí", 2 = "No"."""
    import tempfile
    from pathlib import Path

    import pyreadstat

    rng = np.random.default_rng(35)
    frame = pd.DataFrame({"edad": rng.integers(1, 6, n).astype(float), "ingreso": rng.integers(1, 5, n).astype(float),
                          "sexo": rng.integers(1, 3, n).astype(float)})
    answers = _ratings(rng, n, len(SPANISH_TEXTS), 1, 5).astype(float)
    for k in range(len(SPANISH_TEXTS)):
        frame[f"Q{k + 1}"] = answers[:, k]
    frame["retencion"] = np.where(answers.mean(axis=1) + rng.normal(0, 1, n) > 3, 1.0, 2.0)
    quality = {1.0: "Muy malo", 2.0: "Malo", 3.0: "Regular", 4.0: "Bueno", 5.0: "Muy bueno"}
    labels = {f"Q{k}": quality for k in range(1, len(SPANISH_TEXTS) + 1)}
    labels |= {"edad": {1.0: "18-24", 2.0: "25-34", 3.0: "35-44", 4.0: "45-54", 5.0: "55 o más"},
               "ingreso": {1.0: "Menos de 1.000 €", 2.0: "1.000-1.999 €", 3.0: "2.000-2.999 €", 4.0: "3.000 € o más"},
               "sexo": {1.0: "Hombre", 2.0: "Mujer"}, "retencion": {1.0: "Sí", 2.0: "No"}}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "encuesta_clientes.sav"
        pyreadstat.write_sav(frame, str(path), column_labels=["Edad", "Ingreso mensual", "Sexo", *SPANISH_TEXTS,
                                                              "¿Seguirá siendo cliente el próximo año?"],
                             variable_value_labels=labels)
        return path.name, path.read_bytes()


def korean_block_codes(n: int = 140) -> tuple[str, bytes]:
    """The Korean study as its agency's SPSS-minded staff save it: a CP949 CSV whose questions are coded by
    block, a letter and a number (A1–A4 시설, B1–B5 직원, C1–C3 절차, D1–D3 정보), 1–5 answers, an overall
    satisfaction question coded by name."""
    rng = np.random.default_rng(36)
    frame = pd.DataFrame({"ID": np.arange(1, n + 1), "지역": rng.choice(["서울", "경기", "부산"], n),
                          "성별": rng.choice(["남", "여"], n)})
    for letter, count in (("A", 4), ("B", 5), ("C", 3), ("D", 3)):
        answers = _ratings(rng, n, count, 1, 5)
        for k in range(count):
            frame[f"{letter}{k + 1}"] = answers[:, k]
    frame["전반만족도"] = rng.integers(1, 6, n)
    return "고객조사_코딩.csv", frame.to_csv(index=False).encode("cp949")


def forms_grid(n: int = 70) -> tuple[str, bytes]:
    """A Google Forms export of three multiple-choice grids: every header says its block ("Question [Row]")."""
    rng = np.random.default_rng(37)
    grids = {"How would you rate our staff?": ("Friendliness", "Speed", "Knowledge"),
             "How would you rate our branch?": ("Cleanliness", "Waiting area", "Opening hours", "Parking"),
             "How would you rate our app?": ("Ease of use", "Reliability")}
    frame = pd.DataFrame({"Timestamp": [f"2025/05/{1 + i % 28:02d} 9:{i % 60:02d}:00 AM GMT+9" for i in range(n)]})
    for question, rows in grids.items():
        answers = _ratings(rng, n, len(rows), 1, 5)
        for k, row in enumerate(rows):
            frame[f"{question} [{row}]"] = answers[:, k]
    frame["Overall, how satisfied are you?"] = rng.integers(1, 6, n)
    return "Branch survey (Responses) - Form Responses 1.csv", frame.to_csv(index=False).encode()


LIBRARY_QUESTIONS = ("Staff are helpful", "I find the books I look for", "Opening hours suit me",
                     "The reading room is too noisy", "The catalogue is easy to search", "Loans are renewed easily",
                     "The building is clean", "Waiting at the desk takes too long", "Wi-Fi works well",
                     "Events are worth attending")
NEGATIVE_LIBRARY = (4, 8)  # worded the other way round: agreeing is the worse experience


def several_sheets(n: int = 110, leftovers: int = 25) -> tuple[str, bytes]:
    """A workbook made by hand: the questionnaire on the first sheet ("No.", "Question"), the data on the
    second (ID, Branch, Q1…Q10 on 1–5, two negatively worded), its ID column dragged down past the last
    respondent (rows with an ID and nothing else), and a notes sheet."""
    import openpyxl

    rng = np.random.default_rng(38)
    answers = _ratings(rng, n, len(LIBRARY_QUESTIONS), 1, 5)
    for k in NEGATIVE_LIBRARY:
        answers[:, k - 1] = 6 - answers[:, k - 1]
    book = openpyxl.Workbook()
    questions = book.active
    questions.title = "Questions"
    questions.append(["No.", "Question"])
    for k, text in enumerate(LIBRARY_QUESTIONS, start=1):
        questions.append([f"Q{k}", text])
    data = book.create_sheet("Data")
    data.append(["ID", "Branch", *(f"Q{k}" for k in range(1, len(LIBRARY_QUESTIONS) + 1))])
    branches = rng.choice(["Central", "Riverside", "Hillside"], n)
    for i in range(n):
        data.append([i + 1, str(branches[i]), *(int(v) for v in answers[i])])
    for i in range(n, n + leftovers):
        data.append([i + 1])
    notes = book.create_sheet("Notes")
    notes.append(["Collected on paper in March and typed in by volunteers."])
    out = io.BytesIO()
    book.save(out)
    return "library_survey_2025.xlsx", out.getvalue()


FINNISH_LADDER = ("Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin samaa mieltä",
                  "Täysin samaa mieltä")


def finnish_words(n: int = 150) -> tuple[str, bytes]:
    """A Finnish survey answered in words no built-in ladder knows: a unit and six statements."""
    return "kysely.csv", finnish_frame(n)[0].to_csv(index=False).encode("utf-8")


def finnish_frame(n: int = 150) -> tuple[pd.DataFrame, np.ndarray]:
    """The Finnish survey and the rungs (1–5) behind its words; answers lean positive, as satisfaction does."""
    rng = np.random.default_rng(39)
    base = rng.choice([1, 2, 3, 4, 5], size=(n, 1), p=[0.05, 0.1, 0.2, 0.35, 0.3])
    rungs = np.clip(base + rng.integers(-1, 2, size=(n, 6)), 1, 5)
    frame = pd.DataFrame({"Toimipiste": rng.choice(["Helsinki", "Tampere", "Oulu"], n)})
    for k in range(6):
        frame[f"Väite {k + 1}"] = [FINNISH_LADDER[v - 1] for v in rungs[:, k]]
    return frame, rungs


def two_waves(first: int = 80, second: int = 120) -> tuple[str, bytes]:
    """A workbook with a wave per sheet ("2024", "2025"), the same questions Q1…Q6 on 1–5 in each."""
    import openpyxl

    rng = np.random.default_rng(40)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, n in (("2024", first), ("2025", second)):
        sheet = book.create_sheet(name)
        sheet.append(["Store", *(f"Q{k}" for k in range(1, 7))])
        for row in _ratings(rng, n, 6, 1, 5):
            sheet.append([str(rng.choice(["North", "South"])), *(int(v) for v in row)])
    out = io.BytesIO()
    book.save(out)
    return "store_survey.xlsx", out.getvalue()


LIBRARY_CATEGORIES = ("Affect of service", "Information control", "Library as place")


def library_workbook(n: int = 90, items: int = 27) -> tuple[str, bytes]:
    """A library survey workbook as its team keeps it: a data sheet of perceived performance P1…P27 and
    their importance I1…I27 on 1–9, a "not applicable" flag NA1…NA27 per item (1 = not applicable), and a
    legend sheet (Code, Category, Description) putting the items in three categories of nine."""
    import openpyxl

    rng = np.random.default_rng(41)
    perf = _ratings(rng, n, items, 1, 9)
    importance = _ratings(rng, n, items, 4, 9)
    flags = (rng.random((n, items)) < 0.04).astype(int)
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    numbers = range(1, items + 1)
    data.append(["RespID", "UserGroup", *(f"P{k}" for k in numbers), *(f"I{k}" for k in numbers),
                 *(f"NA{k}" for k in numbers)])
    for i in range(n):  # a flagged item keeps the number typed beside it: the flag says it does not count
        p = [int(perf[i, k]) for k in range(items)]
        data.append([f"R{i + 1:04d}", str(rng.choice(["Undergraduate", "Graduate", "Faculty"])), *p,
                     *(int(v) for v in importance[i]), *(int(v) for v in flags[i])])
    legend = book.create_sheet("Legend")
    legend.append(["Code", "Category", "Description"])
    for k in range(1, items + 1):
        legend.append([f"P{k}", LIBRARY_CATEGORIES[(k - 1) // 9], f"Library statement {k}"])
    out = io.BytesIO()
    book.save(out)
    return "libqual_2025.xlsx", out.getvalue()
