"""Renders the body Ory Kratos's HTTP courier sends for an SMS, with the Jsonnet we ship
(Integrations/kratos/courier-sms.jsonnet) and a Jsonnet evaluator (the `jsonnet` package from PyPI,
installed by scripts/setup; Kratos runs go-jsonnet, which implements the same language).

Usage: kratos_courier.py JSONNET CTX_JSON
Prints the request body Kratos would POST.
"""

import json
import sys

import _jsonnet


def main():
    path, ctx = sys.argv[1], sys.argv[2]
    json.loads(ctx)
    print(_jsonnet.evaluate_file(path, tla_codes={"ctx": ctx}))


if __name__ == "__main__":
    main()
