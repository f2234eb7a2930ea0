"""Settings package: ``base`` holds everything, the others adjust it for one use.

Pick one with DJANGO_SETTINGS_MODULE (``portal.settings.dev`` is the default of manage.py).
"""
