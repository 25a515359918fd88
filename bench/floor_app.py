"""The floor of bench/app_scale.py: what any Streamlit page with one plotly chart costs.

``streamlit run bench/floor_app.py``: a sidebar with one multiselect and a three-point
plotly chart, no store, no data. app_scale.py loads it exactly as it loads the app (the
same milestones, the same filter round trip: choosing an actor redraws the chart), so the
app's figures can be read against what Streamlit and plotly.js cost by themselves on this
machine in the same run.
"""
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
chosen = st.sidebar.multiselect("Actor", ["Olaf Scholz", "Emmanuel Macron"], placeholder="any")
fig = go.Figure(go.Scatter(x=["2024-01-01", "2024-02-01", "2024-03-01"], y=["a", "b", "a"],
                           mode="markers", customdata=["1", "2", "3"][: 3 - len(chosen)]))
fig.update_layout(title=", ".join(chosen) or "Event timeline", meta={"lanes": "single"})
st.plotly_chart(fig, theme=None, width="stretch")
