"""The registry's REST resource: ``/api/v1/enterprises/`` (list, detail, owners' PATCH).

Reads go through ``classification.policy.visible`` and ``classification.redaction.redact``;
writes go through ``portal.enterprises.workflow.save_draft``. Nothing here decides visibility.
"""
