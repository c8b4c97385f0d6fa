"""The main module of the app's PDF workers: nothing. A spawned worker runs its parent's main module first; under
Streamlit that would be app.py, with Streamlit, pandas and pyarrow (about 100 MB per worker) and the app's own start.
`reports.workers.plain_spawn_context` names this module instead, so a worker loads only what its jobs import."""
