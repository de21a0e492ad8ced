"""Streamlit-side helpers: translations, session state, the shared sidebar, chart builders.

Pages import from here and from gapcore; gapcore never imports from here.
"""
