"""Errors the engine raises; every message is safe to show a user and says what to do.

    CodebookError
    ├── InputError            the user's file or argument is wrong
    │   ├── UnsupportedFormat  we cannot read this kind of file
    │   ├── NoFieldsFound      a dictionary in which no field can be recognised
    │   ├── NoTextLayer        a PDF that is only scanned images
    │   ├── EncryptedFile      a password-protected file
    │   ├── LimitExceeded      a file would expand beyond a bound (the message names the setting)
    │   └── UnsafeContent      XML entity declarations and the like, refused for safety
    ├── ConfigError           a setting is wrong (bad env var value)
    └── ProviderError         the LLM provider failed (never carries the API key)
"""

from __future__ import annotations


class CodebookError(Exception):
    """Base class; str(exc) is a message fit for users."""


class InputError(CodebookError):
    """The input file or argument is not usable as given."""


class UnsupportedFormat(InputError):
    """The file's format is not one we can read."""


class NoFieldsFound(InputError):
    """A dictionary was read but no field definition could be recognised in it."""


class NoTextLayer(InputError):
    """A PDF has pages but no extractable text (scanned images)."""


class EncryptedFile(InputError):
    """The file is password-protected."""


class LimitExceeded(InputError):
    """A file goes beyond one of the bounds in engine.limits; the message names the setting."""


class UnsafeContent(InputError):
    """Content that is refused for safety (XML entity declarations)."""


class ConfigError(CodebookError):
    """A setting has an invalid value."""


class ProviderError(CodebookError):
    """The LLM provider could not be reached or answered with an error."""
