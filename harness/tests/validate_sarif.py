#!/usr/bin/python3
"""validate_sarif.py SCHEMA FILE: check a SARIF log against the SARIF 2.1.0
JSON schema (draft 2020-12, as the SARIF Multitool ships it) with Debian's
python3-jsonschema; exit 0 when valid, 1 and every problem otherwise."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(log))
for e in errors:
    print("%s: %s" % ("/".join(map(str, e.absolute_path)), e.message))
sys.exit(1 if errors else 0)
