"""Every label the app shows, in English, Korean and Chinese.

``t(key, lang, **values)`` looks a label up; a key missing in any language fails the test suite
(``tests/test_i18n.py``). Problem messages live in ``gapcore.messages`` (shared with the CLI).
"""

from __future__ import annotations

from collections.abc import Mapping

from gapcore.plaintext import visible

LANGUAGES: Mapping[str, str] = {"en": "English", "ko": "한국어", "zh": "中文"}

TEXT: Mapping[str, Mapping[str, str]] = {
    # navigation
    "nav_home": {"en": "Home", "ko": "홈", "zh": "首页"},
    "nav_data": {"en": "Data", "ko": "데이터", "zh": "数据"},
    "nav_method": {"en": "Method", "ko": "분석 방법", "zh": "方法说明"},
    # sidebar
    "language": {"en": "Language", "ko": "언어", "zh": "语言"},
    "active_study": {"en": "Study", "ko": "조사", "zh": "调查"},
    "demo_study": {"en": "Demo study (bank branches)", "ko": "데모 조사 (은행 지점)", "zh": "演示调查（银行网点）"},
    "respondents_n": {"en": "{n:,} respondents", "ko": "응답자 {n:,}명", "zh": "{n:,} 位受访者"},
    "filters": {"en": "Segments", "ko": "세그먼트", "zh": "细分"},
    "filter_all": {"en": "all", "ko": "전체", "zh": "全部"},
    "filter_left": {"en": "{n:,} of {total:,} respondents in the selection",
                    "ko": "선택 조건에 해당하는 응답자 {total:,}명 중 {n:,}명",
                    "zh": "所选范围：{total:,} 位受访者中的 {n:,} 位"},
    "clear_filters": {"en": "Clear segments", "ko": "세그먼트 초기화", "zh": "清除细分"},
    "min_cell": {"en": "Minimum cell size", "ko": "최소 셀 크기", "zh": "最小样本量"},
    "min_cell_help": {"en": "Groups with fewer respondents are held back, never shown or exported.",
                      "ko": "응답자가 이보다 적은 집단은 결과를 표시하거나 내보내지 않습니다.",
                      "zh": "受访者少于此数的组不显示、不导出。"},
    "use_weight": {"en": "Apply sampling weights", "ko": "표본 가중치 적용", "zh": "使用抽样权重"},
    "no_weight": {"en": "No weight column in this study", "ko": "이 조사에는 가중치 열이 없습니다", "zh": "本调查没有权重列"},
    "held_back": {"en": "Fewer than {min_cell} respondents in this selection: results are held back.",
                  "ko": "선택한 조건의 응답자가 {min_cell}명 미만이라 결과를 표시하지 않습니다.",
                  "zh": "所选范围内受访者少于 {min_cell} 位，结果不予显示。"},
    # home
    "home_title": {"en": "ServiceGap", "ko": "ServiceGap", "zh": "ServiceGap"},
    "home_tagline": {"en": "Where service falls short of what customers expect, and why.",
                     "ko": "고객 기대에 못 미치는 서비스가 어디에서, 왜 생기는지 보여 줍니다.",
                     "zh": "找出服务在哪里没达到顾客期望，以及原因何在。"},
    "home_intro": {
        "en": "The gap model compares what customers expect with what they perceive (gap 5) and traces the "
              "shortfall back through the company: what managers believe customers expect (gap 1), the "
              "standards they set (gap 2), what front-line staff deliver (gap 3) and what is promised and "
              "perceived (gap 4). Each step is measured from its own survey table, so the five gaps add up.",
        "ko": "갭 모델은 고객이 기대한 서비스와 실제로 인식한 서비스의 차이(갭 5)를 측정하고, 그 원인을 회사 안에서 "
              "단계별로 추적합니다. 경영진이 파악한 고객 기대(갭 1), 이를 반영한 서비스 기준(갭 2), 현장의 서비스 "
              "제공(갭 3), 고객에게 한 약속과 실제 인식의 차이(갭 4)입니다. 단계마다 별도의 설문 표로 측정하므로 "
              "네 갭을 더하면 갭 5가 됩니다.",
        "zh": "差距模型比较顾客的期望与实际感知（差距5），并在企业内部逐级追溯原因：管理层对顾客期望的认知（差距1）、"
              "据此制定的服务标准（差距2）、一线员工的服务交付（差距3），以及对外承诺与顾客感知之间的落差（差距4）。"
              "每一环都由各自的调查表测量，因此四个差距相加正好等于差距5。"},
    "diagram_title": {"en": "The five gaps", "ko": "다섯 가지 갭", "zh": "五个差距"},
    "level_E": {"en": "Expected service", "ko": "기대 서비스", "zh": "期望的服务"},
    "level_P": {"en": "Perceived service", "ko": "인식된 서비스", "zh": "感知的服务"},
    "level_M": {"en": "Management perception", "ko": "경영진이 파악한 고객 기대", "zh": "管理层认知的顾客期望"},
    "level_S": {"en": "Service standards", "ko": "서비스 기준", "zh": "服务标准"},
    "level_D": {"en": "Service delivery", "ko": "서비스 제공", "zh": "服务交付"},
    "level_C": {"en": "Promises to customers", "ko": "고객에 대한 약속", "zh": "对顾客的承诺"},
    "side_customer": {"en": "Customer", "ko": "고객", "zh": "顾客"},
    "side_provider": {"en": "Company", "ko": "회사", "zh": "企业"},
    "gap_1": {"en": "Gap 1 · knowledge", "ko": "갭 1 · 고객 이해", "zh": "差距1 · 认知"},
    "gap_2": {"en": "Gap 2 · standards", "ko": "갭 2 · 서비스 기준", "zh": "差距2 · 标准"},
    "gap_3": {"en": "Gap 3 · delivery", "ko": "갭 3 · 서비스 제공", "zh": "差距3 · 交付"},
    "gap_4": {"en": "Gap 4 · communication", "ko": "갭 4 · 커뮤니케이션", "zh": "差距4 · 沟通"},
    "gap_4_promise": {"en": "Promise check (gap 4)", "ko": "약속 점검 (갭 4)", "zh": "承诺核对（差距4）"},
    "respondents": {"en": "Respondents", "ko": "응답자", "zh": "受访者"},
    "gap_5": {"en": "Gap 5 · customer gap", "ko": "갭 5 · 고객 갭", "zh": "差距5 · 顾客差距"},
    "home_loaded": {"en": "Loaded: {name}", "ko": "불러온 조사: {name}", "zh": "当前调查：{name}"},
    "home_overall": {"en": "Service quality (P − E, all dimensions)", "ko": "서비스 품질 (P − E, 전체 차원)",
                     "zh": "服务质量（P − E，全部维度）"},
    "home_largest": {"en": "Largest shortfall", "ko": "가장 큰 부족", "zh": "差距最大的维度"},
    "home_tables": {"en": "Survey tables", "ko": "설문 표", "zh": "调查表"},
    "home_next": {"en": "Where to go next", "ko": "다음 단계", "zh": "下一步"},
    "home_next_data": {"en": "Load your own survey files and check how they were read.",
                       "ko": "직접 조사한 설문 파일을 올리고 제대로 읽혔는지 확인합니다.",
                       "zh": "上传你自己的调查文件，并检查读取是否正确。"},
    "home_next_method": {"en": "How every figure is computed.", "ko": "각 수치를 어떻게 계산하는지 설명합니다.",
                         "zh": "各项数字的计算方法。"},
    "home_chain_reading": {"en": "Across the company, customers perceive {gap5:+.2f} points against what they "
                                 "expect; the largest single step is {step} ({value:+.2f}).",
                           "ko": "회사 전체로 보면 고객 인식이 기대보다 {gap5:+.2f}점 차이 나며, 단계 중 가장 큰 것은 "
                                 "{step}({value:+.2f})입니다.",
                           "zh": "就全公司而言，顾客感知与期望相差 {gap5:+.2f} 分；其中最大的一环是{step}（{value:+.2f}）。"},
    # dimensions
    "dim_tangibles": {"en": "Tangibles", "ko": "유형성", "zh": "有形性"},
    "dim_reliability": {"en": "Reliability", "ko": "신뢰성", "zh": "可靠性"},
    "dim_responsiveness": {"en": "Responsiveness", "ko": "대응성", "zh": "响应性"},
    "dim_assurance": {"en": "Assurance", "ko": "확신성", "zh": "保证性"},
    "dim_empathy": {"en": "Empathy", "ko": "공감성", "zh": "移情性"},
    # data page
    "data_title": {"en": "Data", "ko": "데이터", "zh": "数据"},
    "data_intro": {"en": "Upload the files your survey tool or Excel exported, as they are: one workbook with a "
                         "sheet per table, or one file per table. Nothing is stored: the data stays in this "
                         "browser session.",
                   "ko": "설문 도구나 엑셀에서 내보낸 파일을 그대로 올리세요. 표마다 시트가 있는 통합 문서 하나도 되고, "
                         "표마다 파일을 따로 올려도 됩니다. 파일은 저장되지 않고 이 브라우저 세션에만 머뭅니다.",
                   "zh": "直接上传问卷工具或 Excel 导出的文件：可以是一个每张表一个工作表的工作簿，也可以每张表一个文件。"
                         "文件不会被保存，数据只留在当前浏览器会话中。"},
    "upload": {"en": "Survey files (CSV, TSV, Excel, SPSS, Parquet)", "ko": "설문 파일 (CSV, TSV, 엑셀, SPSS, Parquet)",
               "zh": "调查文件（CSV、TSV、Excel、SPSS、Parquet）"},
    "read_options": {"en": "Reading options", "ko": "읽기 옵션", "zh": "读取选项"},
    "encoding": {"en": "Encoding", "ko": "인코딩", "zh": "编码"},
    "delimiter": {"en": "Delimiter", "ko": "구분자", "zh": "分隔符"},
    "header_row": {"en": "Header row (0 = find it)", "ko": "머리글 행 (0 = 자동)", "zh": "表头行（0 = 自动查找）"},
    "scale": {"en": "Answer scale", "ko": "응답 척도", "zh": "答案量表"},
    "auto": {"en": "detect", "ko": "자동 감지", "zh": "自动识别"},
    "load_files": {"en": "Read the files", "ko": "파일 읽기", "zh": "读取文件"},
    "loaded": {"en": "Read {count} file(s), {size}", "ko": "파일 {count}개({size})를 읽었습니다",
               "zh": "已读取 {count} 个文件（{size}）"},
    "load_stopped": {"en": "{count} file(s), {size}: not usable", "ko": "파일 {count}개({size}): 사용할 수 없음",
                     "zh": "{count} 个文件（{size}）：无法使用"},
    "loading": {"en": "Reading {count} file(s), {size}…", "ko": "파일 {count}개({size}) 읽는 중…",
                "zh": "正在读取 {count} 个文件（{size}）……"},
    "load_failed": {"en": "These files could not be used. The study already loaded is kept.",
                    "ko": "이 파일로는 분석할 수 없습니다. 기존에 불러온 조사는 그대로 유지됩니다.",
                    "zh": "这些文件无法使用。已载入的调查保持不变。"},
    "load_ok": {"en": "Loaded {n:,} respondents.", "ko": "응답자 {n:,}명을 불러왔습니다.", "zh": "已载入 {n:,} 位受访者。"},
    "use_demo": {"en": "Back to the demo study", "ko": "데모 조사로 돌아가기", "zh": "返回演示调查"},
    "detected": {"en": "What was found", "ko": "인식 결과", "zh": "识别结果"},
    "sources": {"en": "Tables read", "ko": "읽은 표", "zh": "已读取的表"},
    "col_table": {"en": "table", "ko": "표", "zh": "表"},
    "col_file": {"en": "file", "ko": "파일", "zh": "文件"},
    "col_sheet": {"en": "sheet", "ko": "시트", "zh": "工作表"},
    "col_encoding": {"en": "encoding", "ko": "인코딩", "zh": "编码"},
    "col_delimiter": {"en": "delimiter", "ko": "구분자", "zh": "分隔符"},
    "col_header_row": {"en": "header row", "ko": "머리글 행", "zh": "表头行"},
    "col_rows": {"en": "rows", "ko": "행 수", "zh": "行数"},
    "col_columns": {"en": "columns", "ko": "열 수", "zh": "列数"},
    "col_column": {"en": "column", "ko": "열", "zh": "列"},
    "col_role": {"en": "role", "ko": "역할", "zh": "角色"},
    "col_item": {"en": "item", "ko": "문항", "zh": "题号"},
    "col_dimension": {"en": "dimension", "ko": "차원", "zh": "维度"},
    "col_severity": {"en": "severity", "ko": "구분", "zh": "级别"},
    "col_where": {"en": "where", "ko": "위치", "zh": "位置"},
    "col_what": {"en": "what", "ko": "내용", "zh": "问题"},
    "col_todo": {"en": "what to do", "ko": "조치", "zh": "处理方法"},
    "scale_found": {"en": "Scale: {low}–{high}", "ko": "척도: {low}~{high}점", "zh": "量表：{low}–{high} 分"},
    "outcomes_found": {"en": "Outcomes: {names}", "ko": "성과 변수: {names}", "zh": "结果变量：{names}"},
    "segments_found": {"en": "Segments: {names}", "ko": "세그먼트: {names}", "zh": "细分变量：{names}"},
    "weight_found": {"en": "Sampling weight: {state}", "ko": "표본 가중치: {state}", "zh": "抽样权重：{state}"},
    "yes": {"en": "yes", "ko": "있음", "zh": "有"},
    "no": {"en": "no", "ko": "없음", "zh": "无"},
    "none": {"en": "none", "ko": "없음", "zh": "无"},
    "mapping": {"en": "Column mapping", "ko": "열 매핑", "zh": "列映射"},
    "mapping_help": {"en": "Correct any role or item number, then apply: the files are read again with your "
                           "mapping.", "ko": "역할이나 문항 번호를 고친 뒤 적용하면 수정한 매핑으로 파일을 다시 읽습니다.",
                     "zh": "修改角色或题号后点击应用，系统将按你的映射重新读取文件。"},
    "apply_mapping": {"en": "Apply the mapping", "ko": "매핑 적용", "zh": "应用映射"},
    "download_mapping": {"en": "Download the mapping (JSON)", "ko": "매핑 내려받기 (JSON)", "zh": "下载映射（JSON）"},
    "upload_mapping": {"en": "Mapping file (JSON or YAML)", "ko": "매핑 파일 (JSON 또는 YAML)", "zh": "映射文件（JSON 或 YAML）"},
    "mapping_demo_note": {"en": "The demo study's mapping is shown; upload files to edit a mapping.",
                          "ko": "데모 조사의 매핑입니다. 파일을 올리면 매핑을 수정할 수 있습니다.",
                          "zh": "这里显示的是演示调查的映射；上传文件后即可修改。"},
    "validation": {"en": "Checks", "ko": "점검 결과", "zh": "检查结果"},
    "validation_clean": {"en": "No problems found.", "ko": "문제가 없습니다.", "zh": "未发现问题。"},
    "severity_error": {"en": "error", "ko": "오류", "zh": "错误"},
    "severity_warning": {"en": "warning", "ko": "주의", "zh": "警告"},
    "severity_info": {"en": "note", "ko": "참고", "zh": "提示"},
    "preview": {"en": "Preview (first 50 respondents)", "ko": "미리 보기 (응답자 50명)", "zh": "预览（前 50 位受访者）"},
    "counts": {"en": "Rows per table", "ko": "표별 행 수", "zh": "各表行数"},
    "template": {"en": "Download the blank template (Excel)", "ko": "빈 템플릿 내려받기 (엑셀)", "zh": "下载空白模板（Excel）"},
    "download_rows": {"en": "Download the cleaned customer rows (CSV)", "ko": "정리된 고객 응답 내려받기 (CSV)",
                      "zh": "下载整理后的客户数据（CSV）"},
    "na_codes": {"en": "'Not applicable' codes", "ko": "'해당 없음' 코드", "zh": "“不适用”编码"},
    "na_codes_help": {"en": "Answers read as missing, e.g. 0, 99, N/A. Empty: detected; 'none': no codes.",
                      "ko": "결측으로 처리할 응답입니다(예: 0, 99, 해당 없음). 비워 두면 자동 감지, 'none'은 사용 안 함.",
                      "zh": "按缺失处理的答案，如 0、99、不适用。留空则自动识别，填 none 表示不使用。"},
    "mapping_needed": {"en": "Map the columns of {name}", "ko": "{name}의 열 지정", "zh": "为 {name} 指定各列用途"},
    "mapping_needed_help": {
        "en": "Every column of the file is listed with its question text, sample answers and range. Set what "
              "each one holds, then read the file with this mapping. The study already loaded stays until then.",
        "ko": "파일의 모든 열을 질문 내용, 응답 예시, 값 범위와 함께 보여 줍니다. 열마다 역할을 정한 뒤 이 매핑으로 "
              "파일을 읽어 주세요. 그 전까지는 기존에 불러온 조사가 그대로 유지됩니다.",
        "zh": "下表列出文件的每一列及其题目原文、答案示例和取值范围。请为每列指定用途，再按此映射读取文件。"
              "在此之前，已载入的调查保持不变。"},
    "confirm_proposal": {"en": "Read the proposed items as perceptions", "ko": "제안된 문항을 인식 문항으로 읽기",
                         "zh": "将建议的题项作为感知题读取"},
    "outcome_pick": {"en": "Overall {role} question", "ko": "전반적 {role} 질문", "zh": "总体{role}题"},
    "outcome_none": {"en": "none", "ko": "없음", "zh": "无"},
    "bulk_title": {"en": "Set many columns at once", "ko": "여러 열 한꺼번에 지정", "zh": "批量指定多列"},
    "bulk_columns": {"en": "Columns, in item order", "ko": "열 (문항 순서대로 선택)", "zh": "列（按题号顺序选择）"},
    "bulk_role": {"en": "Role", "ko": "역할", "zh": "用途"},
    "bulk_start": {"en": "First item number", "ko": "첫 문항 번호", "zh": "起始题号"},
    "bulk_dimension": {"en": "Dimension (optional)", "ko": "차원 (선택)", "zh": "维度（可选）"},
    "bulk_apply": {"en": "Set these columns", "ko": "선택한 열에 적용", "zh": "应用到所选列"},
    "bulk_help": {"en": "Choose the expectation block, then the perception block in the same order: they pair by "
                          "order. Dimensions typed in the grid define the study's own instrument.",
                  "ko": "기대 문항 묶음을 고른 뒤 인식 문항 묶음을 같은 순서로 고르면 순서대로 짝이 지어집니다. "
                        "표에 입력한 차원이 이 조사의 문항 구성이 됩니다.",
                  "zh": "先选期望题组，再按相同顺序选感知题组，即按顺序配对。表中填写的维度即构成本调查自己的量表。"},
    "kind_whole": {"en": "whole numbers", "ko": "정수", "zh": "整数"},
    "kind_number": {"en": "numbers", "ko": "숫자", "zh": "数值"},
    "kind_text": {"en": "text", "ko": "텍스트", "zh": "文本"},
    "kind_date": {"en": "dates", "ko": "날짜", "zh": "日期"},
    "kind_empty": {"en": "empty", "ko": "빈 열", "zh": "空列"},
    "col_reverse": {"en": "reversed", "ko": "역문항", "zh": "反向题"},
    "pending_notice": {"en": "{name} is waiting for its column mapping; until it is done, this page shows the "
                             "study loaded before.",
                       "ko": "{name} 파일의 열 지정이 끝나지 않았습니다. 지정을 마칠 때까지 이 화면에는 이전에 불러온 "
                             "조사가 표시됩니다.",
                       "zh": "{name} 尚未完成列映射；完成之前，本页显示的是之前载入的调查。"},
    "pending_go": {"en": "Map its columns on the Data page", "ko": "데이터 화면에서 열 지정하기", "zh": "前往数据页指定列"},
    "dimension_rename": {"en": "Dimension to rename", "ko": "이름을 바꿀 차원", "zh": "要重命名的维度"},
    "dimension_new_name": {"en": "New name (an existing one merges them)", "ko": "새 이름 (기존 차원 이름이면 합쳐짐)",
                           "zh": "新名称（与已有维度同名则合并）"},
    "dimension_rename_apply": {"en": "Rename", "ko": "이름 바꾸기", "zh": "重命名"},
    "map_col_text": {"en": "question text", "ko": "질문 내용", "zh": "题目原文"},
    "map_col_samples": {"en": "sample answers", "ko": "응답 예시", "zh": "答案示例"},
    "map_col_kind": {"en": "type", "ko": "형식", "zh": "类型"},
    "map_col_range": {"en": "range", "ko": "범위", "zh": "范围"},
    "mapping_offered": {"en": "These columns match the mapping of your previous upload, so it was applied.",
                        "ko": "이전에 올린 파일과 열 구성이 같아 그때의 매핑을 적용했습니다.",
                        "zh": "这些列与上次上传的文件一致，已沿用上次的映射。"},
    "read_as_detected": {"en": "Read as detected instead", "ko": "자동 감지대로 다시 읽기", "zh": "改按自动识别读取"},
    "role_E": {"en": "expectation", "ko": "기대", "zh": "期望"},
    "role_P": {"en": "perception", "ko": "인식", "zh": "感知"},
    "role_A": {"en": "adequate level", "ko": "최소 허용 수준", "zh": "最低可接受水平"},
    "role_I": {"en": "importance", "ko": "중요도", "zh": "重要性"},
    "role_M": {"en": "management estimate", "ko": "경영진 추정", "zh": "管理层估计"},
    "role_S": {"en": "standard", "ko": "서비스 기준", "zh": "服务标准"},
    "role_D": {"en": "delivered", "ko": "제공 수준", "zh": "交付水平"},
    "role_C": {"en": "promised", "ko": "약속 수준", "zh": "承诺水平"},
    "role_satisfaction": {"en": "satisfaction", "ko": "만족도", "zh": "满意度"},
    "role_retention": {"en": "retention", "ko": "고객 유지", "zh": "留存"},
    "role_recommend": {"en": "recommend (0–10)", "ko": "추천 의향 (0~10)", "zh": "推荐意愿（0–10）"},
    "role_weight": {"en": "sampling weight", "ko": "표본 가중치", "zh": "抽样权重"},
    "role_points": {"en": "importance points", "ko": "중요도 배분 점수", "zh": "重要性分配分"},
    "role_id": {"en": "respondent id", "ko": "응답자 ID", "zh": "受访者编号"},
    "role_wave": {"en": "wave / date", "ko": "조사 차수 / 날짜", "zh": "调查轮次 / 日期"},
    "role_segment": {"en": "segment", "ko": "세그먼트", "zh": "细分"},
    "role_ignore": {"en": "not used", "ko": "사용 안 함", "zh": "不使用"},
    "table_customers": {"en": "customers", "ko": "고객", "zh": "客户"},
    "table_management": {"en": "management", "ko": "경영진", "zh": "管理层"},
    "table_standards": {"en": "standards", "ko": "서비스 기준", "zh": "服务标准"},
    "table_delivery": {"en": "delivery", "ko": "서비스 제공", "zh": "服务交付"},
    "table_communications": {"en": "communications", "ko": "커뮤니케이션", "zh": "对外沟通"},
    # method page
    "method_title": {"en": "Method", "ko": "분석 방법", "zh": "方法说明"},
}

