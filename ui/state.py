"""Session state: the active study, settings that survive page switches, and the URL query string.

Everything a user uploads lives in ``st.session_state`` only (in one ``SessionStore``, dropped when
the session has ended). Computations on it are cached per session, keyed by the content hash of the
data plus the settings, and bounded. The demo study and what is computed from it are the
only things shared across sessions (they are the same for everyone and hold nobody's data).

In detail: session state: the `SessionStore` (released after the session ends) holding the active upload
(`ActiveStudy`: result, bytes, content key), a `PendingUpload` (files that parsed but wait for their mapping; the
active study stays), the last mapping (offered to the next upload with the same columns), persistent settings, URL
query string (`lang`, `f.<column>`, `min_cell`, `weight`), per-session LRU of prepared studies keyed by content
hash + settings, the last report story, each segment's value-by-value analyses and the company beside them
(`segment_analyses`, `segment_company`: the Gap model page's panel and the report's segment sentence share them).
`uploaded_files` copies and hashes the uploader's files once per new upload (by Streamlit's `file_id`), not on
every rerun.

State and privacy, in full: Uploaded bytes and the loaded study live in `st.session_state` only, inside one
`SessionStore` (`ui/state.py`). Streamlit keeps a closed tab's session for `server.disconnectedSessionTTL` seconds
(120) for a reconnect, but removes it only on a later write to its session storage; so a session-scoped resource
watches each session, and when it disconnects the store is cleared after that same TTL unless the browser came
back, and the freed memory is returned to the OS (`malloc_trim`). The only cross-session caches are the bundled demo
study (`st.cache_resource`, same for everyone) and the results computed from it (`shared_results`: while a session
has no upload of its own, `cached` keeps its results there for every session, four sessions' worth per bucket, and a
result several sessions ask for at once is computed once; a workshop's thirty sessions on the demo share one set),
and an operator's connected dataset (its cells, and in `shared_results` its driver models and readings, for every
session that opens it).
Computations on uploads are cached per session through one recipe,
`ui.state.cached(bucket, key, compute, keep=…)`: keys are content (the SHA-256 of the files plus the reading
options, `study_key()`) and every setting that changes the result (weights, filters, minimum cell, language, …),
never `id()`; at most 4 prepared studies, the respondents' dimension scores a driver model reads (per study and
predictor kind: they do not change with a filter), and for the `RECENT_SETTINGS` (8) most recent settings the
analysis (shared by the sidebar and the page), the driver model, the story, and per segment column its values'
analyses, the company beside them and their comparison (`segment_comparison`: the Segments page and the report's
heatmap, consistency and tables read one), the study followed over its waves (`wave_tracking`, likewise shared),
and the slides and tables the Dimensions and Segments pages show (`reading(kind, compute)`, `READING_CACHE`: keyed
by the setting and by what `kind` names — the language, a segment column) — so a return to a branch seen a moment
ago is drawn without a computation. A story's result tables (`story.ResultTables`) are built when first read: the
Report page shows one, the presentation view none, the workbook all. Charts and their specs are kept too
(`CHART_CACHE`, 48 per session) by a digest of what they are drawn from (`ui.downloads.drawing_key`: the builder
and its frames, labels, titles and sizes, pickled with the study standing for its content key): slides through
`slide_with_downloads`, the pages' other charts through `drawn_with_downloads(partial(builder, ...))`, so a return
to a recent filter draws the radar, items, waterfall, heatmap, consistency and tracking charts, the segment radars,
the importance-performance chart and the per-dimension and segment waterfalls without building them. A page draws a
chart through one of the two, never by calling a builder itself. Panels whose widgets change only themselves run as
`st.fragment`s, so their clicks do not rerun the page: the Dimensions page's segment comparison, the Gap model
page's segment-beside-company panel (with its sentence), the Drivers page's what-if. The Drivers page's model
tables sit in a lazy expander (`on_change="rerun"`, drawn only when open), which keeps the ordinal fit off every
other click; chart downloads are rendered only on click (`on_click="ignore"`, no rerun). Widget values are copied
into persistent keys (`sg_*`, all in `ui/keys.py`) because Streamlit drops a page's widget state when the user
leaves it; filters and language are mirrored in the URL so a link can be shared (filters only, never data), and
each page's own choices (compare by, layout, values, outcome, what-if, table, slide) go through `ui/view.py`, whose
widget wrappers take their first value from a named query parameter and write their value back (a default is left
out); the sidebar's "Share this view" dialog shows the address with a copy button. A failed upload never replaces
the active study.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import streamlit as st

from gapcore.analysis import Analysis, Prepared, analyze, by_segment_value, company_beside, prepare
from gapcore.connected import open_study, prepare_connected
from gapcore.defaults import MIN_CELL as DEFAULT_MIN_CELL
from gapcore.errors import GapcoreError
from gapcore.filters import checked_filters, values_of, values_text
from gapcore.gaps import linked_segments
from gapcore.i18n import LANGUAGES
from gapcore.io import bundled
from gapcore.io.load import SourceFile, load_study
from gapcore.io.mapping import ColumnMapping
from gapcore.io.mapping_edit import matches
from gapcore.io.sources import open_source
from gapcore.io.study import LoadResult, Study
from gapcore.segments import SegmentComparison, Tracking, compare_segments, follows_waves, track_waves
from ui.keys import (
    CACHE,
    CHART_CACHE,
    DRIVER_CACHE,
    FILTERS,
    LANG,
    LAST_ANALYSIS,
    LAST_MAPPING,
    LAST_STORY,
    MIN_CELL,
    OFFERED,
    PENDING,
    PREDICTOR_CACHE,
    QUERY_LOADED,
    READING_CACHE,
    REFUSED_FILTERS,
    SEGMENT_CACHE,
    STORE,
    STUDY,
    UPLOADED,
    WEIGHT,
)
from ui.owners import UPLOAD_LIMITS

TEMPLATE_PATH = bundled.data_path(bundled.TEMPLATE)
T = TypeVar("T")
MAX_CACHED = 4  # prepared studies kept per session (each holds only per-cell sums)
# Results kept for the most recent filter settings of a session (analyses, stories, segment analyses, driver
# models): a manager going back to a branch seen a moment ago gets it redrawn without a computation.
RECENT_SETTINGS = 8
SEGMENT_KEPT = 4 * RECENT_SETTINGS  # four kinds per setting: values, company, comparison, waves
READINGS_KEPT = 12 * RECENT_SETTINGS  # a page's slides and tables (up to 12 on one page) per setting



@dataclass(frozen=True)
class ActiveStudy:
    """A loaded upload: the result, the bytes it came from (to re-read with a new mapping), its key. A connected
    dataset (``open_connected``) has no files: ``connected`` is the key of its cells, kept on the server."""

    name: str
    result: LoadResult
    files: tuple[SourceFile, ...]
    key: str
    connected: tuple | None = None

    @property
    def study(self) -> Study:
        assert self.result.study is not None
        return self.result.study


@st.cache_resource(max_entries=1, show_spinner=False)
def demo_result() -> LoadResult:
    """The bundled demo study (not user data, so it may be shared by every session)."""
    return bundled.demo_result()


@st.cache_resource(max_entries=2, show_spinner=False)
def demo_prepared(use_weight: bool) -> Prepared:
    study = demo_result().study
    assert study is not None
    return prepare(study, use_weight=use_weight)


@dataclass(eq=False)
class SessionStore:
    """The heavy part of one session — its upload and everything computed from it — in one plain
    dict, so it can be dropped from outside the session's script thread.

    Streamlit keeps a closed tab's session for ``server.disconnectedSessionTTL`` seconds so that a
    reconnecting browser finds it again, but only removes it on the next write to its session
    storage, which may never come on a quiet server. So the store releases itself: when the session
    disconnects a timer starts; a reconnect cancels it, otherwise the data is dropped after the same
    TTL (when Streamlit itself would no longer resume the session) and freed memory is returned to
    the operating system."""

    data: dict[str, object] = field(default_factory=dict)
    clock: Callable[[float, Callable[[], None]], threading.Timer] = threading.Timer  # a test's own, to fire at will
    _timer: threading.Timer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def connected(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def release_after(self, seconds: float) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self.clock(seconds, self.release)
            self._timer.daemon = True
            self._timer.start()

    def release(self) -> None:
        with self._lock:
            self.data.clear()
            self._timer = None
        return_freed_memory()


def return_freed_memory() -> None:
    """Collect cycles, then hand freed heap pages back to the OS (glibc keeps them otherwise; pyarrow's
    allocator likewise)."""
    gc.collect()
    with contextlib.suppress(Exception):  # best effort; nothing to tell a user
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _release_on_disconnect(store: SessionStore) -> None:
    store.release_after(float(st.get_option("server.disconnectedSessionTTL")))


@st.cache_resource(scope="session", on_release=_release_on_disconnect, show_spinner=False)
def _watch_session(_store: SessionStore) -> SessionStore:
    """Session-scoped: Streamlit drops it (calling ``on_release``) when the session disconnects, and
    it is created again on the first run after a reconnect."""
    _store.connected()
    return _store


def store() -> dict[str, object]:
    """This session's heavy data (``STUDY``, ``CACHE``, ``DRIVER_CACHE``, ``PREDICTOR_CACHE``, ``LAST_ANALYSIS``,
    ``LAST_STORY``, ``SEGMENT_CACHE``, ``CHART_CACHE``, ``READING_CACHE``)."""
    session_store = st.session_state.setdefault(STORE, SessionStore())
    _watch_session(session_store)
    return session_store.data


def content_key(files: tuple[SourceFile, ...], options: str = "") -> str:
    digest = hashlib.sha256()
    for source in files:
        digest.update(source.name.encode("utf-8"))
        digest.update(hashlib.sha256(source.data).digest())
    digest.update(options.encode("utf-8"))
    return digest.hexdigest()


def uploaded_files(uploads: list) -> tuple[tuple[SourceFile, ...], str]:
    """The uploader's files as ``SourceFile``s and their content key, copied and hashed once per new
    upload (Streamlit gives a new ``file_id`` to every upload, a re-upload of the same name included)
    rather than on every rerun of the Data page."""
    ids = tuple(u.file_id for u in uploads)
    kept = store().get(UPLOADED)
    if kept is not None and kept[0] == ids:
        return kept[1], kept[2]
    files = tuple(SourceFile(u.name, u.getvalue()) for u in uploads)
    signature = content_key(files)
    store()[UPLOADED] = (ids, files, signature)  # in the store: released with the session's upload
    return files, signature


def init_state() -> None:
    """Defaults, then the query string once per session (a shared link sets language and filters)."""
    st.session_state.setdefault(LANG, "en")
    st.session_state.setdefault(FILTERS, {})
    st.session_state.setdefault(MIN_CELL, DEFAULT_MIN_CELL)
    st.session_state.setdefault(WEIGHT, True)
    if not st.session_state.get(QUERY_LOADED):
        st.session_state[QUERY_LOADED] = True
        params = st.query_params
        if params.get("lang") in LANGUAGES:
            st.session_state[LANG] = params["lang"]
        filters = {}
        for key in params:
            if key.startswith("f."):
                values = values_of(params[key])
                if values:
                    filters[key[2:]] = values
        if filters:
            st.session_state[FILTERS] = filters
        if params.get("min_cell", "").isdigit():
            st.session_state[MIN_CELL] = max(1, int(params["min_cell"]))
        if params.get("weight") in ("0", "1"):
            st.session_state[WEIGHT] = params["weight"] == "1"


def write_query() -> None:
    """Language, filters and settings into the URL (never data), so the page can be shared; the page's
    own choices are in it too (``ui.view``)."""
    wanted = {"lang": st.session_state[LANG]}
    for column, values in st.session_state[FILTERS].items():
        if values:
            wanted[f"f.{column}"] = values_text(values)
    if st.session_state[MIN_CELL] != DEFAULT_MIN_CELL:
        wanted["min_cell"] = str(st.session_state[MIN_CELL])
    if not st.session_state[WEIGHT]:
        wanted["weight"] = "0"
    for key in [k for k in st.query_params if _is_setting(k) and k not in wanted]:
        del st.query_params[key]  # a filter cleared, a setting back to its default
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def _is_setting(param: str) -> bool:
    """Language, a filter or a setting; a page's own view choices (``ui.view``) are left to the page."""
    return param in ("lang", "min_cell", "weight") or param.startswith("f.")


