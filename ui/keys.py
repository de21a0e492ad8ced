"""Every key the app keeps in ``st.session_state`` (widget keys, ``w_*``, belong to their pages).

Persistent settings are copied out of widget keys because Streamlit drops a page's widget state when
the user leaves it; the upload and what is computed from it live in one ``SessionStore`` under
``STORE``, so a closed tab's data can be released on a timer.

In detail: every `st.session_state` key (`sg_*`), declared once; a test fails on a page or ui module that uses one
not declared there.
"""

from __future__ import annotations

# Settings (mirrored in the URL; never data)
LANG = "sg_lang"
FILTERS = "sg_filters"
REFUSED_FILTERS = "sg_filters_refused"  # filter values of a link that the study does not have
MIN_CELL = "sg_min_cell"
WEIGHT = "sg_weight"
QUERY_LOADED = "sg_query_loaded"  # the URL was read once for this session

# The study and what is computed from it
STORE = "sg_store"  # SessionStore: the upload and everything computed from it
STUDY = "sg_study"  # in the store: ActiveStudy of an upload, absent for the demo
PENDING = "sg_pending"  # in the store: a PendingUpload waiting for its mapping
LAST_MAPPING = "sg_last_mapping"  # in the store: the last study's mapping, offered to the next upload
OFFERED = "sg_offered"  # in the store: the last load took the previous mapping
CACHE = "sg_cache"
DRIVER_CACHE = "sg_driver_cache"
PREDICTOR_CACHE = "sg_predictor_cache"  # in the store: each respondent's dimension gaps or perceptions, per study
LAST_ANALYSIS = "sg_last_analysis"
LAST_STORY = "sg_last_story"
SEGMENT_CACHE = "sg_segment_cache"  # in the store: each value of a segment analysed (Gap model page, report)
CHART_CACHE = "sg_chart_cache"  # in the store: slides' charts and specs, by what they are drawn from
READING_CACHE = "sg_reading_cache"  # in the store: pages' slides and tables, by setting and language

# Pages
PRESENT_INDEX = "sg_present_index"  # the presentation view's current slide
READ_OPTIONS = "sg_read_options"  # the Data page's reading options, kept for every re-read
WORKING_MAPPING = "sg_working_mapping"  # (upload key, mapping being edited, editor version)
LAST_REPORT = "sg_last_report"  # (loaded, ValidationReport) of the last load
LAST_UPLOAD = "sg_last_upload"  # content key of the files last read
MAPPING_FILE_USED = "sg_mapping_used"  # id of the mapping file last applied
UPLOADED = "sg_uploaded"  # in the store: (file ids, SourceFiles, content key) of the uploader's files
LADDER_TURNED = "sg_ladder_turned"  # (upload key, whether the guessed ladder of answer words is turned round)

# Access
AUTHENTICATED = "sg_authenticated"
ENDPOINT_TICKET = "sg_endpoint_ticket"  # the one-time ticket for ui.guard's admission cookie
