"""Imported only inside the fork server (it is on the preload list, never imported by the run itself).

The fork server and the workers forked from it inherit the run's terminal as stderr: a worker caught mid-start by the
run's exit printed a traceback beside the Chinese message staff read (issue 18). When the run names a log file, this
sends the fork server's stderr, and so every worker's, to that log instead, where nothing is lost.
"""

import os

from flows.reading.isolation import CHILD_STDERR_ENV

_path = os.environ.get(CHILD_STDERR_ENV)
if _path:
    try:
        _fd = os.open(_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError:  # an unwritable log: keep the terminal rather than lose the text
        pass
    else:
        os.dup2(_fd, 2)
        os.close(_fd)