def lang() -> str:
    return st.session_state.get(LANG, "en")


def active() -> ActiveStudy | None:
    return store().get(STUDY)


def current_study() -> Study:
    upload = active()
    if upload is not None:
        return upload.study
    study = demo_result().study
    assert study is not None
    return study


def current_filters() -> dict[str, list[str]]:
    """The filters that apply to the current study. A column it lacks, or a value its column never
    takes (a stale or crafted link), is dropped from the filters and kept in ``REFUSED_FILTERS`` for
    the page to say so: only values of the data ever reach an analysis or the screen."""
    kept, refused = checked_filters(current_study(), st.session_state[FILTERS])
    if refused:
        st.session_state[FILTERS] = {column: list(values) for column, values in kept.items()}
        st.session_state[REFUSED_FILTERS] = [f"{column}={value}" for column, value in refused]
    return {column: list(values) for column, values in kept.items()}


@dataclass(eq=False)
class KeptResults:
    """Computed results in buckets of the most recent, keyed by content: a session's own (``buckets`` is its
    store, ``factor`` 1), or the demo study's, kept once for every session (``shared_results``). Each bucket
    keeps ``factor`` times the count it is asked to keep; a result asked for by several threads at once is
    computed by the first while the others wait for it."""

    buckets: dict
    factor: int
    computing: dict[tuple, threading.Lock] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, bucket: str, key: tuple, compute: Callable[[], T], keep: int) -> T:
        with self.lock:
            cache = self.buckets.setdefault(bucket, OrderedDict())
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
            flight = self.computing.setdefault((bucket, key), threading.Lock())
        with flight:
            with self.lock:
                if key in cache:
                    return cache[key]
            try:
                value = compute()
                with self.lock:
                    cache[key] = value
                    while len(cache) > keep * self.factor:
                        cache.popitem(last=False)
            finally:
                with self.lock:
                    self.computing.pop((bucket, key), None)
        return value


