"""The formgrader's server: every request passes the course's staff guard (TAs grade; only instructors manage).

Loaded from JUPYTER_CONFIG_PATH beside jupyter_server_config.json, which enables the guard's server extension
``coursehub.staff`` next to nbgrader's. This file makes that module importable (it sits two folders up, in
autograder/hub/coursehub/; on Kubernetes NETCOURSE_HUB_CODE names the folder) and makes a failure to load it stop
the server instead of serving it unguarded.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets' config loader)

_code = os.environ.get("NETCOURSE_HUB_CODE") or str(Path(__file__).resolve().parent.parent.parent)
if _code not in sys.path:
    sys.path.insert(0, _code)

if not os.environ.get("NETCOURSE_COURSE_ID"):
    raise ValueError("NETCOURSE_COURSE_ID is not set: the formgrader cannot tell which course's scopes to check")
c.ServerApp.reraise_server_extension_failures = True  # no guard, no formgrader
