#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Prints expected.json: the fields of every sample as OpenSSL reports them (`openssl pkey -text`,
# `openssl asn1parse`), as lowercase hex magnitudes without sign octets.
import json, re, subprocess

def run(*args):
    return subprocess.run(["openssl", *args], check=True, capture_output=True, text=True).stdout

def text_fields(args):
    """Parses `openssl ... -text -noout` into {field: hex}; multi-line colon-hex blocks."""
    out, fields, name = run(*args), {}, None
    for line in out.splitlines():
        m = re.match(r"^(\w[\w ]*?):\s*(.*)$", line)
        if m and not re.fullmatch(r"[0-9a-f:]+", line.strip()):
            name, rest = m.group(1), m.group(2).strip()
            fields[name] = rest
            continue
        if name and re.fullmatch(r"[0-9a-f:]+", line.strip()):
            fields[name] += line.strip()
    return fields

def hexval(s):
    s = s.replace(":", "")
    return s.lstrip("0") if len(s.lstrip("0")) % 2 == 0 else "0" + s.lstrip("0")

def strip_sign(h):
    while len(h) > 2 and h.startswith("00"):
        h = h[2:]
    return h

out = {"_source": "openssl 3.0 CLI: pkey/rsa/ec -text -noout and asn1parse; see generate.sh"}

f = text_fields(["rsa", "-in", "rsa2048_pkcs8.pem", "-text", "-noout"])
exp = re.match(r"(\d+)", f["publicExponent"]).group(1)
rsa = {"n": f["modulus"], "e": format(int(exp), "x"), "d": f["privateExponent"], "p": f["prime1"],
       "q": f["prime2"], "dp": f["exponent1"], "dq": f["exponent2"], "qinv": f["coefficient"]}
out["rsa2048"] = {k: strip_sign(v.replace(":", "")) for k, v in rsa.items()}
out["rsa2048"]["e"] = "0" * (len(out["rsa2048"]["e"]) % 2) + out["rsa2048"]["e"]

f = text_fields(["pkey", "-in", "rsapss2048_pkcs8.pem", "-text", "-noout"])
out["rsapss2048"] = {"n": strip_sign(f["modulus"].replace(":", ""))}
txt = run("pkey", "-in", "rsapss2048_pkcs8.pem", "-text", "-noout")
out["rsapss2048"]["hash"] = re.search(r"Hash Algorithm: (\S+)", txt).group(1)
out["rsapss2048"]["mgf1_hash"] = re.search(r"Mask Algorithm: MGF1 with (\S+)", txt).group(1)
out["rsapss2048"]["salt_length"] = int(re.search(r"Minimum Salt Length: (\S+)", txt).group(1), 0)

for n in ["p256", "p384"]:
    f = text_fields(["ec", "-in", n + "_sec1.pem", "-text", "-noout"])
    out[n] = {"d": f["priv"].replace(":", ""), "public": f["pub"].replace(":", ""),
              "curve_oid": f["ASN1 OID"]}

for n in ["x25519", "ed25519"]:
    f = text_fields(["pkey", "-in", n + "_pkcs8.pem", "-text", "-noout"])
    out[n] = {"private": f["priv"].replace(":", ""), "public": f["pub"].replace(":", "")}

# ECDSA signature: r and s from asn1parse's INTEGER lines (":HEX" after "prim: INTEGER").
ints = re.findall(r"INTEGER\s+:([0-9A-F]+)", run("asn1parse", "-inform", "DER", "-in", "ecdsa_p256_sha256.sig"))
out["ecdsa_p256_sha256"] = {"r": strip_sign(ints[0].lower()), "s": strip_sign(ints[1].lower())}

print(json.dumps(out, indent=2))
