"""Everything Gradio-, server- and process-specific, beside app.py: the callbacks (`handlers`:
pipeline events to component updates), what they show (`views`), the session's state
(`session`), the server (`server`), patches of other libraries (`patches`) and the runtime
care of the serving process (`runtime`).  The engine never imports this package."""
