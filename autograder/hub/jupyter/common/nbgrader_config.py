"""nbgrader settings shared by every account on the course hub: students, instructors and the formgrader.

The hub puts this folder on JUPYTER_CONFIG_PATH of every server it starts and passes the course id and the
exchange folder as environment variables (see ../../jupyterhub_config.py). On a hub configured by hand, copy this
file to /etc/jupyter/nbgrader_config.py and set the two variables system-wide.

Privacy hardening. nbgrader's exchange already hides submissions: the inbound folder is write-only for students
(0733, setgid to the instructor's group) and each submission folder name ends with a random string. But the
files inside a submission are left world-readable (0644) in a world-writable folder (0777), so anyone who learns
a folder's name can read or delete a classmate's work. `PrivateSubmit` below keeps nbgrader's behaviour and then
closes that gap: the submission folder becomes 0770 and its contents 0640/0750, all in the instructors' group
(inbound is setgid to it), so only the student and the instructors can open them.

Collect. nbgrader's collect trusts a submission folder's name: anyone may create one named after a classmate (or
run ``nbgrader submit --student <classmate>``), and a timestamp in 2099 beats every real submission.
``netcourse.grading.collect.CheckedCollect`` refuses, and names in the log, every folder that is not the named
student's own, on-time, plain submission, and collects that student's latest valid one instead.
"""

import os
import secrets
import shutil
from stat import S_IRGRP, S_IRUSR, S_IRWXG, S_IRWXU, S_IWUSR, S_IXGRP

from nbgrader.exchange.default.submit import ExchangeSubmit

from netcourse.grading.collect import CheckedCollect

c = get_config()  # noqa: F821  (provided by traitlets' config loader)

c.CourseDirectory.course_id = os.environ.get("NETCOURSE_COURSE_ID", "")
c.Exchange.root = os.environ.get("NETCOURSE_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
# One exchange can serve several courses; each course has its own outbound/inbound/feedback folders.
c.Exchange.path_includes_course = True

# The formgrader service works in the course folder (source/, release/, submitted/, gradebook.db).
if os.environ.get("NETCOURSE_COURSE_ROOT"):
    c.CourseDirectory.root = os.environ["NETCOURSE_COURSE_ROOT"]

# Inside the hub, ask it which courses a user belongs to (groups nbgrader-<course> and formgrade-<course>).
# Outside the hub (an instructor's shell, the parallel grader) there is no hub token and nbgrader's default
# plugin applies; file permissions, not this plugin, are what keep students' work private.
if os.environ.get("JUPYTERHUB_API_TOKEN") and os.environ.get("JUPYTERHUB_USER"):
    c.Authenticator.plugin_class = "nbgrader.auth.jupyterhub.JupyterHubAuthPlugin"


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, then only the student and the instructors' group can read or change the submission.

    nbgrader's copy ends with copying the folder's mode, which drops the setgid bit it inherited from inbound,
    so files written after it (timestamp.txt, submission_secret.txt) would belong to the student's own group.
    The submission is therefore rebuilt in a fresh folder inside inbound, where every new file takes the
    instructors' group, then closed (files 0640, folders 0750, the submission folder 0770) and renamed into place.
    If the group cannot be the instructors' (an inbound folder made by hand without setgid), nbgrader's own
    permissions stay, so the instructors can always collect.
    """

    def copy_files(self):
        super().copy_files()
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        instructors_gid = os.stat(self.inbound_path).st_gid
        staging = os.path.join(self.inbound_path, "." + secrets.token_hex(12))  # never matches collect's glob
        os.mkdir(staging, S_IRWXU)
        try:
            for folder, subfolders, files in os.walk(dest):
                target = os.path.normpath(os.path.join(staging, os.path.relpath(folder, dest)))
                for name in subfolders:
                    os.mkdir(os.path.join(target, name), S_IRWXU)
                for name in files:
                    shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))
            made = [os.path.join(f, n) for f, d, files in os.walk(staging) for n in d + files]
            if any(os.stat(path).st_gid != instructors_gid for path in [staging, *made]):
                self.log.warning("Inbound %s is not setgid; keeping nbgrader's permissions", self.inbound_path)
                shutil.rmtree(staging)
                return
            for folder, subfolders, files in os.walk(staging, topdown=False):
                for name in files:
                    os.chmod(os.path.join(folder, name), S_IRUSR | S_IWUSR | S_IRGRP)
                for name in subfolders:
                    os.chmod(os.path.join(folder, name), S_IRWXU | S_IRGRP | S_IXGRP)
            # rwx for the group so instructors can still tidy the exchange; nothing for anyone else.
            os.chmod(staging, S_IRWXU | S_IRWXG)
            shutil.rmtree(dest)
            os.rename(staging, dest)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


c.ExchangeFactory.submit = PrivateSubmit
c.ExchangeFactory.collect = CheckedCollect
