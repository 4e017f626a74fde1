# SPDX-License-Identifier: Apache-2.0
# `padlock x509 show` and `padlock x509 verify` against the openssl command-line tool as the oracle:
#   - verify on every chain case of tests/x509/gen_chains.sh: accept/reject as `openssl verify` at the
#     same time and purpose (run here, on the same files), the error gen_chains.sh names (written by
#     hand from RFC 5280), the depth openssl reports, and on success the path `openssl verify
#     -show_chain` prints;
#   - show --json on every certificate of those chains and of the system CA bundle: serial, SHA-256
#     fingerprint, dates, subject and issuer, key and signature algorithms and every extension, each
#     compared with what `openssl x509 -noout -text -serial -fingerprint ...` prints;
#   - revocation: a CRL made by `openssl ca -gencrl` revokes a leaf for both tools;
#   - an RSA root -> P-384 CA -> P-256 leaf chain verified against the system bundle plus its root;
#   - input errors exit 2, verdicts 1, valid paths 0.
# Usage: x509_cli_test.py PADLOCK CHAINS_DIR CA_BUNDLE. A cross-built padlock runs through $MESON_EXE_WRAPPER.
import datetime
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

padlock, chains, bundle = sys.argv[1], sys.argv[2], sys.argv[3]
wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
failures = 0
checks = 0
NAMEOPT = "sep_comma_plus_space,utf8,sname,dump_unknown"


def run(*args):
    return subprocess.run(wrapper + [padlock, *args], capture_output=True, text=True)


def openssl(*args, input_text=None):
    env = dict(os.environ, OPENSSL_CONF="/dev/null")
    return subprocess.run(["openssl", *args], capture_output=True, text=True, env=env, input=input_text)


def check(ok, what, detail=""):
    global failures, checks
    checks += 1
    if not ok:
        print("FAIL " + what + "\n     " + str(detail))
    failures += not ok


# ---------------------------------------------------------------- verify ----
with open(os.path.join(chains, "cases.txt")) as f:
    lines = f.read().split("\n")
T = int(lines[0].split()[1])
cases = [l.split() for l in lines[1:] if l.strip()]
check(len(cases) >= 34, "gen_chains.sh wrote its cases", len(cases))
verified = 0
for name, leaf, untrusted, roots, purpose, error, index, _ in cases:
    p = os.path.join
    args = ["x509", "verify", p(chains, leaf + ".pem"), "--ca", p(chains, name + ".roots.pem"), "--time", str(T),
            "--purpose", purpose, "--json"]
    ossl = ["verify", "-no-CApath", "-no-CAstore", "-CAfile", p(chains, name + ".roots.pem"), "-attime", str(T),
            "-purpose", "sslserver" if purpose == "server" else "sslclient", "-show_chain", "-nameopt", NAMEOPT]
    if untrusted != "-":
        args += ["--untrusted", p(chains, name + ".untrusted.pem")]
        ossl += ["-untrusted", p(chains, name + ".untrusted.pem")]
    r = run(*args)
    o = openssl(*ossl, p(chains, leaf + ".pem"))
    try:
        v = json.loads(r.stdout)
    except json.JSONDecodeError:
        check(False, f"verify {name}: JSON output", r.stdout + r.stderr)
        continue
    ok = v["verdict"] == "ok"
    check(ok == (o.returncode == 0) and r.returncode == (0 if ok else 1),
          f"verify {name}: verdict and exit status agree with openssl verify", (r.returncode, v, o.stdout, o.stderr))
    check(v.get("error", "ok") == error, f"verify {name}: error {error}", v.get("error"))
    if ok:
        # openssl -show_chain: "depth=N: <subject> (untrusted)" per certificate, leaf first.
        chain = [re.sub(r" \(untrusted\)$", "", m) for m in re.findall(r"^depth=\d+: (.*)$", o.stdout, re.M)]
        check([c["subject"] for c in v["path"]] == chain, f"verify {name}: the path openssl prints",
              ([c["subject"] for c in v["path"]], chain))
        verified += 1
    else:
        m = re.search(r"error \d+ at (\d+) depth", o.stdout + o.stderr)
        check(m is not None and int(m.group(1)) == v["index"] == int(index),
              f"verify {name}: the certificate at fault (openssl's depth)", (v["index"], o.stdout + o.stderr))
        check(v["reason"] != "" and v["certificate"]["subject"] != "", f"verify {name}: a reason and a certificate", v)
