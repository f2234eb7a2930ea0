"""The reviewers' pages in the Wagtail admin: the queue, the review page with its diff, and a
read-only browse of every profile. ``portal/enterprises/wagtail_hooks.py`` registers them.

Every decision goes through ``portal.enterprises.workflow``; these views only show and ask.
"""
