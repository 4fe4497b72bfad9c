"""Business rules: cross-field checks per design, each a small named function.

A design's ``record.rules`` names the module here that registers its rules
with :func:`sharedsvc.validation.business_rule`.
"""
