"""Sends through Switchboard's Twilio-compatible Messages API with Twilio's own Python SDK
(`twilio` from PyPI, installed by scripts/setup), changed only in its base URL.

Usage: twilio_messages.py BASE_URL ACCOUNT_SID AUTH_TOKEN TO
Prints one JSON object with what the SDK saw; the Swift test that runs it judges it.
"""

import json
import sys

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client


def client(base_url, sid, token):
    made = Client(sid, token)
    made.api.base_url = base_url
    return made


def refusal(call):
    try:
        call()
    except TwilioRestException as error:
        return {"status": error.status, "code": error.code, "message": error.msg}
    return None


def main():
    base_url, sid, token, to = sys.argv[1:5]
    sdk = client(base_url, sid, token)
    created = sdk.messages.create(to=to, from_="+15005550006", body="Your order has shipped.")
    fetched = sdk.messages(created.sid).fetch()
    fields = ["sid", "account_sid", "status", "to", "from_", "body", "num_segments", "num_media", "direction", "api_version",
              "error_code", "error_message", "uri"]
    result = {
        "created": {name: getattr(created, name) for name in fields},
        "created_date": created.date_created.isoformat() if created.date_created else None,
        "fetched": {name: getattr(fetched, name) for name in fields},
        "invalid_to": refusal(lambda: sdk.messages.create(to="+1555", from_="+15005550006", body="x")),
        "no_body": refusal(lambda: sdk.messages.create(to=to, from_="+15005550006", body="")),
        "wrong_token": refusal(lambda: client(base_url, sid, token + "x").messages.create(to=to, from_="+15005550006", body="x")),
        "unknown_sid": refusal(lambda: sdk.messages("SM" + "0" * 32).fetch()),
    }
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
