"""User mistakes on the command line: one line saying what is wrong and what to do, never a traceback.

:class:`UserError` is raised by the CLI's own checks; :func:`user_mistakes` are the library errors that
a wrong argument or input file causes. Prefect's tracebacks of such expected failures are kept out of
the console by :func:`tradecurbs.logfilters.quiet_expected`.
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake in what the user asked for; the message says what is wrong and what to do."""


def user_mistakes() -> tuple[type[BaseException], ...]:
    """Exception types that mean a wrong argument or input file (imported here to keep the CLI fast)."""
    from tradecurbs.api import ReleaseNotFound
    from tradecurbs.contracts import ContractError
    from tradecurbs.releases.views import NotARelease
    from tradecurbs.sources.config import SourcesFileError

    return (UserError, NotARelease, ReleaseNotFound, SourcesFileError, ContractError)


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type name when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
