#!/usr/bin/python3
"""validate_results.py SCHEMA JSON...: check results documents against the
schema (Debian's python3-jsonschema); exit 0 when every one is valid, 1 and
the first problem of each otherwise."""
import json
import sys

import jsonschema


def main():
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    bad = 0
    for path in sys.argv[2:]:
        with open(path) as f:
            doc = json.load(f)
        for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.path))[:1]:
            print("%s: %s at %s" % (path, error.message, "/".join(map(str, error.path))))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
