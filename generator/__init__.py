"""Static research-paper site generator: dumps -> Markdown pages for MkDocs."""
