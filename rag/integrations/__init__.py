"""Integrations with other frameworks. Each is imported only when used: nothing else in `rag`
imports this package, so `import rag` never pulls them in."""