SHARED_FACTOR = 4  # the demo's results kept for every session: four sessions' worth per bucket


@st.cache_resource(max_entries=1, show_spinner=False)
def shared_results() -> KeptResults:
    """The demo's results, kept once for the server (``cached`` never brings an upload's here)."""
    return KeptResults({}, SHARED_FACTOR)


def cached(bucket: str, key: tuple, compute: Callable[[], T], *, keep: int) -> T:
    """The one cache recipe of a session: values keyed by content (the study's content key and every
    setting that changes the result), never by ``id()``; the ``keep`` most recent per bucket; held in
    the session's store, so nothing is shared with another session and all is released with it. The demo
    study's results, and a connected dataset's (the operator's, like its cells), are kept for every session
    (``shared_results``; their keys start with the study's key)."""
    data = store()
    study = data.get(STUDY)
    kept = shared_results() if study is None or study.connected is not None else KeptResults(data, 1)
    return kept.get(bucket, key, compute, keep)


def study_key() -> str:
    """The current study's content key ("demo" for the demo study)."""
    upload = active()
    return upload.key if upload else "demo"


def _settings_key() -> tuple:
    return (study_key(), bool(st.session_state[WEIGHT]), repr(sorted(current_filters().items())))


def prepared() -> Prepared:
    """Prepared cells of the current study and weight setting."""
    use_weight = bool(st.session_state[WEIGHT])
    upload = active()
    if upload is None:
        return demo_prepared(use_weight)
    if upload.connected is not None:
        return connected_prepared(upload.connected, use_weight)
    # alpha's cross-products wait for the first reliability table: the first chart after an upload is sooner
    return cached(CACHE, (upload.key, use_weight),
                  lambda: prepare(upload.study, use_weight=use_weight, cross_products=False), keep=MAX_CACHED)


