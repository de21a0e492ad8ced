"""ServiceGap as served: the app (``app.py`` and ``pages/``) behind ``ui.guard``, which protects
Streamlit's own endpoints (downloads, uploads, metrics, framing, Host). ``make run`` starts this;
so should a deployment: ``streamlit run serve.py``."""

import streamlit as st
from starlette.middleware import Middleware

from ui.guard import Guard

app = st.App("app.py", middleware=[Middleware(Guard)])
