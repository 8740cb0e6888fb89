"""The Gradio chat UI: a thin shell over `rag.Assistant`."""
