"""Graded release (信息分级分类发布): the one policy deciding who may see what.

Every view, query, search, feed, export and download asks this package; nothing else decides
visibility, and only this package imports django-guardian. ``docs/release.md`` states the rules;
``policy.py`` (visible / can_view / search_filter), ``redaction.py`` and ``audit.py`` apply them.
"""