print(f"verify: {len(cases)} chain cases ({verified} valid) compared with openssl verify")

# The text form: the path or the reason, and exit statuses.
leaf3, i1, root = (os.path.join(chains, n + ".pem") for n in ("leaf3", "i1", "root"))
r = run("x509", "verify", leaf3, "--untrusted", i1, "--ca", root, "--time", str(T), "--host", "www.example.com")
check(r.returncode == 0 and r.stdout.startswith("OK") and "CN=I1" in r.stdout and "CN=Root  (trust anchor)" in r.stdout,
      "verify prints the path", r.stdout + r.stderr)
r = run("x509", "verify", leaf3, "--untrusted", i1, "--ca", root, "--time", str(T), "--host", "www.example.org")
check(r.returncode == 1 and "hostname_mismatch" in r.stdout and "DNS:www.example.com" in r.stdout,
      "verify --host: a name mismatch says which names the leaf has", r.stdout + r.stderr)
r = run("x509", "verify", leaf3, "--untrusted", i1, "--ca", root, "--time", str(T), "--ip", "10.1.2.3")
check(r.returncode == 1 and "hostname_mismatch" in r.stdout, "verify --ip: no iPAddress SAN", r.stdout + r.stderr)
r = run("x509", "verify", os.path.join(chains, "nc_ok.pem"), "--untrusted", os.path.join(chains, "i1_nc.pem"),
        "--ca", root, "--time", str(T), "--ip", "10.1.2.3")
check(r.returncode == 0, "verify --ip: a matching iPAddress SAN", r.stdout + r.stderr)
r = run("x509", "verify", leaf3, "--untrusted", i1, "--ca", root, "--time", "2000-01-01")
check(r.returncode == 1 and "certificate_not_yet_valid" in r.stdout and "not yet valid" in r.stdout,
      "verify --time as a date: not yet valid", r.stdout)
