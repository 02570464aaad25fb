#!/usr/bin/python3
"""read_junit.py FILE: read a JUnit XML report as a JUnit consumer does
(Debian's python3-junitparser) and print one line a testcase:
"SUITE NAME RESULT", RESULT being pass, failure, error or skipped."""
import sys

from junitparser import JUnitXml, Error, Failure, Skipped

xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    for case in suite:
        result = "pass"
        for r in case.result:
            if isinstance(r, Failure):
                result = "failure"
            elif isinstance(r, Error):
                result = "error"
            elif isinstance(r, Skipped):
                result = "skipped"
        print(suite.name, case.name, result)