METHOD: Mapping[str, str] = {
    "en": """
### The model
ServiceGap follows the service-quality gap model of Parasuraman, Zeithaml and Berry (1985) and its
SERVQUAL questionnaire (1988, revised 1991): 22 statements in five dimensions — tangibles,
reliability, responsiveness, assurance and empathy — each answered twice, once for what an excellent
company *should* do (expectation, E) and once for what this company *does* (perception, P).

| gap | measured as | a negative value means |
| --- | --- | --- |
| gap 1 · knowledge | management's estimate of expectations − customers' expectations (M − E) | managers underestimate what customers expect |
| gap 2 · standards | service standard − management's estimate (S − M) | standards are set below what managers know customers want |
| gap 3 · delivery | delivered level − standard (D − S) | front-line delivery misses the standard |
| gap 4 · communication | perceived − delivered (P − D), checked against delivered − promised (D − C) | customers see less than was delivered; promises run ahead of delivery |
| gap 5 · customer gap | perceived − expected (P − E) | customers get less than they expect |

Because each gap is one step of the chain E → M → S → D → P, the four company gaps add up exactly to
the customer gap. When a table is missing, its level is not guessed: the two steps around it are shown
as one merged step.

### From answers to scores
- Reverse-worded items are flipped on the scale before anything else.
- A respondent's score on a dimension is the mean of the items they answered there; anyone who answered
  fewer than half of a dimension's items has no score for it. "Don't know" and "not applicable" are
  missing, never zero.
- Expectation, perception and gap of an item or a dimension use the same respondents (those with both),
  so the mean gap is exactly mean P − mean E.
- Overall service quality is the mean of the dimension gaps; the weighted version weights each
  respondent's dimension gaps by their own importance points (or importance ratings).
- Provider levels (M, S, D, C) of a dimension are the mean of its item means. A provider table that shares
  a segment column (for example `branch`) is filtered with the customers; one without it counts company-wide.

### Statistics
- Every figure carries its n. With sampling weights, means are weighted and standard errors use the
  survey linearisation formula; the effective sample size (Kish) sets the degrees of freedom.
- 95% confidence intervals use Student's t. P against E is tested per item and dimension with the paired
  t test and the Wilcoxon signed-rank test (normal approximation, tie-corrected); effect size is d_z.
- Reliability: Cronbach's alpha for E and for P per dimension on the respondents who answered every item,
  with item-rest correlations and alpha if an item is deleted. Alpha below .70 is flagged.
- Segments are compared with Welch's ANOVA and the Kruskal-Wallis test; pairs with Welch t tests,
  adjusted by Holm (letters) and by Benjamini-Hochberg.
- A group with fewer respondents than the minimum cell size is held back everywhere; if only one group
  would be held back, the next smallest is held back too, so it cannot be worked out from the total.
""",
    "ko": """
### 모델
ServiceGap은 Parasuraman, Zeithaml, Berry(1985)의 서비스 품질 갭 모델과 SERVQUAL 설문(1988, 1991년 개정)을
따릅니다. 22개 문항은 유형성, 신뢰성, 대응성, 확신성, 공감성의 다섯 차원으로 나뉘며, 응답자는 각 문항에 두 번
답합니다. 한 번은 훌륭한 회사라면 *어떻게 해야 하는지*(기대, E), 또 한 번은 이 회사가 *실제로 어떤지*(인식, P)입니다.

| 갭 | 계산 | 음수이면 |
| --- | --- | --- |
| 갭 1 · 고객 이해 | 경영진이 추정한 고객 기대 − 고객 기대 (M − E) | 경영진이 고객 기대를 낮게 보고 있음 |
| 갭 2 · 서비스 기준 | 서비스 기준 − 경영진 추정 (S − M) | 경영진이 아는 고객 기대보다 기준이 낮게 잡혀 있음 |
| 갭 3 · 서비스 제공 | 실제 제공 수준 − 기준 (D − S) | 현장에서 기준만큼 서비스하지 못함 |
| 갭 4 · 커뮤니케이션 | 인식 − 제공 (P − D), 제공 − 약속(D − C)으로 확인 | 제공한 만큼 고객이 느끼지 못함, 약속이 실제보다 앞서 있음 |
| 갭 5 · 고객 갭 | 인식 − 기대 (P − E) | 고객이 기대보다 못한 서비스를 받음 |

각 갭은 E → M → S → D → P로 이어지는 사슬의 한 단계이므로, 회사 쪽 네 갭의 합은 고객 갭과 정확히 같습니다. 어떤
표가 없으면 그 수준을 추측하지 않고, 앞뒤 두 단계를 하나로 합쳐 보여 줍니다.

### 응답에서 점수까지
- 역문항은 다른 계산보다 먼저 척도를 뒤집어 처리합니다.
- 응답자의 차원 점수는 그 차원에서 답한 문항의 평균입니다. 차원 문항의 절반 미만에 답한 응답자는 그 차원 점수가
  없습니다. '모름', '해당 없음'은 0이 아니라 결측으로 처리합니다.
- 문항과 차원의 기대·인식·갭은 둘 다 답한 같은 응답자로 계산하므로, 평균 갭은 인식 평균 − 기대 평균과 정확히 같습니다.
- 전체 서비스 품질은 차원별 갭의 평균입니다. 가중 SERVQUAL은 응답자가 직접 배분한 중요도 점수(또는 중요도 평가)로 각
  응답자의 차원 갭에 가중치를 줍니다.
- 회사 쪽 수준(M, S, D, C)의 차원 값은 해당 문항 평균들의 평균입니다. 세그먼트 열(예: `branch`)을 함께 가진 표는 고객과
  같은 조건으로 걸러지고, 그 열이 없는 표는 회사 전체 값으로 씁니다.

### 통계
- 모든 수치에 표본 수(n)를 함께 표시합니다. 표본 가중치가 있으면 가중 평균을 쓰고, 표준오차는 조사 자료용 선형화
  공식으로 구하며, 자유도는 Kish의 유효 표본 수로 정합니다.
- 95% 신뢰구간은 t 분포를 씁니다. 문항과 차원마다 인식과 기대를 대응표본 t 검정과 윌콕슨 부호순위 검정(정규근사,
  동순위 보정)으로 비교하고, 효과 크기는 d_z입니다.
- 신뢰도: 차원별로 기대와 인식 각각의 크론바흐 알파를 모든 문항에 답한 응답자로 계산하고, 문항-나머지 상관과 문항
  제거 시 알파를 함께 보여 줍니다. 알파가 .70 미만이면 표시합니다.
- 세그먼트 간 비교는 웰치 분산분석과 크러스컬-월리스 검정으로, 쌍별 비교는 웰치 t 검정으로 하며 홀름(문자 표시)과
  벤야미니-호크버그 방법으로 보정합니다.
- 응답자가 최소 셀 크기보다 적은 집단은 어디에서도 보여 주지 않습니다. 숨겨지는 집단이 하나뿐이면 전체에서 빼서 역산할
  수 없도록 그다음으로 작은 집단도 함께 숨깁니다.
""",
    "zh": """
### 模型
ServiceGap 采用 Parasuraman、Zeithaml 和 Berry（1985）提出的服务质量差距模型及其 SERVQUAL 问卷（1988，1991 年修订）：
22 道题分属有形性、可靠性、响应性、保证性和移情性五个维度。每道题回答两次：一次是优秀的企业*应当*做到什么（期望，E），
一次是这家企业*实际*做得怎样（感知，P）。

| 差距 | 计算方式 | 为负值时表示 |
| --- | --- | --- |
| 差距1 · 认知 | 管理层估计的顾客期望 − 顾客期望（M − E） | 管理层低估了顾客的期望 |
| 差距2 · 标准 | 服务标准 − 管理层估计（S − M） | 标准定得低于管理层所了解的顾客需求 |
| 差距3 · 交付 | 实际交付水平 − 标准（D − S） | 一线服务没有达到标准 |
| 差距4 · 沟通 | 感知 − 交付（P − D），并以交付 − 承诺（D − C）核对 | 顾客感受到的少于实际交付；承诺超出了交付能力 |
| 差距5 · 顾客差距 | 感知 − 期望（P − E） | 顾客得到的服务低于期望 |

每个差距都是 E → M → S → D → P 这条链上的一环，所以企业内部四个差距之和恰好等于顾客差距。缺少某张表时不会凭空估计
该水平，而是把它前后两环合并为一环显示。

### 从答案到得分
- 反向题在其他计算之前先在量表上反转。
- 受访者在某个维度上的得分是其在该维度已答题目的平均值；答题不足该维度一半的，该维度无得分。"不知道""不适用"按缺失
  处理，不计为零。
- 题目和维度的期望、感知与差距都使用两者都作答的同一批受访者，因此平均差距正好等于感知均值 − 期望均值。
- 总体服务质量是各维度差距的平均值；加权 SERVQUAL 用每位受访者自己分配的重要性分值（或重要性评分）对其各维度差距加权。
- 企业一方（M、S、D、C）某维度的水平是该维度各题均值的平均。含有细分列（如 `branch`）的表会随顾客一同筛选，不含该列的
  表按全公司计算。

### 统计方法
- 每个数字都标注样本量 n。有抽样权重时使用加权均值，标准误采用调查数据的线性化公式，自由度取 Kish 有效样本量。
- 95% 置信区间基于 t 分布。每道题和每个维度用配对 t 检验和 Wilcoxon 符号秩检验（正态近似，含结校正）比较感知与期望，
  效应量为 d_z。
- 信度：按维度分别计算期望和感知的 Cronbach α（仅用全部题目都作答的受访者），并给出题目—其余相关和删除该题后的 α。
  α 低于 .70 时标出。
- 细分比较采用 Welch 方差分析和 Kruskal-Wallis 检验，两两比较采用 Welch t 检验，并用 Holm 法（字母标注）和
  Benjamini-Hochberg 法校正。
- 受访者少于最小样本量的组在任何地方都不显示；如果只有一个组被隐藏，则同时隐藏次小的组，以免通过总数反推。
""",
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The label for ``key`` in ``lang`` (English when a language lacks it), formatted with ``values``."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def dimension_label(dimension: str, lang: str) -> str:
    """A default dimension's translated name; a custom instrument's dimension as written (hidden direction
    and zero-width characters made visible: it reaches charts, decks and readings)."""
    key = f"dim_{dimension}"
    return t(key, lang) if key in TEXT else visible(dimension.replace("_", " "))


TEXT = {**TEXT, **{
    "unexpected": {"en": "Something went wrong while drawing this page ({kind}). Your data is still loaded; "
                         "try another setting, or reload the page.",
                   "ko": "화면을 그리는 중 문제가 생겼습니다({kind}). 불러온 데이터는 그대로 있으니 설정을 바꾸거나 "
                         "페이지를 새로 고쳐 주세요.",
                   "zh": "绘制此页面时出现问题（{kind}）。已载入的数据仍然保留，请更换设置或刷新页面。"},
    "step_name_gap1": {"en": "gap 1 (knowledge)", "ko": "갭 1(고객 이해)", "zh": "差距1（认知）"},
    "step_name_gap2": {"en": "gap 2 (standards)", "ko": "갭 2(서비스 기준)", "zh": "差距2（标准）"},
    "step_name_gap3": {"en": "gap 3 (delivery)", "ko": "갭 3(서비스 제공)", "zh": "差距3（交付）"},
    "step_name_gap4": {"en": "gap 4 (communication)", "ko": "갭 4(커뮤니케이션)", "zh": "差距4（沟通）"},
    "step_merged": {"en": "{names} (merged: a table is missing)", "ko": "{names}(표가 없어 합산)",
                    "zh": "{names}（缺表，已合并）"},
    "only_customers": {"en": "Only the customer table is loaded, so gap 5 is shown alone. Add management, "
                             "standards, delivery and communications sheets (see the template on the Data page) "
                             "to trace it to gaps 1–4.",
                       "ko": "고객 표만 있어 갭 5만 보여 줍니다. 경영진·서비스 기준·서비스 제공·커뮤니케이션 시트를 "
                             "추가하면(데이터 화면의 템플릿 참고) 갭 1~4까지 추적할 수 있습니다.",
                       "zh": "目前只有客户表，因此只显示差距5。补充管理层、服务标准、服务交付和对外沟通工作表"
                             "（见数据页的模板）即可追溯到差距1–4。"},
    "answer_labels": {"en": "Answer labels", "ko": "응답 보기 문구", "zh": "选项文字"},
    "answer_labels_help": {"en": "Text answers are turned into numbers with this table. Add or correct a row, "
                                 "then apply: the files are read again.",
                           "ko": "텍스트로 된 응답은 이 표로 숫자로 바꿉니다. 행을 추가하거나 고친 뒤 적용하면 파일을 다시 읽습니다.",
                           "zh": "文字答案按此表转换为数字。添加或修改后点击应用，系统会重新读取文件。"},
    "col_label": {"en": "answer text", "ko": "응답 문구", "zh": "答案文字"},
    "col_value": {"en": "value", "ko": "값", "zh": "数值"},
    "apply_labels": {"en": "Apply the labels", "ko": "응답 문구 적용", "zh": "应用选项文字"},
    "perception_only_note": {"en": "This study has perceptions only (SERVPERF): gaps need expectations.",
                             "ko": "이 조사에는 인식 문항만 있습니다(SERVPERF). 갭을 구하려면 기대 문항이 필요합니다.",
                             "zh": "本调查只有感知题（SERVPERF）；计算差距需要期望题。"},
}}


TEXT = {**TEXT, **{
    "nav_dimensions": {"en": "Dimensions", "ko": "차원별 결과", "zh": "维度结果"},
    "nav_gaps": {"en": "Gap model", "ko": "갭 모델", "zh": "差距模型"},
    "series_E": {"en": "Expectation", "ko": "기대", "zh": "期望"},
    "series_P": {"en": "Perception", "ko": "인식", "zh": "感知"},
    "radar_title": {"en": "Expectation and perception by dimension ({low}–{high} scale)",
                    "ko": "차원별 기대와 인식 ({low}~{high}점 척도)", "zh": "各维度的期望与感知（{low}–{high} 分量表）"},
    "zone_note": {"en": "Grey band: zone of tolerance, from the adequate level to the desired level.",
                  "ko": "회색 띠: 허용 구간(최소 허용 수준부터 기대 수준까지)", "zh": "灰色带：容忍区间（从最低可接受水平到期望水平）"},
    "compare_by": {"en": "Compare segments by", "ko": "세그먼트 비교 기준", "zh": "按细分比较"},
    "compare_none": {"en": "no comparison", "ko": "비교 안 함", "zh": "不比较"},
    "compare_values": {"en": "Values (up to 6)", "ko": "비교할 값 (최대 6개)", "zh": "比较的取值（最多 6 个）"},
    "compare_layout": {"en": "Layout", "ko": "배치", "zh": "布局"},
    "layout_multiples": {"en": "one radar per segment", "ko": "세그먼트별 레이더", "zh": "每个细分一张雷达图"},
    "layout_overlay": {"en": "perceptions on one radar", "ko": "한 레이더에 인식 겹쳐 보기", "zh": "在一张雷达图上叠加感知"},
    "segment_n": {"en": "{value} (n = {n:,})", "ko": "{value} (n = {n:,})", "zh": "{value}（n = {n:,}）"},
    "segment_held": {"en": "{value}: held back (fewer than {min_cell})", "ko": "{value}: 표시 안 함({min_cell}명 미만)",
                     "zh": "{value}：不予显示（少于 {min_cell} 人）"},
    "items_title": {"en": "Items, biggest shortfalls first", "ko": "문항별 결과 (부족이 큰 순)", "zh": "各题结果（差距从大到小）"},
    "dumbbell_title": {"en": "Expectation vs perception per item", "ko": "문항별 기대와 인식", "zh": "各题的期望与感知"},
    "axis_scale": {"en": "answer scale", "ko": "응답 척도", "zh": "答案量表"},
    "col_E": {"en": "E", "ko": "기대", "zh": "期望"},
    "col_P": {"en": "P", "ko": "인식", "zh": "感知"},
    "col_gap": {"en": "gap (P − E)", "ko": "갭 (P − E)", "zh": "差距（P − E）"},
    "col_ci": {"en": "95% CI", "ko": "95% 신뢰구간", "zh": "95% 置信区间"},
    "col_p": {"en": "p (paired t)", "ko": "p (대응 t)", "zh": "p（配对 t）"},
    "col_sig": {"en": "sig.", "ko": "유의", "zh": "显著"},
    "col_n": {"en": "n", "ko": "n", "zh": "n"},
    "col_text": {"en": "statement", "ko": "문항 내용", "zh": "题目"},
    "reliability_title": {"en": "Reliability (Cronbach's alpha)", "ko": "신뢰도 (크론바흐 알파)", "zh": "信度（Cronbach α）"},
    "reliability_flag": {"en": "below .70", "ko": ".70 미만", "zh": "低于 .70"},
    "alpha_E": {"en": "alpha E", "ko": "알파 (기대)", "zh": "α（期望）"},
    "alpha_P": {"en": "alpha P", "ko": "알파 (인식)", "zh": "α（感知）"},
    "alpha_if_deleted": {"en": "alpha if item deleted", "ko": "문항 제거 시 알파", "zh": "删除该题后的 α"},
    "item_rest": {"en": "item-rest r", "ko": "문항-나머지 상관", "zh": "题目—其余相关"},
    "ipa_title": {"en": "Importance and performance", "ko": "중요도-성과 분석", "zh": "重要性—绩效分析"},
    "importance_stated_points": {"en": "importance (points out of 100)", "ko": "중요도 (100점 배분)",
                                 "zh": "重要性（100 分分配）"},
    "importance_stated_items": {"en": "importance (rating)", "ko": "중요도 (평가 점수)", "zh": "重要性（评分）"},
    "importance_derived": {"en": "importance (derived)", "ko": "중요도 (도출)", "zh": "重要性（推导）"},
    "performance": {"en": "perception", "ko": "인식", "zh": "感知"},
    "concentrate_here": {"en": "concentrate here", "ko": "집중 개선", "zh": "重点改进"},
    "keep_up_the_good_work": {"en": "keep up the good work", "ko": "현 수준 유지", "zh": "继续保持"},
    "low_priority": {"en": "low priority", "ko": "낮은 우선순위", "zh": "低优先级"},
    "possible_overkill": {"en": "possible overkill", "ko": "과잉 투자 가능", "zh": "可能过度投入"},
    "ipa_none": {"en": "No importance data (W_* points or I<k> items) in this study.",
                 "ko": "이 조사에는 중요도 자료(W_* 점수나 I<k> 문항)가 없습니다.",
                 "zh": "本调查没有重要性数据（W_* 分值或 I<k> 题）。"},
    "overall_title": {"en": "Overall scores", "ko": "종합 점수", "zh": "综合得分"},
    "overall_unweighted": {"en": "SERVQUAL (unweighted)", "ko": "SERVQUAL (비가중)", "zh": "SERVQUAL（未加权）"},
    "overall_weighted": {"en": "SERVQUAL (importance-weighted)", "ko": "SERVQUAL (중요도 가중)",
                         "zh": "SERVQUAL（重要性加权）"},
    "overall_servperf": {"en": "SERVPERF (perception)", "ko": "SERVPERF (인식)", "zh": "SERVPERF（感知）"},
    "filter_refused": {"en": "These filters from the link are not in this study and were left out: {values}.",
                       "ko": "링크에 있던 다음 필터는 이 조사에 없는 값이라 적용하지 않았습니다: {values}.",
                       "zh": "链接中的以下筛选条件在本调查中不存在，已忽略：{values}。"},
    "no_variation": {"en": "Every answer is the same: no interval and no test.",
                     "ko": "응답이 모두 같아 신뢰구간과 검정을 낼 수 없습니다.",
                     "zh": "所有答案都相同，无法给出置信区间和检验。"},
    "no_variation_items": {"en": "Items {items}: every answer is the same, so they have no interval and no test.",
                           "ko": "{items}번 문항은 응답이 모두 같아 신뢰구간과 검정이 없습니다.",
                           "zh": "第 {items} 题的答案全部相同，因此没有置信区间和检验。"},
    "alpha_undefined": {"en": "–: alpha cannot be computed here (fewer than two items, too few complete "
                              "answers, or answers that do not vary).",
                        "ko": "–: 여기서는 알파를 계산할 수 없습니다(문항이 2개 미만이거나, 모든 문항에 답한 응답자가 "
                              "너무 적거나, 응답이 모두 같음).",
                        "zh": "–：此处无法计算 alpha（题目少于两个、完整作答的受访者太少，或答案没有变化）。"},
    "ci_text": {"en": "95% CI {low:+.2f} to {high:+.2f}, n = {n:,}", "ko": "95% 신뢰구간 {low:+.2f} ~ {high:+.2f}, n = {n:,}",
                "zh": "95% 置信区间 {low:+.2f} 至 {high:+.2f}，n = {n:,}"},
    "needs_expectations": {"en": "This view needs expectation answers (E1, E2, …); the study has perceptions only.",
                           "ko": "이 화면에는 기대 문항(E1, E2, …) 응답이 필요합니다. 이 조사에는 인식 문항만 있습니다.",
                           "zh": "此视图需要期望题（E1、E2……）的答案；本调查只有感知题。"},
    # gap model page
    "waterfall_title": {"en": "From expectation to perception: where the gap arises",
                        "ko": "기대에서 인식까지: 갭이 생기는 단계", "zh": "从期望到感知：差距产生在哪一环"},
    "kind_level": {"en": "level", "ko": "수준", "zh": "水平"},
    "kind_up": {"en": "step up", "ko": "상승", "zh": "上升"},
    "kind_down": {"en": "step down", "ko": "하락", "zh": "下降"},
    "kind_total": {"en": "gap 5 (total)", "ko": "갭 5 (합계)", "zh": "差距5（合计）"},
    "wf_E": {"en": "Customer\nexpectation", "ko": "고객\n기대", "zh": "顾客\n期望"},
    "wf_P": {"en": "Customer\nperception", "ko": "고객\n인식", "zh": "顾客\n感知"},
    "wf_gap1": {"en": "Gap 1\nknowledge", "ko": "갭 1\n고객 이해", "zh": "差距1\n认知"},
    "wf_gap2": {"en": "Gap 2\nstandards", "ko": "갭 2\n서비스 기준", "zh": "差距2\n标准"},
    "wf_gap3": {"en": "Gap 3\ndelivery", "ko": "갭 3\n서비스 제공", "zh": "差距3\n交付"},
    "wf_gap4": {"en": "Gap 4\ncommunication", "ko": "갭 4\n커뮤니케이션", "zh": "差距4\n沟通"},
    "wf_gap5": {"en": "Gap 5\ntotal", "ko": "갭 5\n합계", "zh": "差距5\n合计"},
    "wf_merged": {"en": "Gaps {numbers}\n(merged)", "ko": "갭 {numbers}\n(합산)", "zh": "差距{numbers}\n（合并）"},
    "promise_check": {"en": "Promise check (delivered − promised): {value:+.2f}. {verdict}",
                      "ko": "약속 점검 (제공 − 약속): {value:+.2f}. {verdict}", "zh": "承诺核对（交付 − 承诺）：{value:+.2f}。{verdict}"},
    "promise_over": {"en": "Promises run ahead of what is delivered.", "ko": "약속이 실제 제공 수준보다 앞서 있습니다.",
                     "zh": "承诺超出了实际交付。"},
    "promise_ok": {"en": "Promises do not exceed delivery.", "ko": "약속이 제공 수준을 넘지 않습니다.", "zh": "承诺没有超出交付。"},
    "scope_note": {"en": "Company tables: {parts}.", "ko": "회사 쪽 표: {parts}.", "zh": "企业方数据表：{parts}。"},
    "scope_all": {"en": "{table} (all rows)", "ko": "{table} (전체)", "zh": "{table}（全部）"},
    "scope_segment": {"en": "{table} for the selected segment", "ko": "{table} (선택한 세그먼트)", "zh": "{table}（所选细分）"},
    "scope_company": {"en": "{table} company-wide (no shared segment column)", "ko": "{table} (공통 세그먼트 열이 없어 회사 전체)",
                      "zh": "{table}（无共同细分列，按全公司）"},
    "scope_empty": {"en": "{table}: no rows for this segment", "ko": "{table}: 이 세그먼트에 해당하는 행 없음",
                    "zh": "{table}：该细分没有数据"},
    "by_dimension": {"en": "By dimension", "ko": "차원별", "zh": "按维度"},
    "segment_vs_company": {"en": "A segment next to the whole company", "ko": "세그먼트와 회사 전체 비교",
                           "zh": "细分与全公司对比"},
    "pick_segment": {"en": "Segment", "ko": "세그먼트", "zh": "细分"},
    "whole_company": {"en": "Whole company", "ko": "회사 전체", "zh": "全公司"},
    "reading_title": {"en": "Reading", "ko": "해석", "zh": "解读"},
    "reading_main": {"en": "Customers perceive {gap5:+.2f} points against what they expect. The largest step is "
                           "{step} ({value:+.2f}), largest for {dimension} ({dim_value:+.2f}).",
                     "ko": "고객 인식은 기대보다 {gap5:+.2f}점 차이 납니다. 가장 큰 단계는 {step}({value:+.2f})이며, "
                           "{dimension} 차원에서 가장 큽니다({dim_value:+.2f}).",
                     "zh": "顾客感知与期望相差 {gap5:+.2f} 分。最大的一环是{step}（{value:+.2f}），在{dimension}维度上最为突出（{dim_value:+.2f}）。"},
    "reading_segment": {"en": "Among {column} values, {value} has the largest {step} ({seg_value:+.2f}, company "
                              "{company:+.2f}).",
                        "ko": "{column} 값 가운데 {value}의 {step}가 가장 큽니다({seg_value:+.2f}, 회사 전체 {company:+.2f}).",
                        "zh": "在各{column}中，{value}的{step}最大（{seg_value:+.2f}，全公司 {company:+.2f}）。"},
    "actions_title": {"en": "What to do", "ko": "개선 방향", "zh": "改进措施"},
    "actions_intro": {"en": "For the gaps that are largest in the data shown:", "ko": "지금 보고 있는 데이터에서 가장 큰 갭부터:",
                      "zh": "针对当前数据中最大的差距："},
    "action_heading": {"en": "{step}: {value:+.2f} (largest in {dimension}: {dim_value:+.2f})",
                       "ko": "{step}: {value:+.2f} (가장 큰 차원: {dimension} {dim_value:+.2f})",
                       "zh": "{step}：{value:+.2f}（最突出的维度：{dimension} {dim_value:+.2f}）"},
    "actions_gap1": {"en": "- Research what customers expect instead of assuming it: regular surveys, complaint analysis, "
                           "mystery shopping.\n- Segment customers and learn what each group expects.\n"
                           "- Build lasting relationships so that expectations are heard early.\n"
                           "- Let front-line staff report upward what customers ask for; cut layers between "
                           "managers and customers.",
                     "ko": "- 고객 기대를 짐작하지 말고 조사하세요: 정기 설문, 불만 분석, 미스터리 쇼핑.\n"
                           "- 고객을 세분화해 집단별 기대를 파악하세요.\n- 오래가는 관계를 만들어 기대를 일찍 들으세요.\n"
                           "- 현장 직원이 고객 요구를 위로 전달하게 하고, 경영진과 고객 사이의 단계를 줄이세요.",
                     "zh": "- 通过调查了解顾客期望，而不是凭猜测：定期问卷、投诉分析、神秘顾客。\n"
                           "- 细分顾客，弄清每类顾客的期望。\n- 建立长期关系，及早听到顾客的期望。\n"
                           "- 让一线员工把顾客需求向上反馈，减少管理层与顾客之间的层级。"},
    "actions_gap2": {"en": "- Write standards from the customer's side (response times, error rates customers "
                           "notice), not from internal convenience.\n- Leadership: make service quality a visible "
                           "priority with targets and follow-up.\n- Design the service process step by step "
                           "(service blueprint).\n- Fit the physical evidence (premises, materials, equipment) to "
                           "the standard.",
                     "ko": "- 내부 편의가 아니라 고객 관점에서 기준을 정하세요(고객이 체감하는 응답 시간, 오류율).\n"
                           "- 리더십: 목표와 점검으로 서비스 품질을 눈에 보이는 우선순위로 만드세요.\n"
                           "- 서비스 과정을 단계별로 설계하세요(서비스 블루프린트).\n"
                           "- 시설, 자료, 장비 등 물리적 증거를 기준에 맞추세요.",
                     "zh": "- 从顾客角度（顾客能感受到的响应时间、差错率）而不是内部方便出发制定标准。\n"
                           "- 领导层：用目标和跟进让服务质量成为看得见的优先事项。\n- 逐步设计服务流程（服务蓝图）。\n"
                           "- 让场所、资料、设备等有形展示与标准相匹配。"},
    "actions_gap3": {"en": "- Train staff in the skills and the standards they are asked to meet.\n"
                           "- Align HR policies: hiring, evaluation and rewards tied to the service standard.\n"
                           "- Build teamwork and give staff the support and authority to solve problems on "
                           "the spot.",
                     "ko": "- 직원이 지켜야 할 기준과 필요한 기술을 교육하세요.\n"
                           "- 채용, 평가, 보상 등 인사 제도를 서비스 기준과 연결하세요.\n"
                           "- 팀워크를 키우고, 현장에서 바로 문제를 해결할 수 있도록 지원과 권한을 주세요.",
                     "zh": "- 培训员工掌握所需技能和应达到的标准。\n- 让招聘、考核、激励等人事制度与服务标准挂钩。\n"
                           "- 加强团队协作，给员工现场解决问题的支持和授权。"},
    "actions_gap4": {"en": "- Promise what is delivered: check advertising, website and sales scripts against "
                           "what branches actually do.\n- Connect those who promise (marketing, sales) with those "
                           "who deliver (operations, front line) before campaigns go out.\n"
                           "- Tell customers what was done for them, so delivered quality is also perceived.",
                     "ko": "- 실제로 제공하는 만큼만 약속하세요. 광고, 홈페이지, 판매 스크립트를 지점의 실제 서비스와 대조하세요.\n"
                           "- 약속하는 부서(마케팅, 영업)와 제공하는 부서(운영, 현장)가 캠페인 전에 소통하게 하세요.\n"
                           "- 고객을 위해 한 일을 알려 제공한 품질이 고객에게도 인식되게 하세요.",
                     "zh": "- 只承诺能做到的：把广告、网站和销售话术与网点的实际服务逐一核对。\n"
                           "- 在活动推出前，让负责承诺的部门（市场、销售）和负责交付的部门（运营、一线）充分沟通。\n"
                           "- 告诉顾客为他们做了什么，让交付的质量也被感知到。"},
    "no_shortfall": {"en": "No step of the chain is a shortfall in the data shown.",
                     "ko": "지금 보고 있는 데이터에서는 부족한 단계가 없습니다.", "zh": "当前数据中没有出现差距为负的环节。"},
    "template_link": {"en": "Download the template on the Data page.", "ko": "템플릿은 데이터 화면에서 내려받을 수 있습니다.",
                      "zh": "模板可在数据页下载。"},
}}


TEXT = {**TEXT, **{
    "nav_drivers": {"en": "Drivers", "ko": "핵심 동인", "zh": "驱动因素"},
    "drivers_outcome": {"en": "Outcome", "ko": "성과 변수", "zh": "结果变量"},
    "drivers_none": {"en": "This study has no outcome column (satisfaction, retention or recommend).",
                     "ko": "이 조사에는 성과 변수 열(만족도, 고객 유지, 추천 의향)이 없습니다.",
                     "zh": "本调查没有结果变量列（满意度、留存或推荐意愿）。"},
    "model_ols": {"en": "Linear regression (OLS) with heteroskedasticity-robust HC3 errors",
                  "ko": "선형 회귀(OLS), 이분산에 강건한 HC3 표준오차", "zh": "线性回归（OLS），异方差稳健 HC3 标准误"},
    "model_logit": {"en": "Logistic regression (kept vs lost)", "ko": "로지스틱 회귀(유지 대 이탈)",
                    "zh": "Logistic 回归（留存 vs 流失）"},
    "fit_compare": {"en": "SERVQUAL (gaps) vs SERVPERF (perceptions)", "ko": "SERVQUAL(갭) 대 SERVPERF(인식)",
                    "zh": "SERVQUAL（差距）与 SERVPERF（感知）"},
    "fit_r2": {"en": "R²", "ko": "R²", "zh": "R²"},
    "fit_adj_r2": {"en": "adjusted R²", "ko": "수정 R²", "zh": "调整 R²"},
    "fit_pseudo_r2": {"en": "pseudo R²", "ko": "유사 R²", "zh": "伪 R²"},
    "fit_aic": {"en": "AIC", "ko": "AIC", "zh": "AIC"},
    "fit_auc": {"en": "AUC", "ko": "AUC", "zh": "AUC"},
    "coef_title": {"en": "Effect of each dimension's gap (95% CI)", "ko": "차원별 갭의 효과 (95% 신뢰구간)",
                   "zh": "各维度差距的影响（95% 置信区间）"},
    "coef_axis_ols": {"en": "change in the outcome per point of gap", "ko": "갭 1점당 성과 변수 변화",
                      "zh": "差距每 1 分带来的结果变化"},
    "coef_axis_logit": {"en": "log-odds per point of gap", "ko": "갭 1점당 로그 오즈", "zh": "差距每 1 分的对数优势"},
    "importance_title": {"en": "Key drivers: share of explained variance", "ko": "핵심 동인: 설명력 기여 비율",
                         "zh": "关键驱动因素：解释方差的占比"},
    "importance_axis": {"en": "share of R² (%), signed by the effect", "ko": "R² 기여 비율(%), 효과 방향 부호",
                        "zh": "R² 占比（%），按影响方向标正负"},
    "method_johnson": {"en": "Johnson's relative weight", "ko": "존슨 상대 가중치", "zh": "Johnson 相对权重"},
    "whatif_title": {"en": "What if a gap closes?", "ko": "갭을 줄이면?", "zh": "如果缩小差距？"},
    "whatif_dimension": {"en": "Dimension", "ko": "차원", "zh": "维度"},
    "whatif_amount": {"en": "Close the gap by (points)", "ko": "줄일 갭 (점)", "zh": "缩小差距（分）"},
    "whatif_ols": {"en": "Closing the {dimension} gap by {amount:.1f} points is associated with {change:+.2f} points "
                         "of {outcome} (95% CI {low:+.2f} to {high:+.2f}).",
                   "ko": "{dimension} 갭을 {amount:.1f}점 줄이면 {outcome}이(가) {change:+.2f}점 달라지는 것과 관련이 "
                         "있습니다(95% 신뢰구간 {low:+.2f} ~ {high:+.2f}).",
                   "zh": "将{dimension}差距缩小 {amount:.1f} 分，与{outcome}变化 {change:+.2f} 分相关"
                         "（95% 置信区间 {low:+.2f} 至 {high:+.2f}）。"},
    "whatif_logit": {"en": "Closing the {dimension} gap by {amount:.1f} points is associated with a {change:+.1%} "
                           "change in the share of customers kept (95% CI {low:+.1%} to {high:+.1%}).",
                     "ko": "{dimension} 갭을 {amount:.1f}점 줄이면 고객 유지 비율이 {change:+.1%} 달라지는 것과 관련이 "
                           "있습니다(95% 신뢰구간 {low:+.1%} ~ {high:+.1%}).",
                     "zh": "将{dimension}差距缩小 {amount:.1f} 分，与顾客留存比例变化 {change:+.1%} 相关"
                           "（95% 置信区间 {low:+.1%} 至 {high:+.1%}）。"},
    "drivers_reading": {"en": "{dimension} is the strongest driver of {outcome}: {share:.0f}% of the explained "
                              "variance ({model}).",
                        "ko": "{outcome}에 가장 큰 영향을 주는 동인은 {dimension}입니다. 설명된 분산의 {share:.0f}%를 "
                              "차지합니다({model}).",
                        "zh": "{dimension}是{outcome}最强的驱动因素，占已解释方差的 {share:.0f}%（{model}）。"},
    "promised_level": {"en": "promised {value:.2f}", "ko": "약속 {value:.2f}", "zh": "承诺 {value:.2f}"},
    "drivers_controls": {"en": "Segment controls (fixed effects)", "ko": "세그먼트 통제 변수 (고정 효과)",
                         "zh": "细分控制变量（固定效应）"},
    "drivers_tables": {"en": "Full tables", "ko": "전체 표", "zh": "完整表格"},
    "drivers_n": {"en": "n used {n:,}; left out: {dropped}", "ko": "사용 n {n:,}; 제외: {dropped}",
                  "zh": "使用样本 {n:,}；剔除：{dropped}"},
    "ordinal_title": {"en": "Ordinal logit (satisfaction levels)", "ko": "순서형 로짓 (만족도 수준)",
                      "zh": "有序 logit（满意度等级）"},
    "classification_title": {"en": "Classification (cut at 0.5)", "ko": "분류표 (기준 0.5)", "zh": "分类表（阈值 0.5）"},
}}

# segments, tracking, exports, presentation view
TEXT = {**TEXT, **{
    "nav_segments": {"en": "Segments", "ko": "세그먼트 비교", "zh": "细分比较"},
    "nav_report": {"en": "Report", "ko": "보고서", "zh": "报告导出"},
    "nav_present": {"en": "Present", "ko": "발표 모드", "zh": "演示模式"},
    "filters_none": {"en": "all respondents", "ko": "전체 응답자", "zh": "全部受访者"},
    "overall_column": {"en": "Overall", "ko": "전체", "zh": "总体"},
    "measure_gap": {"en": "gap (P − E)", "ko": "갭 (인식 − 기대)", "zh": "差距（感知 − 期望）"},
    "measure_P": {"en": "perception", "ko": "인식", "zh": "感知"},
    "segment_held_short": {"en": "{value} (under {min_cell})", "ko": "{value} ({min_cell}명 미만)",
                           "zh": "{value}（不足 {min_cell} 人）"},
    "held_tile": {"en": "held back", "ko": "비공개", "zh": "不显示"},
    # readings (one sentence under each chart)
    "reading_radar": {"en": "The largest shortfall is in {worst} ({worst_value:+.2f}); the smallest gap is in "
                            "{best} ({best_value:+.2f}). n = {n:,}.",
                      "ko": "기대 대비 부족이 가장 큰 차원은 {worst}({worst_value:+.2f}), 갭이 가장 작은 차원은 "
                            "{best}({best_value:+.2f})입니다. n = {n:,}.",
                      "zh": "与期望差距最大的是{worst}（{worst_value:+.2f}），最小的是{best}（{best_value:+.2f}）。n = {n:,}。"},
    "reading_radar_p": {"en": "Perception is lowest in {worst} ({worst_value:.2f}). n = {n:,}.",
                        "ko": "인식 점수가 가장 낮은 차원은 {worst}({worst_value:.2f})입니다. n = {n:,}.",
                        "zh": "感知得分最低的是{worst}（{worst_value:.2f}）。n = {n:,}。"},
    "reading_items": {"en": "{shortfalls} of {total} items fall short of expectation; the largest gap is item "
                            "{item}, “{text}” ({value:+.2f}).",
                      "ko": "{total}개 문항 중 {shortfalls}개가 기대에 못 미치며, 갭이 가장 큰 문항은 {item}번 "
                            "‘{text}’({value:+.2f})입니다.",
                      "zh": "{total} 道题中有 {shortfalls} 道低于期望，差距最大的是第 {item} 题“{text}”（{value:+.2f}）。"},
    "drivers_slide_title": {"en": "What drives {outcome}", "ko": "{outcome}에 영향을 주는 요인",
                            "zh": "影响{outcome}的因素"},
    "heatmap_title": {"en": "{measure} by {column}", "ko": "{column}별 {measure}", "zh": "按{column}的{measure}"},
    "reading_heatmap": {"en": "{dimension} differs most across {column}: from {low} ({low_value:+.2f}) to {high} "
                              "({high_value:+.2f}); Welch's ANOVA p {p}.",
                        "ko": "{column} 간 차이가 가장 큰 차원은 {dimension}입니다. {low}({low_value:+.2f})부터 "
                              "{high}({high_value:+.2f})까지 벌어지며, Welch 분산분석 p {p}.",
                        "zh": "各{column}之间差异最大的是{dimension}：从{low}（{low_value:+.2f}）到{high}"
                              "（{high_value:+.2f}）；Welch 方差分析 p {p}。"},
    "reading_heatmap_none": {"en": "Too few {column} values are shown to compare them.",
                             "ko": "비교할 수 있을 만큼 표시되는 {column} 값이 없습니다.",
                             "zh": "可显示的{column}取值太少，无法比较。"},
    "tracking_title": {"en": "{measure} over {column}", "ko": "{column}에 따른 {measure} 추이",
                       "zh": "{measure}随{column}的变化"},
    "reading_tracking": {"en": "From {start} to {end}, {dimension} moved most: {change:+.2f} (Holm p {p}); "
                               "{significant} of {total} dimensions changed significantly.",
                         "ko": "{start}에서 {end}로 넘어오며 가장 크게 움직인 차원은 {dimension}({change:+.2f}, Holm p {p})"
                               "이고, {total}개 차원 중 {significant}개가 유의하게 달라졌습니다.",
                         "zh": "从{start}到{end}，变化最大的是{dimension}（{change:+.2f}，Holm p {p}）；"
                               "{total} 个维度中有 {significant} 个变化显著。"},
    # report text
    "report_title": {"en": "Service quality gap report", "ko": "서비스 품질 갭 분석 보고서", "zh": "服务质量差距分析报告"},
    "report_subtitle": {"en": "{study}\nSelection: {filters} (n = {n:,})\n{date}",
                        "ko": "{study}\n분석 대상: {filters} (n = {n:,})\n{date}",
                        "zh": "{study}\n分析范围：{filters}（n = {n:,}）\n{date}"},
    "report_method_title": {"en": "How these figures were made", "ko": "분석 방법과 기준", "zh": "数据说明"},
    "method_sources": {"en": "Source: {files}; {n:,} customer respondents in the study.",
                       "ko": "자료: {files} (고객 응답자 {n:,}명)", "zh": "数据来源：{files}；共 {n:,} 位顾客受访者。"},
    "method_selection": {"en": "Selection: {filters}; n = {n:,}.", "ko": "분석 대상: {filters}, n = {n:,}",
                         "zh": "分析范围：{filters}；n = {n:,}。"},
    "method_scale": {"en": "Answer scale {low}–{high}; gaps are perception minus expectation (negative = shortfall).",
                     "ko": "응답 척도 {low}~{high}점. 갭은 인식에서 기대를 뺀 값이며, 음수는 기대에 못 미친다는 뜻입니다.",
                     "zh": "答案量表 {low}–{high} 分；差距 = 感知 − 期望（负值表示未达期望）。"},
    "method_weights_on": {"en": "Sampling weights applied.", "ko": "표본 가중치를 적용했습니다.", "zh": "已使用抽样权重。"},
    "method_weights_off": {"en": "No sampling weights applied.", "ko": "표본 가중치는 적용하지 않았습니다.",
                           "zh": "未使用抽样权重。"},
    "method_min_cell": {"en": "Groups with fewer than {min_cell} respondents are held back (with one more where only "
                              "one would be), here and in every export.",
                        "ko": "응답자가 {min_cell}명 미만인 집단은 공개하지 않으며, 한 집단만 빠지면 역산되지 않도록 "
                              "하나를 더 숨깁니다. 모든 내보내기에 똑같이 적용됩니다.",
                        "zh": "受访者少于 {min_cell} 人的组不显示（若只有一组被隐藏，会再隐藏一组以防倒推），所有导出同样适用。"},
    "method_tests": {"en": "Gaps: paired t-test with 95% CI and Wilcoxon signed-rank. Segments: Welch's ANOVA, "
                           "Kruskal–Wallis, pairwise Welch t-tests with Holm correction (letters) and "
                           "Benjamini–Hochberg FDR. Waves: each wave against the one before, Holm-corrected.",
                     "ko": "갭 검정: 대응표본 t검정(95% 신뢰구간)과 윌콕슨 부호순위 검정. 세그먼트 비교: Welch 분산분석, "
                           "크루스칼-월리스 검정, Holm 보정 쌍별 Welch t검정(문자 표기)과 Benjamini–Hochberg FDR. "
                           "차수 비교: 직전 차수 대비, Holm 보정.",
                     "zh": "差距检验：配对 t 检验（95% 置信区间）与 Wilcoxon 符号秩检验。细分比较：Welch 方差分析、"
                           "Kruskal–Wallis 检验、经 Holm 校正的两两 Welch t 检验（字母标记）及 Benjamini–Hochberg FDR。"
                           "轮次比较：每一轮与上一轮比较，Holm 校正。"},
    "method_drivers": {"en": "Drivers of {outcome}: {kind}, n = {n:,}.", "ko": "{outcome} 영향 요인: {kind}, n = {n:,}",
                       "zh": "{outcome}驱动因素：{kind}，n = {n:,}。"},
    # sheet names (Excel allows 31 characters)
    "sheet_about": {"en": "About", "ko": "보고서 정보", "zh": "报告信息"},
    "sheet_dimensions": {"en": "Dimensions", "ko": "차원별 결과", "zh": "维度结果"},
    "sheet_items": {"en": "Items", "ko": "문항별 결과", "zh": "题目结果"},
    "sheet_overall": {"en": "Overall", "ko": "종합 점수", "zh": "总体得分"},
    "sheet_zone": {"en": "Zone of tolerance", "ko": "허용 구간", "zh": "容忍区间"},
    "sheet_reliability": {"en": "Reliability", "ko": "신뢰도", "zh": "信度"},
    "sheet_reliability_items": {"en": "Reliability by item", "ko": "문항별 신뢰도", "zh": "各题信度"},
    "sheet_importance_performance": {"en": "Importance-performance", "ko": "중요도-성과", "zh": "重要性-表现"},
    "sheet_gap_chain": {"en": "Gap chain", "ko": "갭 단계", "zh": "差距链"},
    "sheet_segments": {"en": "Segments", "ko": "세그먼트 비교", "zh": "细分比较"},
    "sheet_segment_tests": {"en": "Segment tests", "ko": "세그먼트 검정", "zh": "细分检验"},
    "sheet_segment_pairs": {"en": "Pairwise tests", "ko": "쌍별 비교", "zh": "两两比较"},
    "sheet_consistency": {"en": "Consistency", "ko": "지점 간 일관성", "zh": "一致性"},
    "sheet_tracking": {"en": "Tracking", "ko": "차수별 추이", "zh": "轮次趋势"},
    "sheet_tracking_changes": {"en": "Wave changes", "ko": "차수 간 변화", "zh": "轮次变化"},
    "sheet_driver_coefficients": {"en": "Driver coefficients", "ko": "영향 요인 계수", "zh": "驱动因素系数"},
    "sheet_driver_importance": {"en": "Driver importance", "ko": "영향 요인 중요도", "zh": "驱动因素重要性"},
    "sheet_driver_fit": {"en": "Driver model fit", "ko": "모형 적합도", "zh": "模型拟合"},
    "table_dimensions": {"en": "Dimensions", "ko": "차원별 결과", "zh": "维度结果"},
    "about_title": {"en": "Report", "ko": "보고서", "zh": "报告"},
    "about_selection": {"en": "Selection", "ko": "분석 대상", "zh": "分析范围"},
    "about_method": {"en": "Method note", "ko": "방법 메모", "zh": "方法说明"},
    # Segments page
    "seg_column": {"en": "Compare the values of", "ko": "비교할 세그먼트", "zh": "比较的细分"},
    "seg_none": {"en": "This study has no segment columns (branch, channel, …) to compare.",
                 "ko": "이 조사에는 비교할 세그먼트 열(지점, 채널 등)이 없습니다.",
                 "zh": "本调查没有可比较的细分列（网点、渠道等）。"},
    "seg_letters": {"en": "Values that share a letter do not differ significantly (pairwise Welch t-tests, "
                          "{correction}-corrected, 5% level). Grey tiles: fewer than {min_cell} respondents, held back.",
                    "ko": "같은 문자가 붙은 값끼리는 유의한 차이가 없습니다(쌍별 Welch t검정, {correction} 보정, "
                          "유의수준 5%). 회색 칸: 응답자 {min_cell}명 미만이라 공개하지 않음.",
                    "zh": "含相同字母的取值之间无显著差异（两两 Welch t 检验，{correction} 校正，5% 水平）。"
                          "灰色格：受访者少于 {min_cell} 人，不予显示。"},
    "seg_tests_title": {"en": "Tests across all values", "ko": "전체 값 간 검정", "zh": "整体差异检验"},
    "col_welch": {"en": "Welch F (df)", "ko": "Welch F (자유도)", "zh": "Welch F（自由度）"},
    "col_welch_p": {"en": "Welch p", "ko": "Welch p", "zh": "Welch p"},
    "col_kruskal": {"en": "Kruskal–Wallis H", "ko": "크루스칼-월리스 H", "zh": "Kruskal–Wallis H"},
    "col_kruskal_p": {"en": "K–W p", "ko": "K–W p", "zh": "K–W p"},
    "seg_pairs_title": {"en": "Pairwise differences", "ko": "쌍별 차이", "zh": "两两差异"},
    "col_pair": {"en": "pair", "ko": "비교 쌍", "zh": "比较对"},
    "col_difference": {"en": "difference", "ko": "차이", "zh": "差值"},
    "col_p_welch": {"en": "p (Welch t)", "ko": "p (Welch t)", "zh": "p（Welch t）"},
    "col_p_holm": {"en": "p (Holm)", "ko": "p (Holm)", "zh": "p（Holm）"},
    "col_p_fdr": {"en": "p (FDR)", "ko": "p (FDR)", "zh": "p（FDR）"},
    "consistency_title": {"en": "Is the service the same everywhere?", "ko": "어디서나 같은 서비스인가?",
                          "zh": "各处服务是否一致？"},
    "consistency_axis": {"en": "mean per value", "ko": "값별 평균", "zh": "各取值均值"},
    "consistency_reading": {"en": "{dimension} is the least consistent across {column} (spread {range:.2f} points); "
                                  "{value} is furthest from the others ({distance:+.2f}).",
                            "ko": "{column} 간 편차가 가장 큰 차원은 {dimension}(최대-최소 {range:.2f}점)이며, "
                                  "다른 값들과 가장 동떨어진 곳은 {value}({distance:+.2f})입니다.",
                            "zh": "各{column}之间最不一致的是{dimension}（极差 {range:.2f} 分）；"
                                  "与其他取值相差最远的是{value}（{distance:+.2f}）。"},
    "col_sd": {"en": "SD across values", "ko": "값 간 표준편차", "zh": "取值间标准差"},
    "col_range": {"en": "range", "ko": "범위", "zh": "极差"},
    "col_furthest": {"en": "furthest value", "ko": "가장 동떨어진 값", "zh": "偏离最大的取值"},
    "col_distance": {"en": "distance from the rest", "ko": "나머지 평균과의 차이", "zh": "与其余均值之差"},
    "tracking_section": {"en": "Over time", "ko": "시간에 따른 변화", "zh": "随时间的变化"},
    "tracking_none": {"en": "No wave or date column in this study, so there is nothing to track over time.",
                      "ko": "이 조사에는 조사 차수나 날짜 열이 없어 추이를 볼 수 없습니다.",
                      "zh": "本调查没有轮次或日期列，无法查看趋势。"},
    "tracking_filtered": {"en": "The wave column is filtered in the sidebar; clear that filter to see every wave.",
                          "ko": "사이드바에서 조사 차수를 필터링하고 있습니다. 모든 차수를 보려면 그 필터를 해제하세요.",
                          "zh": "侧边栏中已筛选轮次；清除该筛选即可查看所有轮次。"},
    "tracking_months": {"en": "Dates are grouped into calendar months.", "ko": "날짜는 월 단위로 묶었습니다.",
                        "zh": "日期按自然月分组。"},
    "changes_title": {"en": "Change since the previous wave", "ko": "직전 차수 대비 변화", "zh": "与上一轮相比的变化"},
    "col_from": {"en": "from", "ko": "이전", "zh": "起"},
    "col_to": {"en": "to", "ko": "이후", "zh": "止"},
    "col_change": {"en": "change", "ko": "변화", "zh": "变化"},
    # chart downloads
    "download_chart": {"en": "Download chart", "ko": "차트 내려받기", "zh": "下载图表"},
    "download_png": {"en": "PNG picture", "ko": "PNG 이미지", "zh": "PNG 图片"},
    "download_svg": {"en": "SVG (vector)", "ko": "SVG (벡터)", "zh": "SVG（矢量图）"},
    # Report page
    "report_intro": {"en": "Everything below is built from the study, filters and language now selected, with the "
                           "same minimum cell size as on screen.",
                     "ko": "아래 파일은 지금 선택한 조사, 필터, 언어로 만들어지며 화면과 같은 최소 응답자 수 기준이 적용됩니다.",
                     "zh": "以下文件按当前选择的调查、筛选条件和语言生成，最小组规模与屏幕上一致。"},
    "report_segment": {"en": "Segment for the comparison slide", "ko": "세그먼트 비교에 쓸 열",
                       "zh": "细分比较使用的列"},
    "report_contents": {"en": "Slides in this report", "ko": "보고서 구성", "zh": "报告内容"},
    "download_pptx": {"en": "PowerPoint deck (.pptx)", "ko": "파워포인트 (.pptx)", "zh": "PowerPoint 演示文稿（.pptx）"},
    "download_xlsx": {"en": "Excel workbook, every table (.xlsx)", "ko": "엑셀 통합 문서, 전체 표 (.xlsx)",
                      "zh": "Excel 工作簿，全部表格（.xlsx）"},
    "download_html": {"en": "HTML report for e-mail (.html)", "ko": "이메일용 HTML 보고서 (.html)",
                      "zh": "用于邮件的 HTML 报告（.html）"},
    "download_csv": {"en": "Download as CSV", "ko": "CSV로 내려받기", "zh": "下载 CSV"},
    "pick_table": {"en": "One table as CSV (UTF-8, opens in Excel)", "ko": "표 하나를 CSV로 (UTF-8, 엑셀에서 바로 열림)",
                   "zh": "单个表格导出为 CSV（UTF-8，可直接用 Excel 打开）"},
    "report_held": {"en": "The selection is under the minimum cell size: the exports would contain no figures.",
                    "ko": "선택한 조건이 최소 응답자 수에 못 미쳐 내보낼 수치가 없습니다.",
                    "zh": "当前选择低于最小组规模，导出文件中不会有任何数据。"},
    "actions_more": {"en": "{count} actions", "ko": "개선 과제 {count}건", "zh": "{count} 项改进措施"},
    # presentation view
    "present_prev": {"en": "◀ Previous", "ko": "◀ 이전", "zh": "◀ 上一张"},
    "present_next": {"en": "Next ▶", "ko": "다음 ▶", "zh": "下一张 ▶"},
    "present_counter": {"en": "{index} / {total}", "ko": "{index} / {total}", "zh": "{index} / {total}"},
    "present_hint": {"en": "Close the sidebar (« at its top) for the full width.",
                     "ko": "사이드바를 닫으면(맨 위 «) 화면 전체를 쓸 수 있습니다.",
                     "zh": "收起侧边栏（顶部的 «）即可全屏显示。"},
}}

# access control
TEXT = {**TEXT, **{
    "password_label": {"en": "Password", "ko": "비밀번호", "zh": "密码"},
    "password_submit": {"en": "Sign in", "ko": "로그인", "zh": "登录"},
    "password_wrong": {"en": "That password is not right; ask your administrator for it.",
                       "ko": "비밀번호가 맞지 않습니다. 비밀번호는 관리자에게 문의하세요.",
                       "zh": "密码不正确，请向管理员索取密码。"},
    "login_unverified": {"en": "{email} is on the list, but the sign-in service does not say that this address was "
                               "verified. Ask your administrator.",
                         "ko": "{email}은(는) 허용 목록에 있지만, 로그인 서비스가 이 주소를 인증했다고 알려 주지 않았습니다. "
                               "관리자에게 문의하세요.",
                         "zh": "{email} 在允许名单中，但登录服务没有说明该地址已验证。请联系管理员。"},
    "password_wait": {"en": "Too many wrong passwords: the next try is checked in {seconds} s.",
                      "ko": "비밀번호를 여러 번 틀렸습니다. {seconds}초 뒤부터 다시 확인합니다.",
                      "zh": "密码错误次数过多：{seconds} 秒后才会再次验证。"},
    "login_needed": {"en": "Sign in with your company account to open ServiceGap.",
                     "ko": "회사 계정으로 로그인해야 ServiceGap을 사용할 수 있습니다.",
                     "zh": "请使用公司账号登录后使用 ServiceGap。"},
    "login_button": {"en": "Sign in", "ko": "로그인", "zh": "登录"},
    "login_refused": {"en": "{email} is not on this server's list of allowed accounts. Ask your administrator to add "
                            "it, or sign in with another account.",
                      "ko": "{email} 계정은 이 서버의 허용 목록에 없습니다. 관리자에게 추가를 요청하거나 다른 계정으로 로그인하세요.",
                      "zh": "{email} 不在本服务器允许的账号列表中。请联系管理员添加，或换一个账号登录。"},
    "logout_button": {"en": "Sign out", "ko": "로그아웃", "zh": "退出登录"},
}}