r = run("x509", "verify", leaf3, "--untrusted", i1, "--ca", root, "--time", "2200-01-01T00:00:00Z")
check(r.returncode == 1 and "certificate_expired" in r.stdout, "verify --time ISO 8601: expired", r.stdout)
r = run("x509", "verify", leaf3, "--untrusted", i1, "--ca", root, "--time", "yesterday")
check(r.returncode == 2 and "--time" in r.stderr, "verify --time: a bad time is a usage error", r.stderr)
r = run("x509", "verify", leaf3, "--untrusted", i1, "--ca", root, "--ip", "www.example.com")
check(r.returncode == 2, "verify --ip: not an address", r.stderr)
r = run("x509", "verify", leaf3, "--ca", os.path.join(chains, "missing.pem"))
check(r.returncode == 2 and "cannot open" in r.stderr, "verify: a missing trust store is an input error", r.stderr)
# The leaf file may carry the chain (leaf first), as servers store it.
with tempfile.TemporaryDirectory() as tmp:
    full = os.path.join(tmp, "full.pem")
    with open(full, "w") as f:
        f.write(open(leaf3).read() + open(i1).read())
    r = run("x509", "verify", full, "--ca", root, "--time", str(T))
    check(r.returncode == 0, "verify: intermediates after the leaf in its file", r.stdout + r.stderr)
    # The default trust store is the system bundle, where the generated root is not.
    if os.path.exists("/etc/ssl/certs/ca-certificates.crt"):
        r = run("x509", "verify", full, "--time", str(T), "--json")
        v = json.loads(r.stdout)
        check(r.returncode == 1 and v["error"] == "unknown_issuer" and v["index"] == 1 and
              v["trust_store"] == "/etc/ssl/certs/ca-certificates.crt",
              "verify: --ca defaults to the system bundle", r.stdout + r.stderr)

    # ---- revocation: openssl ca revokes one leaf and writes the CRL ----
    def sh(*cmd):
        res = openssl(*cmd)
        if res.returncode != 0:
            raise RuntimeError(" ".join(cmd) + "\n" + res.stderr)
    cnf = os.path.join(tmp, "ca.cnf")
    with open(cnf, "w") as f:
        f.write(f"[ca]\ndefault_ca=c\n[c]\ndatabase={tmp}/index.txt\nnew_certs_dir={tmp}\nserial={tmp}/serial\n"
                f"crlnumber={tmp}/crlnumber\ndefault_md=sha256\npolicy=p\nunique_subject=no\ndefault_crl_days=30\n"
                "[p]\ncommonName=supplied\n[leaf]\nbasicConstraints=CA:FALSE\nsubjectAltName=DNS:www.example.com\n"
                "extendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\n"
                "[ca_ext]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
                "subjectKeyIdentifier=hash\n[req]\ndistinguished_name=dn\n[dn]\n")
    open(os.path.join(tmp, "index.txt"), "w").close()
    with open(os.path.join(tmp, "serial"), "w") as f:
        f.write("1000\n")
    with open(os.path.join(tmp, "crlnumber"), "w") as f:
        f.write("01\n")
    k = lambda n: os.path.join(tmp, n)
    sh("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", k("ca.key"))
    sh("req", "-new", "-x509", "-key", k("ca.key"), "-subj", "/CN=CRL CA", "-days", "100", "-config", cnf,
       "-extensions", "ca_ext", "-out", k("ca.pem"))
    for leaf_name in ("good", "revoked"):
        sh("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", k(leaf_name + ".key"))
        sh("req", "-new", "-key", k(leaf_name + ".key"), "-subj", "/CN=" + leaf_name, "-config", cnf, "-out",
           k(leaf_name + ".csr"))
        sh("ca", "-batch", "-config", cnf, "-cert", k("ca.pem"), "-keyfile", k("ca.key"), "-in", k(leaf_name + ".csr"),
           "-days", "50", "-extensions", "leaf", "-notext", "-out", k(leaf_name + ".pem"))
    sh("ca", "-config", cnf, "-cert", k("ca.pem"), "-keyfile", k("ca.key"), "-revoke", k("revoked.pem"))
    sh("ca", "-gencrl", "-config", cnf, "-cert", k("ca.pem"), "-keyfile", k("ca.key"), "-out", k("crl.pem"))
    for leaf_name, want in (("good", "ok"), ("revoked", "certificate_revoked")):
        r = run("x509", "verify", k(leaf_name + ".pem"), "--ca", k("ca.pem"), "--crl", k("crl.pem"), "--json")
        o = openssl("verify", "-no-CApath", "-no-CAstore", "-CAfile", k("ca.pem"), "-crl_check", "-CRLfile",
                    k("crl.pem"), k(leaf_name + ".pem"))
        v = json.loads(r.stdout) if r.stdout.startswith("{") else {}
        check(v.get("error", "ok" if v else "?") == want and (o.returncode == 0) == (want == "ok") and
              r.returncode == (0 if want == "ok" else 1),
              f"verify --crl: {leaf_name} leaf as openssl verify -crl_check", (r.stdout, r.stderr, o.stdout, o.stderr))
    # ---- a 3-level chain of mixed algorithms (RSA-3072 root, P-384 intermediate, P-256 leaf),
    # verified against the whole system bundle with that root added, as openssl verify does ----
    with open(os.path.join(tmp, "mix.cnf"), "w") as f:
        f.write("[req]\ndistinguished_name=dn\n[dn]\n[ca_ext]\nbasicConstraints=critical,CA:TRUE\n"
                "keyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
                "[leaf]\nbasicConstraints=CA:FALSE\nsubjectAltName=DNS:mixed.example.net\nextendedKeyUsage=serverAuth\n"
                "authorityKeyIdentifier=keyid\n")
    mix = os.path.join(tmp, "mix.cnf")
    sh("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out", k("mroot.key"))
    sh("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", k("minter.key"))
    sh("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", k("mleaf.key"))
    sh("req", "-new", "-x509", "-key", k("mroot.key"), "-sha384", "-subj", "/O=padlock test/CN=Mixed Root", "-days",
       "30", "-config", mix, "-extensions", "ca_ext", "-out", k("mroot.pem"))
    for n, issuer, subj, ext, md in (("minter", "mroot", "/O=padlock test/CN=Mixed P-384 CA", "ca_ext", "-sha256"),
                                     ("mleaf", "minter", "/CN=mixed.example.net", "leaf", "-sha384")):
        sh("req", "-new", "-key", k(n + ".key"), "-subj", subj, "-config", mix, "-out", k(n + ".csr"))
        sh("x509", "-req", "-in", k(n + ".csr"), "-CA", k(issuer + ".pem"), "-CAkey", k(issuer + ".key"), md,
           "-days", "20", "-set_serial", "7", "-extfile", mix, "-extensions", ext, "-out", k(n + ".pem"))
    with open(k("system_plus.pem"), "w") as f:
        f.write(open(bundle).read() + open(k("mroot.pem")).read())
    r = run("x509", "verify", k("mleaf.pem"), "--untrusted", k("minter.pem"), "--ca", k("system_plus.pem"),
            "--host", "mixed.example.net", "--json")
    o = openssl("verify", "-no-CApath", "-no-CAstore", "-CAfile", k("system_plus.pem"), "-untrusted", k("minter.pem"),
                "-purpose", "sslserver", "-verify_hostname", "mixed.example.net", "-show_chain", "-nameopt", NAMEOPT,
                k("mleaf.pem"))
    v = json.loads(r.stdout) if r.stdout.startswith("{") else {}
    chain = [re.sub(r" \(untrusted\)$", "", m) for m in re.findall(r"^depth=\d+: (.*)$", o.stdout, re.M)]
    check(r.returncode == 0 and o.returncode == 0 and [c["subject"] for c in v.get("path", [])] == chain and
          len(chain) == 3 and v["trust_store_size"] == len(re.findall("BEGIN CERTIFICATE", open(bundle).read())) + 1,
          "verify: RSA root -> P-384 CA -> P-256 leaf against the system bundle plus that root", (r.stdout, o.stdout))
    r = run("x509", "verify", k("mleaf.pem"), "--untrusted", k("minter.pem"), "--json")
    check(r.returncode == 1 and json.loads(r.stdout)["error"] == "unknown_issuer",
          "verify: the same chain against the system bundle alone has an unknown issuer", r.stdout)

    r = run("x509", "verify", k("revoked.pem"), "--ca", k("ca.pem"))
    check(r.returncode == 0, "verify without --crl does not look for revocation", r.stdout)
    r = run("x509", "verify", k("revoked.pem"), "--ca", k("ca.pem"), "--crl", k("ca.pem"))
    check(r.returncode == 2, "verify --crl: a file without a CRL is an input error", r.stderr)

