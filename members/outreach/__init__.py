"""Reaching out: the opt-in directory, messages relayed between members, and help requests.

Everything here belongs to the members app (its models carry the "members"
label); it lives in its own package so that it can be read on its own.
"""
