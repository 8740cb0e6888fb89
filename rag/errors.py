"""The errors the product reports to people. Each message names the file, key or input at fault
and says what to do; the CLI and the UI show the message, never a traceback."""


class RagError(Exception):
    """Base of every error meant to be shown to a user as one line."""


class ConfigError(RagError):
    """config.yaml (or an override) is missing, malformed, or names something that is not there."""


class IndexError_(RagError):
    """The index is missing, corrupt, foreign, or locked by another process."""


class ModelError(RagError):
    """The embedding model cannot be found or built."""


class QuestionError(RagError):
    """The question cannot be answered as given (empty, unreadable)."""
