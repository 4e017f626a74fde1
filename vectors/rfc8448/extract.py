#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Turns the RFC 8448 "Example Handshake Traces for TLS 1.3" text into one JSON file per trace, so the
# tests read the traces as data and need nothing outside the repository. Used for:
#   RFC 8448 §3 Simple 1-RTT Handshake    -> simple_1rtt.json
#   RFC 8448 §4 Resumed 0-RTT Handshake   -> resumed_0rtt.json
#   RFC 8448 §5 HelloRetryRequest         -> hello_retry_request.json
#   RFC 8448 §6 Client Authentication     -> client_auth.json
# Each file holds the trace's steps in order: {"actor": "client"|"server", "action": "<the step's
# heading as printed>", "fields": {"<label>": "<hex>"}}. "(same as ...)" steps carry no fields.
# A field whose hex does not match its printed octet count aborts the script.
# Run: python3 vectors/rfc8448/extract.py RFC8448-TRACES.txt vectors/rfc8448  (the RFC's text, saved
# from https://www.rfc-editor.org/rfc/rfc8448.txt)
import json
import re
import sys

SECTIONS = {
    "3": ("simple_1rtt.json", "Simple 1-RTT Handshake"),
    "4": ("resumed_0rtt.json", "Resumed 0-RTT Handshake"),
    "5": ("hello_retry_request.json", "HelloRetryRequest"),
    "6": ("client_auth.json", "Client Authentication"),
}

STEP = re.compile(r"^   \{(client|server)\}  (.*)$")
FIELD = re.compile(r"^      ([A-Za-z][A-Za-z0-9 ]*?) \((\d+) octets\):  (.*)$")
SALT_ZERO = re.compile(r"^      ([A-Za-z]+):  0 \(all zero octets\)$")
HEX_CONT = re.compile(r"^         ([0-9a-f]{2}( [0-9a-f]{2})*)$")
SECTION = re.compile(r"^(\d+)\.  (.*)$")


def clean_lines(text):
    # Drop the page footers/headers and form feeds of the Internet-Draft layout.
    for line in text.split("\n"):
        line = line.replace("\f", "").rstrip()
        if line.startswith("Thomson ") and "[Page" in line:
            continue
        if line.startswith("Internet-Draft ") and "TLS 1.3 Traces" in line:
            continue
        yield line


def parse(text):
    traces = {}
    section = None
    step = None
    field = None  # [label, octets, [hex parts]]

    def close_field():
        nonlocal field
        if field is None:
            return
        label, octets, parts = field
        hexstr = "".join(p.replace(" ", "") for p in parts)
        if hexstr == "(empty)":
            hexstr = ""
        if len(hexstr) != 2 * octets:
            sys.exit(f"field {label!r} in {step['action']!r}: {len(hexstr) // 2} octets, printed {octets}")
        if label in step["fields"]:
            sys.exit(f"field {label!r} twice in {step['action']!r}")
        step["fields"][label] = hexstr
        field = None

    lines = list(clean_lines(text))
    body_started = False
    for line in lines:
        m = SECTION.match(line)
        if m:
            if m.group(1) == "1":
                body_started = True  # the table of contents comes before
            if body_started:
                close_field()
                step = None
                section = m.group(1) if m.group(1) in SECTIONS else None
                if section:
                    traces[section] = []
                continue
        if section is None:
            continue
        m = STEP.match(line)
        if m:
            close_field()
            step = {"actor": m.group(1), "action": m.group(2).rstrip(":"), "fields": {}}
            traces[section].append(step)
            continue
        if step is None:
            continue
        m = FIELD.match(line)
        if m:
            close_field()
            field = [m.group(1), int(m.group(2)), [m.group(3)]]
            continue
        m = SALT_ZERO.match(line)
        if m:
            close_field()
            step["fields"][m.group(1)] = "zero"
            continue
        m = HEX_CONT.match(line)
        if m and field is not None:
            field[2].append(m.group(1))
            continue
        if line == "":
            continue
        if field is None and not step["fields"] and line.startswith("      "):
            # A heading that wraps onto a second line: "(same as server handshake" / "secret)".
            step["action"] = (step["action"] + " " + line.strip()).rstrip(":")
            continue
        close_field()
        if not line.startswith("      "):
            step = None  # prose between steps
            continue
        sys.exit(f"unrecognised line in section {section}: {line!r}")
    close_field()
    return traces


def main():
    src, out_dir = sys.argv[1], sys.argv[2]
    with open(src, encoding="ascii") as f:
        traces = parse(f.read())
    for number, (name, title) in SECTIONS.items():
        doc = {
            "source": f"RFC 8448 §{number} {title} (from {src.split('/')[-1]}, extracted by extract.py)",
            "cipher_suite": "TLS_AES_128_GCM_SHA256",
            "steps": traces[number],
        }
        with open(f"{out_dir}/{name}", "w", encoding="ascii") as f:
            json.dump(doc, f, indent=1, ensure_ascii=True)
            f.write("\n")
        print(f"{name}: {len(traces[number])} steps")


main()
