"""User-facing messages for every problem key, in English, Korean and Chinese.

Each entry is (what is wrong, what to do). Placeholders are filled from the problem's ``values``;
the location (file, sheet, row, column) is rendered separately by :func:`where`. The app and the CLI
both render problems through :func:`render`, so a message reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gapcore.report import Problem

LANGUAGES = ("en", "ko", "zh")

M = dict[str, tuple[str, str]]

MESSAGES: Mapping[str, M] = {
    "no_files": {
        "en": ("No file was given.", "Upload the customer survey file (CSV, Excel, SPSS or Parquet)."),
        "ko": ("파일이 없습니다.", "고객 설문 파일(CSV, 엑셀, SPSS, Parquet)을 올려 주세요."),
        "zh": ("没有提供文件。", "请上传客户问卷文件（CSV、Excel、SPSS 或 Parquet）。"),
    },
    "empty_file": {
        "en": ("The file is empty.", "Export the survey again and check that the file has data in it."),
        "ko": ("파일이 비어 있습니다.", "설문 데이터를 다시 내보낸 뒤 내용이 들어 있는지 확인해 주세요."),
        "zh": ("文件是空的。", "请重新导出问卷数据，并确认文件中有内容。"),
    },
    "not_text": {
        "en": ("This file is not a text table (it looks like binary data with a .csv name).",
               "Open it in the program that made it and save it as CSV or Excel (.xlsx)."),
        "ko": ("텍스트 표 형식의 파일이 아닙니다(확장자만 .csv인 바이너리 파일로 보입니다).",
               "파일을 만든 프로그램에서 열어 CSV나 엑셀(.xlsx)로 다시 저장해 주세요."),
        "zh": ("该文件不是文本表格（看起来是改了 .csv 扩展名的二进制文件）。",
               "请用生成它的软件打开，另存为 CSV 或 Excel（.xlsx）。"),
    },
    "file_too_large": {
        "en": ("The file is {size_mb} MB, above the limit of {limit_mb} MB.",
               "Split the file, remove columns you do not need, or save it as Parquet."),
        "ko": ("파일 크기가 {size_mb}MB로 한도({limit_mb}MB)를 넘습니다.",
               "파일을 나누거나 필요 없는 열을 지우거나 Parquet 형식으로 저장해 주세요."),
        "zh": ("文件大小为 {size_mb} MB，超过上限 {limit_mb} MB。",
               "请拆分文件、删除不需要的列，或另存为 Parquet。"),
    },
    "file_unreadable": {
        "en": ("The file could not be read ({detail}).", "Save it again from the program that made it."),
        "ko": ("파일을 읽을 수 없습니다({detail}).", "파일을 만든 프로그램에서 다시 저장해 주세요."),
        "zh": ("无法读取该文件（{detail}）。", "请用生成它的软件重新保存。"),
    },
    "decode_error": {
        "en": ("The text cannot be read as {encoding}: the file mixes encodings or is damaged here.",
               "Save the file again in one encoding (UTF-8 is safest), or choose its encoding on the Data page."),
        "ko": ("이 부분의 글자를 {encoding}(으)로 읽을 수 없습니다. 인코딩이 섞여 있거나 파일이 손상되었습니다.",
               "한 가지 인코딩(UTF-8 권장)으로 다시 저장하거나, 데이터 화면에서 인코딩을 직접 지정해 주세요."),
        "zh": ("此处文字无法按 {encoding} 解码：文件混用了多种编码或已损坏。",
               "请统一用一种编码（推荐 UTF-8）重新保存，或在数据页手动指定编码。"),
    },
    "mixed_encoding_rows": {
        "en": ("The file is in {encoding}, but {count} rows are in UTF-8 (rows {rows}): pasted from another "
               "export. They were read as UTF-8, so their text is right.",
               "Check those rows; save the file again in one encoding (UTF-8 is safest)."),
        "ko": ("파일은 {encoding} 인코딩인데 {count}개 행({rows}행)이 UTF-8입니다. 다른 파일에서 붙여 넣은 것으로 "
               "보입니다. 이 행들은 UTF-8로 읽어 글자가 깨지지 않았습니다.",
               "해당 행을 확인하고, 파일을 한 가지 인코딩(UTF-8 권장)으로 다시 저장해 주세요."),
        "zh": ("文件编码为 {encoding}，但有 {count} 行（第 {rows} 行）是 UTF-8，像是从其他导出文件粘贴的。"
               "这些行已按 UTF-8 读取，文字正确。",
               "请检查这些行，并统一用一种编码（推荐 UTF-8）重新保存文件。"),
    },
    "unknown_encoding": {
        "en": ("'{encoding}' is not an encoding this app knows.", "Choose UTF-8, CP949, GB18030, Big5, "
               "Shift-JIS or Latin-1."),
        "ko": ("'{encoding}'은(는) 지원하지 않는 인코딩입니다.", "UTF-8, CP949, GB18030, Big5, Shift-JIS, "
               "Latin-1 중에서 골라 주세요."),
        "zh": ("不支持编码“{encoding}”。", "请选择 UTF-8、CP949、GB18030、Big5、Shift-JIS 或 Latin-1。"),
    },
    "single_column": {
        "en": ("Only one column was found: the delimiter is not one of comma, semicolon, tab or bar.",
               "Check the delimiter on the Data page, or save the file as CSV (comma) again."),
        "ko": ("열이 하나만 인식되었습니다. 구분자가 쉼표, 세미콜론, 탭, 세로선이 아닙니다.",
               "데이터 화면에서 구분자를 지정하거나 쉼표 구분 CSV로 다시 저장해 주세요."),
        "zh": ("只识别到一列：分隔符不是逗号、分号、制表符或竖线。",
               "请在数据页指定分隔符，或重新保存为逗号分隔的 CSV。"),
    },
    "header_row_missing": {
        "en": ("The header row given is past the end of the file.", "Choose a header row that exists."),
        "ko": ("지정한 머리글 행이 파일에 없습니다.", "파일 안에 있는 행을 머리글로 지정해 주세요."),
        "zh": ("指定的表头行超出了文件范围。", "请指定文件中存在的行作为表头。"),
    },
    "ragged_rows": {
        "en": ("This row has {found} cells where the header has {expected}.",
               "Check that row for an extra or missing delimiter, or a line break inside an unquoted cell."),
        "ko": ("머리글은 {expected}칸인데 이 행은 {found}칸입니다.",
               "해당 행에 구분자가 더 있거나 빠졌는지, 따옴표 없는 칸 안에 줄바꿈이 있는지 확인해 주세요."),
        "zh": ("表头有 {expected} 列，此行却有 {found} 列。", "请检查此行是否多了或少了分隔符，或单元格内有未加引号的换行。"),
    },
    "csv_unreadable": {
        "en": ("The CSV file could not be parsed ({detail}).", "Save it again as a plain CSV from Excel or your "
               "survey tool."),
        "ko": ("CSV 파일을 해석할 수 없습니다({detail}).", "엑셀이나 설문 도구에서 일반 CSV로 다시 저장해 주세요."),
        "zh": ("无法解析该 CSV 文件（{detail}）。", "请从 Excel 或问卷工具重新另存为普通 CSV。"),
    },
    "too_many_columns": {
        "en": ("The table has {count} columns, more than the {limit} allowed.",
               "Remove columns the analysis does not need."),
        "ko": ("열이 {count}개로 허용 한도({limit}개)를 넘습니다.", "분석에 필요 없는 열을 지워 주세요."),
        "zh": ("表格有 {count} 列，超过上限 {limit} 列。", "请删除分析不需要的列。"),
    },
    "cell_too_long": {
        "en": ("A cell holds more text than a spreadsheet cell can (over 32,767 characters).",
               "Shorten or remove that cell."),
        "ko": ("셀 하나에 글자가 너무 많습니다(32,767자 초과).", "해당 셀의 내용을 줄이거나 지워 주세요."),
        "zh": ("某个单元格内容过长（超过 32,767 个字符）。", "请缩短或删除该单元格内容。"),
    },
    "xlsx_corrupt": {
        "en": ("The Excel file is damaged or not really an .xlsx workbook.",
               "Open it in Excel and save it again as .xlsx."),
        "ko": ("엑셀 파일이 손상되었거나 실제로는 .xlsx 통합 문서가 아닙니다.", "엑셀에서 열어 .xlsx로 다시 저장해 주세요."),
        "zh": ("Excel 文件已损坏，或并不是真正的 .xlsx 工作簿。", "请在 Excel 中打开并重新另存为 .xlsx。"),
    },
    "xlsx_encrypted": {
        "en": ("The workbook is password-protected.", "Remove the password in Excel (File › Info › Protect "
               "Workbook) and upload it again."),
        "ko": ("통합 문서에 암호가 걸려 있습니다.", "엑셀에서 암호를 해제(파일 › 정보 › 통합 문서 보호)한 뒤 다시 올려 주세요."),
        "zh": ("该工作簿设有密码。", "请在 Excel 中取消密码（文件 › 信息 › 保护工作簿）后重新上传。"),
    },
    "xls_legacy": {
        "en": ("This is an old-format Excel file (.xls).", "Open it in Excel and save it as .xlsx."),
        "ko": ("예전 형식의 엑셀 파일(.xls)입니다.", "엑셀에서 열어 .xlsx 형식으로 저장해 주세요."),
        "zh": ("这是旧版 Excel 文件（.xls）。", "请在 Excel 中打开并另存为 .xlsx。"),
    },
    "xlsx_too_many_entries": {
        "en": ("The workbook package holds {count} parts (limit {limit}): it is not a normal survey export.",
               "Save only the sheets with data into a new workbook."),
        "ko": ("통합 문서 안의 구성 요소가 {count}개로 한도({limit}개)를 넘습니다. 일반적인 설문 파일이 아닙니다.",
               "데이터가 있는 시트만 새 통합 문서에 저장해 주세요."),
        "zh": ("工作簿包含 {count} 个部件（上限 {limit}），不像正常的问卷导出文件。", "请只把有数据的工作表另存为新工作簿。"),
    },
    "xlsx_xml_entities": {
        "en": ("The workbook's part {part} declares XML entities (a document type), which Excel never writes; such "
               "a file can expand to exhaust memory, so it is not opened.",
               "Open the file in Excel and save it again as a new .xlsx, or export the data as CSV."),
        "ko": ("통합 문서의 {part} 부분에 XML 엔터티 선언(DOCTYPE)이 있습니다. 엑셀은 이런 선언을 쓰지 않으며, "
               "메모리를 고갈시키도록 부풀려질 수 있어 열지 않았습니다.",
               "엑셀에서 열어 새 .xlsx로 다시 저장하거나 데이터를 CSV로 내보내 주세요."),
        "zh": ("工作簿的 {part} 部件声明了 XML 实体（DOCTYPE），Excel 从不写入此类声明；这种文件可能膨胀到耗尽内存，因此未打开。",
               "请在 Excel 中打开后另存为新的 .xlsx，或把数据导出为 CSV。"),
    },
    "xlsx_too_large_uncompressed": {
        "en": ("Unpacked, the workbook would take {size_mb} MB (limit {limit_mb} MB) or is compressed "
               "suspiciously far.", "Save the data as CSV or Parquet, or split the workbook."),
        "ko": ("압축을 풀면 {size_mb}MB(한도 {limit_mb}MB)가 되거나 압축률이 비정상적으로 높습니다.",
               "CSV나 Parquet으로 저장하거나 통합 문서를 나눠 주세요."),
        "zh": ("工作簿解压后将占 {size_mb} MB（上限 {limit_mb} MB），或压缩比异常。",
               "请另存为 CSV 或 Parquet，或拆分工作簿。"),
    },
    "sav_unreadable": {
        "en": ("The SPSS file could not be read ({detail}).", "Save it again from SPSS as .sav."),
        "ko": ("SPSS 파일을 읽을 수 없습니다({detail}).", "SPSS에서 .sav로 다시 저장해 주세요."),
        "zh": ("无法读取 SPSS 文件（{detail}）。", "请在 SPSS 中重新另存为 .sav。"),
    },
    "parquet_unreadable": {
        "en": ("The Parquet file could not be read ({detail}).", "Write the file again."),
        "ko": ("Parquet 파일을 읽을 수 없습니다({detail}).", "파일을 다시 만들어 주세요."),
        "zh": ("无法读取 Parquet 文件（{detail}）。", "请重新生成该文件。"),
    },
    "no_customer_table": {
        "en": ("No customer table was found (no sheet or file with expectation or perception columns).",
               "Name the sheet 'customers' or give the items headers like E1…E22 and P1…P22."),
        "ko": ("고객 표를 찾지 못했습니다(기대·인식 열이 있는 시트나 파일이 없습니다).",
               "시트 이름을 'customers'(또는 '고객')로 하거나 머리글을 E1…E22, P1…P22처럼 바꿔 주세요."),
        "zh": ("未找到客户表（没有含期望或感知列的工作表或文件）。",
               "请把工作表命名为 customers（或“客户”），或把题目表头写成 E1…E22、P1…P22。"),
    },
    "no_item_columns": {
        "en": ("The customer table has no expectation or perception columns. Columns seen: {columns}.",
               "Map the item columns on the Data page, or rename them E1, P1, … (see the template)."),
        "ko": ("고객 표에 기대·인식 열이 없습니다. 확인된 열: {columns}.",
               "데이터 화면에서 문항 열을 지정하거나 E1, P1… 형식으로 이름을 바꿔 주세요(템플릿 참고)."),
        "zh": ("客户表中没有期望或感知列。已识别的列：{columns}。",
               "请在数据页指定题目列，或改名为 E1、P1……（参见模板）。"),
    },
    "no_rows": {
        "en": ("The customer table has a header but no answers.", "Add the respondents' rows below the header."),
        "ko": ("고객 표에 머리글만 있고 응답이 없습니다.", "머리글 아래에 응답자 데이터를 넣어 주세요."),
        "zh": ("客户表只有表头，没有答卷。", "请在表头下方填入受访者数据。"),
    },
    "scale_unknown": {
        "en": ("The answers fit none of the scales 1–5, 1–7, 1–9, 1–10, 0–10.", "Set the scale on the Data page."),
        "ko": ("응답이 1~5, 1~7, 1~9, 1~10, 0~10점 척도 어디에도 맞지 않습니다.", "데이터 화면에서 척도를 지정해 주세요."),
        "zh": ("答案不符合 1–5、1–7、1–9、1–10、0–10 中任何一种量表。", "请在数据页指定量表。"),
    },
    "non_numeric_answer": {
        "en": ("'{value}' is not a number or a known answer label.",
               "Add the label to the label table on the Data page, or correct the cell."),
        "ko": ("'{value}'은(는) 숫자도, 등록된 응답 보기 문구도 아닙니다.",
               "데이터 화면의 응답 보기 표에 추가하거나 셀 값을 고쳐 주세요."),
        "zh": ("“{value}”既不是数字，也不是已知的选项文字。", "请在数据页的选项对照表中添加，或修改该单元格。"),
    },
    "non_numeric_outcome": {
        "en": ("'{value}' is not a number.", "Correct the cell; it counts as missing until then."),
        "ko": ("'{value}'은(는) 숫자가 아닙니다.", "셀 값을 고쳐 주세요. 그전까지는 결측으로 처리합니다."),
        "zh": ("“{value}”不是数字。", "请修改该单元格；修改前按缺失处理。"),
    },
    "non_numeric_weight": {
        "en": ("The weight '{value}' is not a number.", "Correct the cell; the row gets no weight until then."),
        "ko": ("가중치 '{value}'이(가) 숫자가 아닙니다.", "셀 값을 고쳐 주세요. 그전까지 이 행은 가중 분석에서 빠집니다."),
        "zh": ("权重“{value}”不是数字。", "请修改该单元格；修改前该行不参与加权分析。"),
    },
    "non_numeric_points": {
        "en": ("The importance points '{value}' are not a number.", "Correct the cell."),
        "ko": ("중요도 점수 '{value}'이(가) 숫자가 아닙니다.", "셀 값을 고쳐 주세요."),
        "zh": ("重要性分值“{value}”不是数字。", "请修改该单元格。"),
    },
    "out_of_range_answer": {
        "en": ("{value} is outside the answer scale.",
               "Correct the cell, or set a wider scale on the Data page. It counts as missing until then."),
        "ko": ("{value}은(는) 응답 척도를 벗어난 값입니다.",
               "셀 값을 고치거나 데이터 화면에서 척도를 넓혀 주세요. 그전까지는 결측으로 처리합니다."),
        "zh": ("{value} 超出了答案量表范围。", "请修改该单元格，或在数据页设置更宽的量表。修改前按缺失处理。"),
    },
    "out_of_range_recommend": {
        "en": ("{value} is outside 0–10 for likelihood to recommend.", "Correct the cell."),
        "ko": ("추천 의향 {value}이(가) 0~10점 범위를 벗어났습니다.", "셀 값을 고쳐 주세요."),
        "zh": ("推荐意愿 {value} 超出 0–10 范围。", "请修改该单元格。"),
    },
    "invalid_weight": {
        "en": ("The weight '{value}' is missing, zero or negative.",
               "Weights must be positive numbers; the row is left out of weighted figures until fixed."),
        "ko": ("가중치 '{value}'이(가) 비어 있거나 0 이하입니다.",
               "가중치는 양수여야 합니다. 고칠 때까지 이 행은 가중 분석에서 빠집니다."),
        "zh": ("权重“{value}”为空、为零或为负。", "权重必须为正数；修改前该行不参与加权计算。"),
    },
    "points_not_100": {
        "en": ("The importance points add up to {value}, not 100.", "Correct the respondent's points."),
        "ko": ("중요도 점수 합계가 100이 아니라 {value}입니다.", "해당 응답자의 점수를 고쳐 주세요."),
        "zh": ("重要性分值合计为 {value}，而不是 100。", "请修改该受访者的分值。"),
    },
    "duplicate_id": {
        "en": ("The respondent id '{value}' appears more than once.", "Check for a respondent entered twice."),
        "ko": ("응답자 ID '{value}'이(가) 두 번 이상 나옵니다.", "같은 응답자가 두 번 입력되지 않았는지 확인해 주세요."),
        "zh": ("受访者编号“{value}”出现了不止一次。", "请检查是否重复录入了同一受访者。"),
    },
    "non_binary_retention": {
        "en": ("'{value}' is not a yes/no answer for retention.", "Use 1/0, yes/no, retained/churned."),
        "ko": ("'{value}'은(는) 유지 여부(예/아니오) 값이 아닙니다.", "1/0, 예/아니오, 유지/이탈 중 하나로 입력해 주세요."),
        "zh": ("“{value}”不是留存与否（是/否）的答案。", "请使用 1/0、是/否、留存/流失。"),
    },
    "no_valid_answers": {
        "en": ("No item column has a single valid answer: {not_numbers} cells are not numbers or known "
               "answer labels and {out_of_range} are outside the scale {scale} (for example {examples}).",
               "Check that the right columns are mapped as items, set the scale and the 'not applicable' "
               "codes under 'Reading options', or add the answer labels to the label table."),
        "ko": ("문항 열에 유효한 응답이 하나도 없습니다. 숫자나 등록된 보기 문구가 아닌 셀이 {not_numbers}개, "
               "척도({scale})를 벗어난 셀이 {out_of_range}개입니다(예: {examples}).",
               "문항으로 지정한 열이 맞는지 확인하고, '읽기 옵션'에서 척도와 '해당 없음' 코드를 지정하거나 "
               "응답 보기 표에 보기 문구를 추가해 주세요."),
        "zh": ("题目列中没有一个有效答案：{not_numbers} 个单元格既不是数字也不是已知选项文字，"
               "{out_of_range} 个超出量表范围 {scale}（例如 {examples}）。",
               "请确认映射为题目的列是否正确，在“读取选项”中设置量表和“不适用”代码，或在选项对照表中添加选项文字。"),
    },
    "item_all_missing": {
        "en": ("Every answer in this item column is missing.", "Check the export; the item is left out."),
        "ko": ("이 문항 열의 응답이 모두 비어 있습니다.", "내보내기를 확인해 주세요. 이 문항은 분석에서 빠집니다."),
        "zh": ("此题目列的答案全部缺失。", "请检查导出；该题目不纳入分析。"),
    },
    "duplicate_column": {
        "en": ("Two columns share this header.", "Rename one of them; the second is read as '<name>.2'."),
        "ko": ("같은 머리글을 가진 열이 두 개 있습니다.", "하나의 이름을 바꿔 주세요. 두 번째 열은 '<이름>.2'로 읽습니다."),
        "zh": ("有两列使用了相同的表头。", "请给其中一列改名；第二列按“<名称>.2”读取。"),
    },
    "formulas_present": {
        "en": ("The sheet contains formulas; their last computed values are used.",
               "If values look wrong, open the file in Excel, recalculate and save it."),
        "ko": ("시트에 수식이 있어 마지막으로 계산된 값을 사용합니다.",
               "값이 이상하면 엑셀에서 열어 다시 계산한 뒤 저장해 주세요."),
        "zh": ("工作表包含公式，使用其最后一次计算的值。", "如数值不对，请在 Excel 中打开、重新计算并保存。"),
    },
    "header_below_title": {
        "en": ("The header was found on row {row}; the rows above it were read as titles.",
               "If that is wrong, set the header row on the Data page."),
        "ko": ("머리글을 {row}행에서 찾았고, 그 위의 행은 제목으로 보았습니다.", "틀렸다면 데이터 화면에서 머리글 행을 지정해 주세요."),
        "zh": ("在第 {row} 行找到表头，上面的行视为标题。", "如不正确，请在数据页指定表头行。"),
    },
    "two_row_header": {
        "en": ("The row above the header holds question texts; they are kept as item labels.", ""),
        "ko": ("머리글 위 행의 질문 문구를 문항 설명으로 사용합니다.", ""),
        "zh": ("表头上方一行为题目文字，已作为题目说明保留。", ""),
    },
    "blank_rows_dropped": {
        "en": ("{count} completely empty rows were skipped.", ""),
        "ko": ("완전히 빈 행 {count}개를 건너뛰었습니다.", ""),
        "zh": ("跳过了 {count} 个完全空白的行。", ""),
    },
    "custom_instrument": {
        "en": ("The study's own items sheet is used: {items} items in {dimensions} dimensions.", ""),
        "ko": ("업로드한 문항 시트를 사용합니다: {dimensions}개 차원, {items}개 문항.", ""),
        "zh": ("使用上传的题项表：{dimensions} 个维度，{items} 道题。", ""),
    },
    "item_not_in_instrument": {
        "en": ("The column looks like item {item}, which the instrument does not have; it is not used as an "
               "item.", "Upload an items sheet that includes it, if it is one."),
        "ko": ("{item}번 문항처럼 보이지만 설문 문항 목록에 없어 문항으로 쓰지 않습니다.", "문항이 맞다면 문항 시트에 추가해 주세요."),
        "zh": ("此列看似第 {item} 题，但题项表中没有该题，不作为题目使用。", "如确是题目，请在题项表中加入。"),
    },
    "partial_item_block": {
        "en": ("Columns {columns} look like a {level} item block but cover only {found} of {expected} items; "
               "they are treated as other columns.", "Map them on the Data page if they are items."),
        "ko": ("{columns} 열은 {level} 문항처럼 보이지만 {expected}개 중 {found}개뿐이라 일반 열로 봅니다.",
               "문항이 맞다면 데이터 화면에서 지정해 주세요."),
        "zh": ("{columns} 列看似 {level} 题组，但只覆盖 {expected} 题中的 {found} 题，按普通列处理。",
               "如确是题目，请在数据页指定。"),
    },
    "ambiguous_item_column": {
        "en": ("Several columns could be item {item} ({level}): {candidates}. None was chosen.",
               "Say which one on the Data page (mapping table)."),
        "ko": ("{item}번 문항({level})에 해당할 수 있는 열이 여러 개입니다: {candidates}. 어느 것도 고르지 않았습니다.",
               "데이터 화면의 매핑 표에서 하나를 지정해 주세요."),
        "zh": ("有多列可能是第 {item} 题（{level}）：{candidates}。均未采用。", "请在数据页的映射表中指定其中一列。"),
    },
    "ambiguous_role_column": {
        "en": ("Several columns could be the {role} column: {candidates}. None was chosen.",
               "Say which one on the Data page (mapping table)."),
        "ko": ("{role} 열이 될 수 있는 열이 여러 개입니다: {candidates}. 어느 것도 고르지 않았습니다.",
               "데이터 화면의 매핑 표에서 하나를 지정해 주세요."),
        "zh": ("有多列可能是 {role} 列：{candidates}。均未采用。", "请在数据页的映射表中指定其中一列。"),
    },
    "items_numbered_by_position": {
        "en": ("{count} {level} question headers carry no usable item numbers; they were numbered in order.",
               "Check the mapping on the Data page."),
        "ko": ("{level} 질문 머리글 {count}개에 문항 번호가 없어 순서대로 번호를 붙였습니다.", "데이터 화면에서 매핑을 확인해 주세요."),
        "zh": ("{count} 个 {level} 题目表头没有可用的题号，已按顺序编号。", "请在数据页检查映射。"),
    },
    "item_unpaired": {
        "en": ("Items {items} have an expectation or a perception column but not both.",
               "Their gap cannot be computed; check the export."),
        "ko": ("{items}번 문항은 기대와 인식 중 한쪽 열만 있습니다.", "격차를 계산할 수 없으니 내보내기를 확인해 주세요."),
        "zh": ("第 {items} 题只有期望或感知其中一列。", "无法计算差距，请检查导出。"),
    },
    "item_absent": {
        "en": ("Items {items} of the instrument are not in the data.",
               "If the survey used fewer items, upload an items sheet that lists them."),
        "ko": ("설문 문항 중 {items}번이 데이터에 없습니다.", "문항 수를 줄인 설문이라면 문항 시트를 함께 올려 주세요."),
        "zh": ("题项表中的第 {items} 题不在数据中。", "如问卷题目较少，请一并上传列出题目的题项表。"),
    },
    "perception_only": {
        "en": ("Only perceptions were found (SERVPERF): views that need expectations are unavailable.", ""),
        "ko": ("인식 문항만 있습니다(SERVPERF). 기대가 필요한 화면은 볼 수 없습니다.", ""),
        "zh": ("只有感知题（SERVPERF）：需要期望数据的视图不可用。", ""),
    },
    "items_proposed": {
        "en": ("No column is marked as an expectation or a perception. {count} columns look like rating questions: "
               "{columns}.",
               "Check them on the Data page (question texts are shown beside each) and confirm them as perception "
               "items, or map the columns yourself. On the command line: --accept-proposal, or --mapping FILE."),
        "ko": ("기대·인식으로 표시된 열이 없습니다. 평가 문항으로 보이는 열이 {count}개 있습니다: {columns}.",
               "데이터 화면에서 열마다 표시된 질문 내용을 확인한 뒤 인식 문항으로 확정하거나 직접 지정해 주세요. "
               "명령줄에서는 --accept-proposal 또는 --mapping 파일을 쓰면 됩니다."),
        "zh": ("没有标明为期望或感知的列。有 {count} 列看起来是评分题：{columns}。",
               "请在数据页核对每列旁显示的题目原文，确认为感知题或自行指定列的用途。"
               "命令行可用 --accept-proposal 或 --mapping 文件。"),
    },
    "items_confirmed": {
        "en": ("{count} rating columns are read as perception items, as proposed: {columns}.",
               "If some of them are not service items, set them to 'ignore' in the mapping."),
        "ko": ("제안대로 평가 문항 {count}개를 인식 문항으로 읽었습니다: {columns}.",
               "서비스 문항이 아닌 열이 있으면 매핑에서 '사용 안 함'으로 바꿔 주세요."),
        "zh": ("已按建议将 {count} 个评分列作为感知题读取：{columns}。", "若其中有不属于服务质量的题，请在映射中设为“忽略”。"),
    },
    "items_unconfirmed": {
        "en": ("Columns {columns} are coded like {level} items, but their question texts say otherwise and there "
               "is no matching block: they are not taken as items on their code alone.",
               "Read their texts on the Data page and map them if they are service items."),
        "ko": ("{columns} 열은 이름만 보면 {level} 문항 같지만 질문 내용에 그런 표시가 없고 짝이 되는 문항도 "
               "없어서 문항으로 보지 않았습니다.", "데이터 화면에서 질문 내용을 확인하고, 서비스 문항이면 직접 지정해 주세요."),
        "zh": ("列 {columns} 的代码像 {level} 类题目，但题目原文并无此意，也没有对应的另一组题，"
               "因此不仅凭代码将其当作题项。", "请在数据页查看题目原文；如属服务题项，请手动指定。"),
    },
    "outcome_chosen": {
        "en": ("Several questions mention {role}; '{column}' is taken as the overall question (not {others}).",
               "If another one is the overall question, choose it on the Data page."),
        "ko": ("{role}을(를) 언급하는 질문이 여러 개라 전반적 질문인 '{column}'을(를) 결과 변수로 썼습니다"
               "({others} 제외).", "다른 질문이 전반적 질문이라면 데이터 화면에서 바꿔 주세요."),
        "zh": ("有多道题提到 {role}，已将“{column}”作为总体题使用（不含 {others}）。", "如总体题另有其题，请在数据页更换。"),
    },
    "na_codes_applied": {
        "en": ("Answers coded {codes} were read as 'not applicable' ({count} answers in {columns} columns).", ""),
        "ko": ("{codes}(으)로 입력된 응답을 '해당 없음'으로 처리했습니다(열 {columns}개, 응답 {count}개).", ""),
        "zh": ("编码为 {codes} 的答案按“不适用”处理（{columns} 列，共 {count} 个）。", ""),
    },
    "na_detected": {
        "en": ("Answers coded {codes} lie outside the rating scale the other answers use, so they were read as "
               "'not applicable' ({count} answers), not averaged in.",
               "If {codes} is a real answer, clear the N/A codes (Data page, or --na none) or set the scale."),
        "ko": ("{codes}(으)로 입력된 응답은 나머지 응답의 척도를 벗어나므로 평균에 넣지 않고 '해당 없음'으로 "
               "처리했습니다(응답 {count}개).",
               "{codes}이(가) 실제 응답 값이라면 해당 없음 코드를 비우거나(데이터 화면, 또는 --na none) 척도를 지정해 주세요."),
        "zh": ("编码为 {codes} 的答案超出其他答案所用的量表，已按“不适用”处理，未计入平均（共 {count} 个）。",
               "如果 {codes} 是有效答案，请清除不适用编码（数据页，或 --na none）或指定量表。"),
    },
    "item_negative_correlation": {
        "en": ("In {dimension}, items {items} correlate negatively with the rest of the dimension.",
               "Check their question texts: a reverse-worded item needs its reverse flag, and a block that "
               "measures something else belongs to another dimension or to no dimension."),
        "ko": ("{dimension} 차원에서 {items} 문항이 나머지 문항과 음의 상관을 보입니다.",
               "질문 내용을 확인해 주세요. 역으로 묻는 문항이면 역문항으로 표시하고, 다른 것을 재는 문항이면 "
               "다른 차원으로 옮기거나 제외해 주세요."),
        "zh": ("在“{dimension}”维度中，第 {items} 题与该维度其余题目呈负相关。",
               "请核对题目原文：反向表述的题需标记为反向题；测量其他内容的题应移到其他维度或不纳入。"),
    },
    "too_few_respondents": {
        "en": ("Only {n} respondent: no confidence interval or test can be computed.", "Add more responses."),
        "ko": ("응답자가 {n}명뿐이라 신뢰구간과 검정을 계산할 수 없습니다.", "응답을 더 모아 주세요."),
        "zh": ("只有 {n} 位受访者，无法计算置信区间和检验。", "请补充更多答卷。"),
    },
    "provider_without_items": {
        "en": ("The {table} table has no item columns and is not used.", "Name its columns like M1, S1, D1, C1."),
        "ko": ("{table} 표에 문항 열이 없어 사용하지 않습니다.", "열 이름을 M1, S1, D1, C1 형식으로 바꿔 주세요."),
        "zh": ("{table} 表没有题目列，未使用。", "请把列名改为 M1、S1、D1、C1 这样的格式。"),
    },
    "unknown_table": {
        "en": ("This sheet or file is not recognised as any table of a study and is skipped.",
               "Name it customers, management, standards, delivery, communications or items."),
        "ko": ("어떤 표인지 알 수 없어 건너뛰었습니다.",
               "이름을 customers, management, standards, delivery, communications, items 중 하나로 해 주세요."),
        "zh": ("无法识别此工作表或文件属于哪张表，已跳过。",
               "请命名为 customers、management、standards、delivery、communications 或 items。"),
    },
    "table_twice": {
        "en": ("This is a second {table} table and is not used: {used} is.",
               "Merge the tables into one file, or upload only the one to analyse."),
        "ko": ("{table} 표가 하나 더 있어 이 표는 쓰지 않습니다. 사용하는 표: {used}.",
               "표를 한 파일로 합치거나 분석할 파일만 올려 주세요."),
        "zh": ("这是第二张 {table} 表，不会使用；使用的是 {used}。", "请把表合并到一个文件，或只上传要分析的文件。"),
    },
    "too_many_files": {
        "en": ("{count} files ({size_mb} MB) were given at once; at most {max_files} files and {limit_mb} MB "
               "are read together. Nothing was read, and the study loaded before is kept.",
               "Upload one study at a time: its workbook, or its customer file with its company tables."),
        "ko": ("한 번에 {count}개 파일({size_mb}MB)을 올렸습니다. 함께 읽을 수 있는 것은 최대 {max_files}개, "
               "{limit_mb}MB입니다. 아무 파일도 읽지 않았고, 먼저 불러온 조사는 그대로입니다.",
               "조사 하나씩 올려 주세요(통합 문서 하나, 또는 고객 파일과 회사 쪽 표)."),
        "zh": ("一次提供了 {count} 个文件（{size_mb} MB）；一次最多读取 {max_files} 个文件、{limit_mb} MB。"
               "没有读取任何文件，之前载入的调查保持不变。",
               "请一次上传一项调查：一个工作簿，或客户文件及其企业方表格。"),
    },
    "mapping_item_missing": {
        "en": ("An item column has no item number.", "Give every expectation/perception column its item number."),
        "ko": ("문항 번호가 없는 문항 열이 있습니다.", "기대·인식 열마다 문항 번호를 넣어 주세요."),
        "zh": ("有题项列没有题号。", "请为每个期望/感知列填写题号。"),
    },
    "mapping_item_twice": {
        "en": ("Item {item} ({level}) is given to two columns: this one and '{other}'.",
               "Give each column of a level its own item number."),
        "ko": ("{item}번 문항({level})이 이 열과 '{other}' 열에 겹쳐 지정되었습니다.", "같은 유형의 열에는 서로 다른 번호를 붙여 주세요."),
        "zh": ("第 {item} 题（{level}）同时指定给了此列和“{other}”。", "同一类列请使用不同的题号。"),
    },
    "mapping_invalid": {
        "en": ("The mapping file cannot be used ({detail}).", "Download a mapping from the Data page and edit it."),
        "ko": ("매핑 파일을 사용할 수 없습니다({detail}).", "데이터 화면에서 매핑 파일을 내려받아 수정해 주세요."),
        "zh": ("映射文件无法使用（{detail}）。", "请从数据页下载映射文件后再修改。"),
    },
    "mapping_column_absent": {
        "en": ("The mapping names this column, but the table has no such column.", "Check the mapping."),
        "ko": ("매핑에 있는 열이 표에 없습니다.", "매핑을 확인해 주세요."),
        "zh": ("映射中的这一列在表中不存在。", "请检查映射。"),
    },
    "items_missing_column": {
        "en": ("The items sheet has no '{column}' column.", "It needs code, dimension, text_en, text_ko, "
               "text_zh, reverse (see the template)."),
        "ko": ("문항 시트에 '{column}' 열이 없습니다.", "code, dimension, text_en, text_ko, text_zh, reverse 열이 "
               "필요합니다(템플릿 참고)."),
        "zh": ("题项表缺少“{column}”列。", "需要 code、dimension、text_en、text_ko、text_zh、reverse 列（参见模板）。"),
    },
    "items_bad_code": {
        "en": ("The item code '{value}' does not end in a number.", "Use codes like 1, 2, … or Q1, Q2, …"),
        "ko": ("문항 코드 '{value}'이(가) 숫자로 끝나지 않습니다.", "1, 2… 또는 Q1, Q2… 형식으로 써 주세요."),
        "zh": ("题目代码“{value}”不是以数字结尾。", "请使用 1、2…… 或 Q1、Q2…… 这样的代码。"),
    },
    "items_duplicate_code": {
        "en": ("The item code '{value}' appears twice.", "Give each item its own number."),
        "ko": ("문항 코드 '{value}'이(가) 두 번 나옵니다.", "문항마다 다른 번호를 붙여 주세요."),
        "zh": ("题目代码“{value}”重复出现。", "请为每道题分配不同的编号。"),
    },
    "items_missing_dimension": {
        "en": ("This item has no dimension.", "Fill in the dimension column."),
        "ko": ("이 문항에 차원이 없습니다.", "dimension 열을 채워 주세요."),
        "zh": ("此题目没有维度。", "请填写 dimension 列。"),
    },
    "items_bad_reverse": {
        "en": ("'{value}' is not a yes/no value for reverse.", "Use 1/0 or yes/no."),
        "ko": ("reverse 값 '{value}'이(가) 예/아니오 값이 아닙니다.", "1/0 또는 yes/no로 써 주세요."),
        "zh": ("reverse 的值“{value}”不是是/否。", "请使用 1/0 或 yes/no。"),
    },
    "items_empty": {
        "en": ("The items sheet lists no items.", "Fill it in or remove it to use the 22-item SERVQUAL."),
        "ko": ("문항 시트에 문항이 없습니다.", "문항을 채우거나, 시트를 지우면 기본 22문항 SERVQUAL을 씁니다."),
        "zh": ("题项表中没有题目。", "请填写题目，或删除该表以使用默认的 22 题 SERVQUAL。"),
    },
}

MESSAGES = {**MESSAGES, **{
    "unknown_segment": {
        "en": ("'{column}' is not a segment column of this study.", "Choose one of: {segments}."),
        "ko": ("'{column}'은(는) 이 조사의 세그먼트 열이 아닙니다.", "다음 중에서 골라 주세요: {segments}."),
        "zh": ("“{column}”不是本调查的细分列。", "请从以下列中选择：{segments}。"),
    },
    "unknown_segment_value": {
        "en": ("'{value}' is not a value of the segment '{column}'.", "Choose one of: {values}."),
        "ko": ("'{value}'은(는) 세그먼트 '{column}'에 없는 값입니다.", "다음 값 중에서 골라 주세요: {values}."),
        "zh": ("“{value}”不是细分“{column}”中的取值。", "请从以下取值中选择：{values}。"),
    },
    "path_is_folder": {
        "en": ("This is a folder, not a file.", "Give the path of the survey file inside it."),
        "ko": ("파일이 아니라 폴더입니다.", "폴더 안에 있는 설문 파일의 경로를 지정해 주세요."),
        "zh": ("这是一个文件夹，不是文件。", "请给出其中问卷文件的路径。"),
    },
    "cli_bad_number": {
        "en": ("{option} must be a whole number from {low} to {high}; '{value}' is not.",
               "Give {option} a whole number in that range."),
        "ko": ("{option}에는 {low}~{high} 사이의 정수를 써야 합니다. '{value}'은(는) 쓸 수 없습니다.",
               "{option}에 그 범위의 정수를 지정해 주세요."),
        "zh": ("{option} 必须是 {low} 到 {high} 之间的整数，“{value}”不符合。", "请为 {option} 指定该范围内的整数。"),
    },
    "cli_bad_scale": {
        "en": ("{option} '{value}' is not a scale.", "Write it as LOW-HIGH with LOW below HIGH, e.g. 1-7 or 0-10."),
        "ko": ("{option} '{value}'은(는) 척도 형식이 아닙니다.", "1-7, 0-10처럼 '최솟값-최댓값'으로 써 주세요(최솟값 < 최댓값)."),
        "zh": ("{option}“{value}”不是有效的量表。", "请写成“最低-最高”，且最低值小于最高值，例如 1-7 或 0-10。"),
    },
    "cli_no_output": {
        "en": ("{option} names no file.", "Give the file to write, e.g. {option} report.html."),
        "ko": ("{option}에 파일 이름이 없습니다.", "저장할 파일을 지정해 주세요(예: {option} report.html)."),
        "zh": ("{option} 没有给出文件名。", "请指定要写入的文件，例如 {option} report.html。"),
    },
    "cli_output_folder": {
        "en": ("{option} names a folder, not a file.", "Add a file name, e.g. {file}/report.html."),
        "ko": ("{option}에 파일이 아니라 폴더를 지정했습니다.", "파일 이름까지 써 주세요(예: {file}/report.html)."),
        "zh": ("{option} 指向的是文件夹，不是文件。", "请加上文件名，例如 {file}/report.html。"),
    },
    "cli_output_parent": {
        "en": ("The folder '{folder}' for {option} does not exist.", "Create the folder first, or write elsewhere."),
        "ko": ("{option}의 저장 폴더 '{folder}'이(가) 없습니다.", "폴더를 먼저 만들거나 다른 위치에 저장해 주세요."),
        "zh": ("{option} 的目标文件夹“{folder}”不存在。", "请先创建该文件夹，或写到其他位置。"),
    },
    "cli_os_error": {
        "en": ("The file could not be read or written ({detail}).",
               "Check the path, the permissions and the free disk space."),
        "ko": ("파일을 읽거나 쓸 수 없습니다({detail}).", "경로, 권한, 남은 디스크 공간을 확인해 주세요."),
        "zh": ("无法读取或写入该文件（{detail}）。", "请检查路径、权限和磁盘剩余空间。"),
    },
    "cli_missing": {
        "en": ("Missing on the command line: {names}.", "Run python -m gapcore {command} --help to see what it needs."),
        "ko": ("명령줄에 빠진 항목이 있습니다: {names}.", "python -m gapcore {command} --help 로 필요한 항목을 확인해 주세요."),
        "zh": ("命令行缺少：{names}。", "运行 python -m gapcore {command} --help 查看所需参数。"),
    },
    "cli_choice": {
        "en": ("'{value}' is not a choice for {option}.", "Choose one of: {choices}."),
        "ko": ("'{value}'은(는) {option}에 쓸 수 있는 값이 아닙니다.", "다음 중에서 골라 주세요: {choices}."),
        "zh": ("“{value}”不是 {option} 的可选值。", "请从以下选项中选择：{choices}。"),
    },
    "cli_expects_value": {
        "en": ("{option} needs a value after it.", "Run python -m gapcore {command} --help to see the options."),
        "ko": ("{option} 뒤에 값을 써야 합니다.", "python -m gapcore {command} --help 로 옵션을 확인해 주세요."),
        "zh": ("{option} 后面需要一个值。", "运行 python -m gapcore {command} --help 查看选项。"),
    },
    "cli_unknown": {
        "en": ("Not an option of this command: {names}.", "Run python -m gapcore {command} --help to see the options."),
        "ko": ("이 명령에 없는 옵션입니다: {names}.", "python -m gapcore {command} --help 로 옵션을 확인해 주세요."),
        "zh": ("此命令没有该选项：{names}。", "运行 python -m gapcore {command} --help 查看选项。"),
    },
    "cli_usage": {
        "en": ("The command line cannot be read: {detail}.", "Run python -m gapcore {command} --help to see the options."),
        "ko": ("명령줄을 해석할 수 없습니다: {detail}.", "python -m gapcore {command} --help 로 옵션을 확인해 주세요."),
        "zh": ("无法解析命令行：{detail}。", "运行 python -m gapcore {command} --help 查看选项。"),
    },
    "bad_filter": {
        "en": ("The filter '{detail}' is not of the form COLUMN=VALUE.", "Write it as branch=Busan (values comma-separated)."),
        "ko": ("필터 '{detail}'이(가) '열=값' 형식이 아닙니다.", "branch=Busan처럼 쓰고, 값이 여럿이면 쉼표로 구분해 주세요."),
        "zh": ("筛选条件“{detail}”不是“列=值”的格式。", "请写成 branch=Busan，多个值用逗号分隔。"),
    },
    "file_not_found": {
        "en": ("The file does not exist.", "Check the path."),
        "ko": ("파일이 없습니다.", "경로를 확인해 주세요."),
        "zh": ("文件不存在。", "请检查路径。"),
    },
}}

MESSAGES = {**MESSAGES, **{
    "drivers_no_outcome": {
        "en": ("The study has no '{outcome}' column (outcomes found: {outcomes}).", "Map an outcome column on the Data page."),
        "ko": ("이 조사에는 '{outcome}' 열이 없습니다(확인된 성과 변수: {outcomes}).", "데이터 화면에서 성과 변수 열을 지정해 주세요."),
        "zh": ("本调查没有“{outcome}”列（已有结果变量：{outcomes}）。", "请在数据页指定结果变量列。"),
    },
    "drivers_no_predictors": {
        "en": ("The {model} model needs a score on every dimension.", "Check that every dimension has its item columns."),
        "ko": ("{model} 모형에는 모든 차원의 점수가 필요합니다.", "모든 차원의 문항 열이 있는지 확인해 주세요."),
        "zh": ("{model} 模型需要每个维度的得分。", "请检查每个维度是否都有题目列。"),
    },
    "drivers_too_few_rows": {
        "en": ("Only {n} complete respondents for {predictors} predictors: too few to fit the model.",
               "Widen the segment selection, or answer more items."),
        "ko": ("예측 변수 {predictors}개에 완전한 응답자가 {n}명뿐이라 모형을 추정할 수 없습니다.", "세그먼트 범위를 넓혀 주세요."),
        "zh": ("{predictors} 个预测变量只有 {n} 位完整作答的受访者，无法拟合模型。", "请扩大细分范围。"),
    },
    "drivers_constant_predictor": {
        "en": ("Every respondent has the same score here, so its effect cannot be estimated.",
               "Widen the selection, or leave this dimension out."),
        "ko": ("모든 응답자의 점수가 같아 효과를 추정할 수 없습니다.", "선택 범위를 넓히거나 이 차원을 빼 주세요."),
        "zh": ("所有受访者在此的得分相同，无法估计其影响。", "请扩大范围，或去掉该维度。"),
    },
    "drivers_constant_outcome": {
        "en": ("Every respondent gave the same outcome answer: there is nothing to explain.", "Widen the selection."),
        "ko": ("모든 응답자의 성과 변수 값이 같아 설명할 것이 없습니다.", "선택 범위를 넓혀 주세요."),
        "zh": ("所有受访者的结果变量取值相同，没有可解释的差异。", "请扩大选择范围。"),
    },
    "drivers_collinear": {
        "en": ("The predictors are perfectly collinear ({predictors}): one is a combination of the others.",
               "Drop a segment control or a dimension."),
        "ko": ("예측 변수가 완전한 공선성을 보입니다({predictors}). 하나가 다른 변수들의 조합입니다.", "세그먼트 통제 변수나 차원 하나를 빼 주세요."),
        "zh": ("预测变量完全共线（{predictors}）：其中一个是其他变量的组合。", "请去掉一个细分控制变量或维度。"),
    },
    "drivers_separation": {
        "en": ("The gaps separate kept and lost customers perfectly, so the logit model has no finite estimate.",
               "Widen the selection; with so clean a split, report the split itself."),
        "ko": ("갭이 유지 고객과 이탈 고객을 완벽히 가르므로 로짓 모형의 추정치가 발산합니다.", "선택 범위를 넓혀 주세요."),
        "zh": ("差距把留存与流失顾客完全分开，logit 模型无法得到有限的估计。", "请扩大选择范围。"),
    },
    "drivers_not_converged": {
        "en": ("The model for {outcome} did not converge.", "Widen the selection or use fewer segment controls."),
        "ko": ("{outcome} 모형이 수렴하지 않았습니다.", "선택 범위를 넓히거나 세그먼트 통제 변수를 줄여 주세요."),
        "zh": ("{outcome} 模型未收敛。", "请扩大选择范围或减少细分控制变量。"),
    },
    "drivers_too_many_predictors": {
        "en": ("{predictors} predictors: the exact Shapley decomposition handles at most {limit}.", "Use fewer dimensions."),
        "ko": ("예측 변수가 {predictors}개입니다. 정확한 섀플리 분해는 {limit}개까지 가능합니다.", "차원 수를 줄여 주세요."),
        "zh": ("共 {predictors} 个预测变量，精确 Shapley 分解最多支持 {limit} 个。", "请减少维度。"),
    },
    "drivers_no_predictor": {
        "en": ("'{column}' is not a predictor of this model.", "Choose one of the model's dimensions."),
        "ko": ("'{column}'은(는) 이 모형의 예측 변수가 아닙니다.", "모형에 있는 차원 중에서 골라 주세요."),
        "zh": ("“{column}”不是该模型的预测变量。", "请从模型的维度中选择。"),
    },
}}

CELL_COUNT_WORDS: Mapping[str, str] = {
    "en": " ({cells} cells in this column, rows {rows}; values such as {examples})",
    "ko": " (이 열에서 {cells}개 셀, {rows}행 등; 값 예: {examples})",
    "zh": "（此列共 {cells} 个单元格，第 {rows} 行等；值如 {examples}）",
}

WHERE_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {"file": "file {}", "sheet": "sheet {}", "row": "row {}", "column": "column {}", "sep": ", "},
    "ko": {"file": "파일 {}", "sheet": "시트 {}", "row": "{}행", "column": "열 {}", "sep": ", "},
    "zh": {"file": "文件 {}", "sheet": "工作表 {}", "row": "第 {} 行", "column": "列 {}", "sep": "，"},
}


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _entry(key: str, lang: str) -> tuple[str, str]:
    entry = MESSAGES.get(key)
    if entry is None:
        return (key, "")
    return entry.get(lang) or entry["en"]


def where(problem: Problem, lang: str = "en") -> str:
    """The location as a short phrase: 'file a.csv, sheet customers, row 12, column E3'."""
    words = WHERE_WORDS.get(lang, WHERE_WORDS["en"])
    parts = [words[f].format(getattr(problem, f)) for f in ("file", "sheet", "row", "column")
             if getattr(problem, f) not in (None, "")]
    return words["sep"].join(parts)


def render(problem: Problem, lang: str = "en") -> tuple[str, str]:
    """(what is wrong, what to do) for a problem, in the given language."""
    what, todo = _entry(problem.key, lang)
    values: dict[str, Any] = _Defaults(
        {f: getattr(problem, f) for f in ("file", "sheet", "row", "column") if getattr(problem, f) is not None}
    )
    values.update(problem.values)
    what = what.format_map(values)
    if int(problem.values.get("cells", 1)) > 1:  # one problem standing for many cells of a column
        what += CELL_COUNT_WORDS.get(lang, CELL_COUNT_WORDS["en"]).format_map(values)
    return what, todo.format_map(values)


def render_line(problem: Problem, lang: str = "en") -> str:
    """One line for a console: severity, where, what, what to do."""
    what, todo = render(problem, lang)
    location = where(problem, lang)
    return " ".join(part for part in (f"[{problem.severity}]", f"{location}:" if location else "", what, todo)
                    if part)
