"""One family of errors: every message names the file or value and says the fix."""

from __future__ import annotations


class ExtractError(Exception):
    """Base of every planx error; catch it to handle all of them at once."""


class IngestError(ExtractError):
    """A file could not be read into a document.

    The message is one line: the file, what is wrong, what to do.
    """

    def __init__(self, path: str, problem: str, fix: str = ""):
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        message = f"{self.path}: {problem}"
        if fix:
            message += f"; {fix}"
        super().__init__(message)


class RuleFileError(ExtractError):
    """A rule file is malformed: the message gives ``[file -> key -> index]`` and the cause."""


class RuleTimeoutError(ExtractError):
    """A rule ran past its time limit on one document (catastrophic backtracking).

    The message is one line naming the rule; the batch goes on without that document.
    """

    def __init__(self, rule: str, seconds: float):
        self.rule = rule
        super().__init__(f"rule {rule} gave up after {seconds:g} s on this text (the pattern backtracks "
                         "catastrophically); make it linear with atomic groups or possessive quantifiers, "
                         "or report the rule with the document")


class InternalError(ExtractError):
    """A bug in planx itself rather than a problem with the input."""


class MissingExtraError(ExtractError):
    """A feature needs an optional extra that is not installed; the message says how to add it."""

    def __init__(self, feature: str, extra: str):
        self.feature = feature
        self.extra = extra
        super().__init__(f"{feature} needs the {extra} extra: pip install 'planx[{extra}]'")
