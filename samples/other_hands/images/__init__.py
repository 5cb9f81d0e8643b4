"""The "other hands" image family: stamped scans, grey scans, faxes, phone photos and wrong-seal scans of the three
forms, laid out, printed and degraded independently of the project's own sample generator and reader.

Run ``python -m samples.other_hands.images`` from the repository root; see README.md in this folder.
"""