def _driver_key(outcome: str, predictors: str, bootstrap: int, controls: tuple[str, ...]) -> tuple:
    return ("drivers", *_settings_key(), outcome, predictors, bootstrap, controls)


def driver_model(outcome: str, predictors: str, bootstrap: int | None = None, controls: tuple[str, ...] = ()):
    """A driver model under the current filters and weights (``bootstrap`` resamples: the one default of
    ``gapcore.driver_model.BOOTSTRAP`` unless given, so every page and the report share one fitted model)."""
    from gapcore.driver_model import BOOTSTRAP, dimension_predictors, fit_drivers  # statsmodels: only when asked for

    bootstrap = BOOTSTRAP if bootstrap is None else bootstrap
    study = current_study()
    # the respondents' scores do not change with the filter: scored once per study, not at every click
    scores = None if study.engine is not None else cached(  # a connected study's scores stay in the engine
        PREDICTOR_CACHE, (study_key(), predictors), lambda: dimension_predictors(study, predictors), keep=2)
    return cached(DRIVER_CACHE, _driver_key(outcome, predictors, bootstrap, controls),
                  lambda: fit_drivers(study, outcome, predictors=predictors, filters=current_filters(),
                                      use_weight=bool(st.session_state[WEIGHT]), bootstrap=bootstrap,
                                      controls=controls, predictor_values=scores), keep=RECENT_SETTINGS)


