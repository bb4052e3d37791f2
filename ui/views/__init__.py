"""The app's pages, run by st.navigation in ui/app.py (not named pages/: Streamlit would list that folder by itself,
even on a page the password gate stopped)."""
