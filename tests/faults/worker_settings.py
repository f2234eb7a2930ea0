"""Settings of the fault tests' own Celery workers: the suite's, with mail written to files.

Each message lands in ``FAULTS_MAIL_DIR`` as a file (after the slow server of backends.py), so
that the test counts what every recipient received across worker processes, a killed one too.
"""

import os

from portal.settings.test import *  # noqa: F403

EMAIL_BACKEND = "tests.faults.backends.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["FAULTS_MAIL_DIR"]
CELERY_TASK_ALWAYS_EAGER = False