def reading(kind: tuple, compute: Callable[[], T]) -> T:
    """A slide or a table a page shows under the current settings, kept with the analysis it reads: a return
    to one of the ``RECENT_SETTINGS`` most recent settings shows it without building it again. ``kind`` names
    it with everything else it depends on (the language, a segment column)."""
    min_cell = int(st.session_state[MIN_CELL])
    return cached(READING_CACHE, (*_settings_key(), min_cell, *kind), compute, keep=READINGS_KEPT)


def current_analysis() -> Analysis:
    """The analysis under the current settings; the sidebar and the page share it within a rerun, and a
    return to one of the ``RECENT_SETTINGS`` most recent settings finds it computed."""
    min_cell = int(st.session_state[MIN_CELL])
    return cached(LAST_ANALYSIS, (*_settings_key(), min_cell),
                  lambda: analyze(prepared(), current_filters(), min_cell=min_cell), keep=RECENT_SETTINGS)


@dataclass(frozen=True)
class PendingUpload:
    """Files that parsed but cannot be analysed yet (no item found, or items proposed): kept with their
    load result so the Data page can show every column for the user to map. The active study stays."""

    name: str
    files: tuple[SourceFile, ...]
    result: LoadResult
    key: str


def pending() -> PendingUpload | None:
    return store().get(PENDING)


def drop_pending() -> None:
    """Forget an upload that waits for its mapping (its files were taken out of the uploader)."""
    store().pop(PENDING, None)


