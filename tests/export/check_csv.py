#!/usr/bin/env python3
"""Parses one CSV file with Python's csv module (strict RFC 4180 dialect: comma, double-quote,
CRLF) and prints {"header": [...], "rows": [[...], ...]} as JSON. Rejects (exit 1) a file whose
lines do not all end in CRLF, a malformed quoted field (csv.Error in strict mode) or a row whose
field count differs from the header's."""
import csv
import io
import json
import sys


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    errors = []
    text = data.decode("utf-8")
    if data and not data.endswith(b"\r\n"):
        errors.append("the last record does not end in CRLF")
    # Outside quoted fields every line break must be CRLF (RFC 4180 2.1).
    quoted = False
    for i, byte in enumerate(data):
        if byte == 0x22:
            quoted = not quoted
        elif not quoted and byte == 0x0A and (i == 0 or data[i - 1] != 0x0D):
            errors.append("bare LF at byte %d" % i)
            break
        elif not quoted and byte == 0x0D and data[i + 1:i + 2] != b"\n":
            errors.append("bare CR at byte %d" % i)
            break
    rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect="excel", strict=True)
        rows = list(reader)
    except csv.Error as e:
        errors.append("csv: %s" % e)
    if not rows:
        errors.append("no header row")
    else:
        width = len(rows[0])
        for i, row in enumerate(rows[1:], start=2):
            if len(row) != width:
                errors.append("record %d has %d fields, the header %d" % (i, len(row), width))
    print(json.dumps({"header": rows[0] if rows else [], "rows": rows[1:], "errors": errors}))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
