"""Signs delivery receipts as the providers do, independently of Switchboard's code.

  receipt_signatures.py twilio AUTH_TOKEN URL PARAMS_JSON   -> X-Twilio-Signature (twilio's RequestValidator)
  receipt_signatures.py vonage SECRET BODY                  -> a Vonage signed-webhook JWT (HS256, payload_hash)
"""
import base64
import hashlib
import hmac
import json
import sys
import time

from twilio.request_validator import RequestValidator


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main() -> None:
    mode = sys.argv[1]
    if mode == "twilio":
        token, url, params = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
        print(RequestValidator(token).compute_signature(url, params))
    elif mode == "vonage":
        secret, body = sys.argv[2].encode(), sys.argv[3].encode()
        header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        now = int(time.time())
        claims = b64url(json.dumps({"iat": now, "nbf": now, "exp": now + 300, "jti": "receipt-test",
                                    "payload_hash": hashlib.sha256(body).hexdigest()}).encode())
        signature = b64url(hmac.new(secret, f"{header}.{claims}".encode(), hashlib.sha256).digest())
        print(f"{header}.{claims}.{signature}")
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
