"""What the resource families share: the request context, ARNs, pages, idempotency, tags, instances.

A family imports from here and from ``..errors``; never from the fake or the seam.
"""