def load_upload(files: tuple[SourceFile, ...], *, mapping: ColumnMapping | None = None, encoding: str | None = None,
                delimiter: str | None = None, header_row: int | None = None, scale=None, na=None,
                labels=None, accept_proposal: bool = False, offer_previous: bool = True,
                sheet: str | None = None) -> LoadResult:
    """Load uploaded files; the active study changes only when the new one is usable. A later upload
    with the same columns as the last mapped study is read with that mapping (the next wave)."""
    options = {"encoding": encoding, "delimiter": delimiter, "header_row": header_row, "scale": scale, "na": na,
               "labels": labels, "sheet": sheet}
    result = load_study(list(files), mapping=mapping, accept_proposal=accept_proposal, limits=UPLOAD_LIMITS,
                        **options)
    previous = store().get(LAST_MAPPING)
    store().pop(OFFERED, None)
    if mapping is None and offer_previous and previous is not None and matches(previous, result.columns) \
            and result.mapping != previous:
        offered = load_study(list(files), mapping=previous, limits=UPLOAD_LIMITS, **options)
        if offered.study is not None:
            result, mapping = offered, previous
            store()[OFFERED] = True
    name = ", ".join(f.name for f in files)
    label_key = None if labels is None else labels.to_json(orient="values", force_ascii=False)
    key = content_key(files, repr((mapping.dumps() if mapping else None, encoding, delimiter, header_row, scale, na,
                                   label_key, accept_proposal, sheet)))
    if result.study is not None:
        store()[STUDY] = ActiveStudy(name, result, files, key)
        store()[LAST_MAPPING] = result.mapping
        store().pop(PENDING, None)
        st.session_state[FILTERS] = {k: v for k, v in st.session_state[FILTERS].items()
                                     if k in result.study.segments}
    elif result.columns is not None:
        store()[PENDING] = PendingUpload(name, files, result, key)
    return result


def offered_previous_mapping() -> bool:
    """Whether the last load used the previous upload's mapping because the columns matched."""
    return bool(store().get(OFFERED))




def use_demo() -> None:
    for key in (STUDY, CACHE, DRIVER_CACHE, PREDICTOR_CACHE, LAST_ANALYSIS, LAST_STORY, SEGMENT_CACHE, CHART_CACHE,
                READING_CACHE, PENDING):
        store().pop(key, None)


def current_story(lang: str, segment: str | None = None):
    """The report story under the current settings (charts, readings, tables), kept for the
    ``RECENT_SETTINGS`` most recent settings; the driver model comes from the session's cache."""
    from gapcore.driver_model import BOOTSTRAP, default_predictors
    from gapcore.present.story import build_story, report_segment

    study = current_study()
    analysis = current_analysis()
    model = model_key = None
    if study.outcomes and not analysis.suppressed and analysis.n >= max(analysis.min_cell, 30):
        predictors = default_predictors(study)
        model_key = _driver_key(study.outcomes[0], predictors, BOOTSTRAP, ())
        try:
            model = driver_model(study.outcomes[0], predictors)
        except GapcoreError:
            model = None
    key = ("story", *_settings_key(), analysis.min_cell, lang, segment, model_key)
    chosen = report_segment(study, segment)
    return cached(LAST_STORY, key, lambda: build_story(
        prepared(), current_filters(), lang=lang, min_cell=analysis.min_cell, segment=segment, driver_model=model,
        fit_model=False, analysis=analysis, comparison=segment_comparison(chosen) if chosen else None,
        tracking=wave_tracking(),
        segment_analyses=segment_analyses(chosen) if chosen in linked_segments(study) else None),
        keep=RECENT_SETTINGS)


def segment_analyses(column: str) -> dict[str, Analysis]:
    """Each value of ``column`` analysed under the other filters, kept for the session: the Gap model page's
    segment panel and the report's segment sentence read the same chains, computed once."""
    min_cell = int(st.session_state[MIN_CELL])
    return cached(SEGMENT_CACHE, (*_settings_key(), min_cell, column),
                  lambda: by_segment_value(prepared(), column, current_filters(), min_cell=min_cell),
                  keep=SEGMENT_KEPT)


def segment_comparison(column: str) -> SegmentComparison:
    """The values of ``column`` compared under the other filters (``gapcore.segments.compare_segments``), kept
    for the session: the Segments page and the report's heatmap, consistency and tables read the same one."""
    min_cell = int(st.session_state[MIN_CELL])
    return cached(SEGMENT_CACHE, (*_settings_key(), min_cell, column, "comparison"),
                  lambda: compare_segments(prepared(), column, current_filters(), min_cell=min_cell),
                  keep=SEGMENT_KEPT)


