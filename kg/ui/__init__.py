"""View helpers for app.py: pure functions from library objects to display data (no Streamlit here)."""
