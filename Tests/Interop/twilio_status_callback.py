"""Validates a status callback Switchboard POSTed with the official `twilio` package's
RequestValidator (installed by scripts/setup), as a Twilio customer's receiver would.

Usage: twilio_status_callback.py AUTH_TOKEN URL FORM_BODY SIGNATURE
Prints one JSON object: whether the callback validates, whether a changed parameter or another
URL still would (they must not), and the parameters as the receiver reads them.
"""

import json
import sys
from urllib.parse import parse_qsl

from twilio.request_validator import RequestValidator


def main():
    token, url, body, signature = sys.argv[1:5]
    params = dict(parse_qsl(body, keep_blank_values=True))
    validator = RequestValidator(token)
    changed = dict(params, MessageStatus="delivered" if params.get("MessageStatus") != "delivered" else "sent")
    print(json.dumps({
        "valid": validator.validate(url, params, signature),
        "changed_parameter_valid": validator.validate(url, changed, signature),
        "other_url_valid": validator.validate(url + "x", params, signature),
        "params": params,
    }))


if __name__ == "__main__":
    main()