# ------------------------------------------------------------------ show ----
KU = {"Digital Signature": "digitalSignature", "Non Repudiation": "nonRepudiation",
      "Key Encipherment": "keyEncipherment", "Data Encipherment": "dataEncipherment",
      "Key Agreement": "keyAgreement", "Certificate Sign": "keyCertSign", "CRL Sign": "cRLSign",
      "Encipher Only": "encipherOnly", "Decipher Only": "decipherOnly"}
EKU = {"TLS Web Server Authentication": "serverAuth", "TLS Web Client Authentication": "clientAuth",
       "Code Signing": "codeSigning", "E-mail Protection": "emailProtection", "Time Stamping": "timeStamping",
       "OCSP Signing": "OCSPSigning", "Any Extended Key Usage": "anyExtendedKeyUsage"}
EXT = {"X509v3 Basic Constraints": "basicConstraints", "X509v3 Key Usage": "keyUsage",
       "X509v3 Extended Key Usage": "extendedKeyUsage", "X509v3 Subject Alternative Name": "subjectAltName",
       "X509v3 Issuer Alternative Name": "issuerAltName", "X509v3 Name Constraints": "nameConstraints",
       "X509v3 Authority Key Identifier": "authorityKeyIdentifier",
       "X509v3 Subject Key Identifier": "subjectKeyIdentifier", "X509v3 Certificate Policies": "certificatePolicies",
       "X509v3 CRL Distribution Points": "crlDistributionPoints", "Authority Information Access": "authorityInfoAccess",
       "X509v3 Policy Mappings": "policyMappings", "X509v3 Policy Constraints": "policyConstraints",
       "X509v3 Inhibit Any Policy": "inhibitAnyPolicy", "Netscape Cert Type": "2.16.840.1.113730.1.1",
       "X509v3 Private Key Usage Period": "2.5.29.16", "Microsoft CA Version": "1.3.6.1.4.1.311.21.1",
       "Microsoft Certificate Template Name": "1.3.6.1.4.1.311.20.2", "Entrust Version Info": "1.2.840.113533.7.65.0",
       "setCext-hashedRoot": "2.23.42.7.0"}
GN = {"DNS": "DNS", "IP Address": "IP", "IP": "IP", "email": "email", "URI": "URI", "DirName": "DirName"}


def gn_text(g):
    # openssl prints a directoryName in its one-line "/A=v/B=w" form.
    if g["type"] == "DirName":
        return ("DirName:/" + g["value"].replace(", ", "/")).lower()
    return f"{g['type']}:{g['value']}".lower()


