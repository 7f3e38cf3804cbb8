"""Checks a Switchboard-Signature header exactly as the README's receiver example does, with the
Python standard library only, independently of Switchboard's own code.

Usage: webhook_signature.py SECRET HEADER BODY NOW
Prints "valid" or "invalid".
"""

import hashlib
import hmac
import sys


def verify(secret, header, body, now, tolerance=300):
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    timestamp, signature = fields.get("t", ""), fields.get("v1", "")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


if __name__ == "__main__":
    secret, header, body, now = sys.argv[1:5]
    print("valid" if verify(secret, header, body.encode(), int(now)) else "invalid")
