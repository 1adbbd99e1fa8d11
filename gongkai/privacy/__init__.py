"""Personal information in proactive disclosure (issue 25): the check before
publishing (findings, legal bases recorded per finding), one-click masking, the scan
of what is already published, and each organisation's rules. The detectors are in
``gongkai.core.pii``; docs/privacy.md describes the whole."""