def openssl_gn(items):
    out = []
    for it in items:
        t, _, val = it.partition(":")
        out.append(f"{GN.get(t, t)}:{val}".lower())
    return out


def ip_norm(s):
    # openssl prints IPv6 as eight uppercase groups without compression; padlock lowercase: compare lowered.
    return s.lower()


def openssl_extensions(text):
    """[(name, critical, [value lines])] from the X509v3 extensions block of `openssl x509 -text`."""
    out = []
    block = re.search(r"^        X509v3 extensions:\n(.*?)^    Signature Algorithm", text, re.S | re.M)
    if not block:
        return out
    for line in block.group(1).split("\n"):
        if line.startswith("            ") and not line.startswith("                "):
            head = line.strip()
            crit = head.endswith(": critical")
            out.append([head[:-len(": critical")] if crit else head.rstrip(":").rstrip(), crit, []])
        elif line.strip():
            out[-1][2].append(line.strip())
    return out


def compare_extension(what, ours, name, lines):
    n = ours["name"]
    if n == "basicConstraints":
        want = "CA:TRUE" if ours["ca"] else "CA:FALSE"
        if "path_len" in ours:
            want += f", pathlen:{ours['path_len']}"
        check(lines == [want], what + " basicConstraints", (ours, lines))
    elif n == "keyUsage":
        check([KU[x.strip()] for x in lines[0].split(",")] == ours["usages"], what + " keyUsage", (ours, lines))
    elif n == "extendedKeyUsage":
        theirs = [EKU.get(x.strip(), x.strip()) for x in lines[0].split(",")]
        check(theirs == ours["purposes"], what + " extendedKeyUsage", (ours, lines))
    elif n == "subjectAltName":
        theirs = openssl_gn([x.strip() for x in lines[0].split(", ")])
        check([gn_text(g) for g in ours["names"]] == theirs, what + " subjectAltName", (ours, lines))
    elif n == "nameConstraints":
        theirs, mode = {"permitted": [], "excluded": []}, None
        for l in lines:
            if l in ("Permitted:", "Excluded:"):
                mode = l[:-1].lower()
            else:
                theirs[mode] += openssl_gn([l])
        for mode in ("permitted", "excluded"):
            check([gn_text(g) for g in ours.get(mode, [])] == theirs[mode], what + " nameConstraints " + mode,
                  (ours, lines))
    elif n in ("subjectKeyIdentifier", "authorityKeyIdentifier"):
        ids = [l for l in lines if re.fullmatch(r"(keyid:)?([0-9A-F]{2}:)*[0-9A-F]{2}", l)]
        theirs = ids[0].replace("keyid:", "").replace(":", "").lower() if ids else None
        check(ours.get("key_id") == theirs, what + " " + n, (ours, lines))
    elif n == "certificatePolicies":
        theirs = [l[len("Policy: "):] for l in lines if l.startswith("Policy: ")]
        theirs = ["anyPolicy" if t == "X509v3 Any Policy" else t for t in theirs]
        check([p["policy"] for p in ours["policies"]] == theirs, what + " certificatePolicies", (ours, lines))
        cps = [l[len("CPS: "):] for l in lines if l.startswith("CPS: ")]
        check([q["cps"] for p in ours["policies"] for q in p.get("qualifiers", []) if "cps" in q] == cps,
              what + " certificatePolicies CPS", (ours, lines))
    elif n == "crlDistributionPoints":
        theirs = [l.lower() for l in lines if re.match(r"(URI|DNS|DirName|email):", l)]
        ours_names = [gn_text(g) for p in ours["points"] for g in p.get("full_name", [])]
        check(ours_names == theirs, what + " crlDistributionPoints", (ours, lines))
    elif n == "authorityInfoAccess":
        theirs = [l for l in lines if " - " in l]
        ours_l = [f"{'CA Issuers' if d['method'] == 'caIssuers' else d['method']} - "
                  f"{'IP Address' if d['location']['type'] == 'IP' else d['location']['type']}:{d['location']['value']}"
                  for d in ours["descriptions"]]
        check(ours_l == theirs, what + " authorityInfoAccess", (ours, lines))


