#!/usr/bin/env python3
"""Checks one SVG file: xmllint --noout (libxml2's well-formedness check) and Python's
xml.etree.ElementTree parse; the root must be {http://www.w3.org/2000/svg}svg with a viewBox.
Prints a JSON summary (viewBox, counts of circles, polylines, lines and all text) for the test.
Exit 0 accepted, 1 rejected, 3 when xmllint is not installed."""
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def main(path):
    if shutil.which("xmllint") is None:
        print("VALIDATOR MISSING: xmllint is not installed (Debian libxml2-utils); "
              "install it with .ci/install-export-validators")
        return 3
    errors = []
    lint = subprocess.run(["xmllint", "--noout", path], capture_output=True, text=True)
    if lint.returncode != 0:
        errors.append("xmllint: " + lint.stderr.strip())
    summary = {}
    try:
        root = ET.parse(path).getroot()
        if root.tag != SVG + "svg":
            errors.append("root element is %s, not svg" % root.tag)
        if not root.get("viewBox"):
            errors.append("no viewBox on the root element")
        summary = {
            "viewBox": root.get("viewBox"),
            "circles": len(root.findall(".//%scircle" % SVG)),
            "polylines": [p.get("points") for p in root.findall(".//%spolyline" % SVG)],
            "lines": len(root.findall(".//%sline" % SVG)),
            "texts": ["".join(t.itertext()) for t in root.iter(SVG + "text")],
            "title": "".join(root.find(SVG + "title").itertext()) if root.find(SVG + "title") is not None else None,
        }
    except ET.ParseError as e:
        errors.append("ElementTree: %s" % e)
    summary["errors"] = errors
    print(json.dumps(summary))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
