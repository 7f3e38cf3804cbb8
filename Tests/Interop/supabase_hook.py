"""Calls Switchboard's Supabase Send SMS hook as Supabase Auth does, signed with `standardwebhooks`
(the Standard Webhooks reference implementation Supabase's own signing follows).

Usage: supabase_hook.py URL SECRET NOW
  URL     the hook, such as http://127.0.0.1:8080/hooks/supabase/demo/send-sms
  SECRET  the app's secret as Supabase shows it: v1,whsec_BASE64
  NOW     the daemon's clock, in seconds since 1970 (tests run it on a clock of their own)

Prints one JSON object: each call's name, status and body. The Swift test that runs it judges them.
"""

import datetime
import json
import sys
import urllib.error
import urllib.request
import uuid

from standardwebhooks.webhooks import Webhook


def post(url, body, msg_id, timestamp, signature):
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(timestamp.timestamp())),
            "webhook-signature": signature,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def main():
    url, secret, now = sys.argv[1], sys.argv[2], int(sys.argv[3])
    # Supabase strips the `v1,` before handing the secret to the library.
    webhook = Webhook(secret.removeprefix("v1,"))
    stranger = Webhook("whsec_" + "c3RyYW5nZXItc2VjcmV0LTAxMjM0NTY3ODk=")
    at = datetime.datetime.fromtimestamp(now, tz=datetime.timezone.utc)
    stale = at - datetime.timedelta(minutes=6)
    body = json.dumps({
        "user": {"id": str(uuid.uuid4()), "aud": "authenticated", "role": "authenticated", "phone": "447700900123",
                 "app_metadata": {"provider": "phone", "providers": ["phone"]}, "user_metadata": {}},
        "sms": {"otp": "482915"},
    })
    changed = body.replace("447700900123", "447700900999")
    results = {}

    msg_id = "msg_" + uuid.uuid4().hex
    results["wrong_secret"] = post(url, body, msg_id, at, stranger.sign(msg_id, at, body))
    msg_id = "msg_" + uuid.uuid4().hex
    results["changed_body"] = post(url, changed, msg_id, at, webhook.sign(msg_id, at, body))
    msg_id = "msg_" + uuid.uuid4().hex
    results["stale"] = post(url, body, msg_id, stale, webhook.sign(msg_id, stale, body))
    msg_id = "msg_" + uuid.uuid4().hex
    results["genuine"] = post(url, body, msg_id, at, webhook.sign(msg_id, at, body))
    results["replayed"] = post(url, body, msg_id, at, webhook.sign(msg_id, at, body))

    print(json.dumps({name: {"status": status, "body": text} for name, (status, text) in results.items()}))


if __name__ == "__main__":
    main()