def compare_certificate(what, ours, text):
    def field(pattern):
        m = re.search(pattern, text, re.M)
        return m.group(1) if m else None
    check(ours["serial"] == (field(r"^serial=([0-9A-F]+)$") or "").lower(), what + " serial", ours["serial"])
    check(ours["sha256_fingerprint"] == (field(r"^sha256 Fingerprint=([0-9A-F:]+)$") or "").replace(":", "").lower(),
          what + " SHA-256 fingerprint", ours["sha256_fingerprint"])
    for key, label in (("not_before", "notBefore"), ("not_after", "notAfter")):
        t = datetime.datetime.strptime(field(rf"^{label}=(.*)$"), "%b %d %H:%M:%S %Y GMT")
        check(ours[key] == t.strftime("%Y-%m-%dT%H:%M:%SZ"), what + " " + key, (ours[key], t))
    check(ours["subject"] == field(r"^subject=(.*)$"), what + " subject", (ours["subject"], field(r"^subject=(.*)$")))
    check(ours["issuer"] == field(r"^issuer=(.*)$"), what + " issuer", (ours["issuer"], field(r"^issuer=(.*)$")))
    check(ours["version"] == int(field(r"^        Version: (\d+)")), what + " version")
    check(ours["signature_algorithm"] == field(r"^        Signature Algorithm: (\S+)$"), what + " signature algorithm",
          ours["signature_algorithm"])
    key = ours["public_key"]
    check(key["algorithm"] == field(r"Public Key Algorithm: (\S+)$"), what + " key algorithm", key)
    bits = field(r"Public-Key: \((\d+) bit\)")
    check(bits is not None and key.get("bits") == int(bits), what + " key size", (key.get("bits"), bits))
    if key["algorithm"] == "id-ecPublicKey":
        check(key.get("curve") == field(r"NIST CURVE: (\S+)$"), what + " curve", key)
    exts = openssl_extensions(text)
    check([EXT.get(e[0], e[0]) for e in exts] == [e["name"] if e["name"] in EXT.values() or "." not in e["name"]
                                                   else e["oid"] for e in ours["extensions"]],
          what + " extensions in order", ([e[0] for e in exts], [e["name"] for e in ours["extensions"]]))
    for (name, crit, lines), e in zip(exts, ours["extensions"]):
        check(e["critical"] == crit, what + f" {e['name']} critical flag", (e, crit))
        compare_extension(what, e, name, lines)


def show_and_compare(label, pem_file):
    r = run("x509", "show", "--json", pem_file)
    check(r.returncode == 0, f"show --json {label}", r.stderr)
    certs = json.loads(r.stdout) if r.returncode == 0 else []
    blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", open(pem_file).read(), re.S)
    check(len(certs) == len(blocks), f"show {label}: one description per certificate", (len(certs), len(blocks)))
    for i, (ours, block) in enumerate(zip(certs, blocks)):
        o = openssl("x509", "-noout", "-text", "-serial", "-fingerprint", "-sha256", "-startdate", "-enddate",
                    "-subject", "-issuer", "-nameopt", NAMEOPT, input_text=block)
        compare_certificate(f"{label} #{i} ({ours['subject']})", ours, o.stdout)
    return len(certs)


with tempfile.TemporaryDirectory() as tmp:
    # Every certificate gen_chains.sh made, in one multi-certificate PEM file.
    names = sorted(f for f in os.listdir(chains) if f.endswith(".pem") and "." not in f[:-4])
    allpem = os.path.join(tmp, "chains.pem")
    with open(allpem, "w") as f:
        for n in names:
            f.write(open(os.path.join(chains, n)).read())
    n1 = show_and_compare("chains", allpem)
    n2 = show_and_compare("system bundle", bundle) if os.path.exists(bundle) else 0
    # DER input, and text output.
    r = run("x509", "show", os.path.join(chains, "nc_ok.der"))
    check(r.returncode == 0 and "subject: CN=leaf" in r.stdout and "value: 10.1.2.3" in r.stdout and
          "sha256_fingerprint:" in r.stdout, "show: DER input, text output", r.stdout)
    garbage = os.path.join(tmp, "garbage.bin")
    with open(garbage, "wb") as f:
        f.write(b"\x01\x02\x03")
    r = run("x509", "show", garbage)
    check(r.returncode == 2 and "neither PEM nor DER" in r.stderr, "show: garbage is an input error", r.stderr)
print(f"show: {n1} generated and {n2} system-bundle certificates compared with openssl x509")

print(f"{checks} checks, {failures} failure(s)")
sys.exit(1 if failures else 0)