def wave_tracking() -> Tracking | None:
    """The study followed over its waves under the other filters (``gapcore.segments.track_waves``), kept for
    the session: the Segments page and the report's tracking slide and tables read the same one; ``None``
    when there is no wave to follow (``follows_waves``)."""
    filters = current_filters()
    if not follows_waves(prepared(), filters):
        return None
    min_cell = int(st.session_state[MIN_CELL])
    wave = current_study().wave
    return cached(SEGMENT_CACHE, (*_settings_key(), min_cell, wave, "waves"),
                  lambda: track_waves(prepared(), wave, filters, min_cell=min_cell), keep=SEGMENT_KEPT)


def segment_company(column: str) -> Analysis:
    """The whole company the values of ``column`` are set against (``gapcore.analysis.company_beside``), kept
    with them."""
    min_cell = int(st.session_state[MIN_CELL])
    return cached(SEGMENT_CACHE, (*_settings_key(), min_cell, column, "company"),
                  lambda: company_beside(prepared(), column, current_filters(), min_cell=min_cell,
                                         analysis=current_analysis()), keep=SEGMENT_KEPT)


@dataclass(frozen=True)
class DeclaredSource:
    """A dataset the operator connected in ``.streamlit/secrets.toml`` (``[servicegap.sources.NAME]``: ``source``,
    optional ``label``, ``table``, ``mapping``). Users pick it by name: none of them ever types a server path."""

    name: str
    source: str
    label: str
    table: str | None = None
    mapping: str | None = None


def declared_sources() -> dict[str, DeclaredSource]:
    """The operator's connected datasets, in the order declared; none without a secrets file."""
    try:
        section = dict(st.secrets.get("servicegap", {})).get("sources", {})
        found = {}
        for name, entry in dict(section).items():
            entry = dict(entry)
            if entry.get("source"):
                found[str(name)] = DeclaredSource(str(name), str(entry["source"]), str(entry.get("label") or name),
                                                  entry.get("table"), entry.get("mapping"))
        return found
    except Exception:
        return {}


@st.cache_resource(max_entries=8, show_spinner=False)
def _connected_study(key: tuple) -> tuple[LoadResult, object]:
    """A connected dataset read once for the server per source version and mapping (the operator's data, shared
    by every session the gate admits; never an upload)."""
    name, source, table, mapping_path, _digest, _version = key
    mapping = ColumnMapping.loads(Path(mapping_path).read_bytes(), file=Path(mapping_path).name) if mapping_path \
        else None
    declared = declared_sources().get(name)
    label = declared.label if declared is not None else name
    return open_study(source, table=table, mapping=mapping, name=label)  # the label, never the server's path


@st.cache_resource(max_entries=8, show_spinner=False)
def connected_prepared(key: tuple, use_weight: bool) -> Prepared:
    """The connected dataset's cells, computed by its engine once for every session, per weight setting."""
    result, connection = _connected_study(key)
    assert result.study is not None and connection is not None
    return prepare_connected(connection, result.study, use_weight=use_weight)


def open_connected(name: str) -> LoadResult:
    """Make a declared dataset the session's study; what was loaded before stays when it fails (a
    ``GapcoreError`` from the source, or a result without a study)."""
    declared = declared_sources()[name]
    version = open_source(declared.source, declared.table).version  # changes when the data does
    digest = ""
    if declared.mapping:
        if not Path(declared.mapping).is_file():
            raise GapcoreError("file_not_found", file=Path(declared.mapping).name)
        digest = hashlib.sha256(Path(declared.mapping).read_bytes()).hexdigest()
    key = (name, declared.source, declared.table, declared.mapping, digest, version)
    result, _connection = _connected_study(key)
    if result.study is None:
        return result
    study = connected_prepared(key, bool(st.session_state[WEIGHT])).study  # with every segment value
    result = replace(result, study=study)
    store()[STUDY] = ActiveStudy(declared.label, result, (), "source:" + hashlib.sha256(repr(key).encode())
                                 .hexdigest()[:16], connected=key)
    store().pop(PENDING, None)
    st.session_state[FILTERS] = {k: v for k, v in st.session_state[FILTERS].items() if k in study.segments}
    return result

