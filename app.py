"""ServiceGap home page: the demo study (or the user's) at a glance."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from gapcore import load_paths
from gapcore.study import Study

DEMO = Path(__file__).resolve().parent / "data" / "demo_study.xlsx"


@st.cache_resource(max_entries=1)
def demo_study() -> Study:
    """The bundled demo study: the same for every user, so it may be shared."""
    result = load_paths([DEMO])
    assert result.study is not None
    return result.study


st.set_page_config(page_title="ServiceGap", layout="wide")
study = st.session_state.get("study") or demo_study()
st.title("ServiceGap")
st.caption("Customer and staff surveys in; the service-quality gap model out.")
left, middle, right = st.columns(3)
left.metric("Respondents", f"{study.n:,}")
middle.metric("Items", len(study.instrument.items))
right.metric("Provider tables", len(study.providers))
st.subheader("Tables")
st.dataframe(pd.DataFrame([s.__dict__ for s in study.sources]), hide_index=True)
