// SPDX-License-Identifier: Apache-2.0
// `padlock x509 new`: make_test_pki (x509/demo_pki.hpp) with the system RNG and clock, written as
// ca.pem, server.pem, client.pem (CERTIFICATE) and ca.key, server.key, client.key (PKCS#8 PRIVATE
// KEY, mode 0600). Existing files are left alone unless --force.
#include "tools/x509_new_cmd.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "asn1/pem.hpp"
#include "crypto/ct.hpp"
#include "crypto/rng.hpp"
#include "x509/demo_pki.hpp"

namespace padlock::tools {

namespace {

namespace fs = std::filesystem;

struct NewOptions {
    std::string dir;
    std::string host = "localhost";
    std::string client = "padlock demo client";
    int days = 30;
    bool no_ips = false;
    bool force = false;
    std::string key = "ecdsa";
};

std::vector<std::uint8_t> to_pem(const char* label, Bytes der) {
    const Bytes l(reinterpret_cast<const std::uint8_t*>(label), std::strlen(label));
    std::vector<std::uint8_t> out(asn1::pem_encoded_size(l.size(), der.size()));
    std::size_t n = 0;
    if (asn1::pem_encode(l, der, out, n) != asn1::Asn1Error::ok) return {};
    out.resize(n);
    return out;
}

// Writes the whole file or reports why not; `secret` files are created 0600.
bool write_file(const fs::path& path, const std::vector<std::uint8_t>& data, bool secret, bool force) {
    const int flags = O_WRONLY | O_CREAT | O_TRUNC | (force ? 0 : O_EXCL);
    const int fd = ::open(path.c_str(), flags, secret ? 0600 : 0644);
    if (fd < 0) {
        std::cerr << "padlock x509 new: cannot create " << path.string() << ": " << std::strerror(errno)
                  << (errno == EEXIST ? " (use --force to overwrite)" : "") << "\n";
        return false;
    }
    if (secret) ::fchmod(fd, 0600);  // an existing file overwritten with --force keeps no wider mode
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += std::size_t(n);
    }
    const bool ok = done == data.size() && ::close(fd) == 0;
    if (!ok) std::cerr << "padlock x509 new: cannot write " << path.string() << ": " << std::strerror(errno) << "\n";
    return ok;
}

int run_new(const NewOptions& o) {
    std::error_code ec;
    fs::create_directories(o.dir, ec);
    if (ec) {
        std::cerr << "padlock x509 new: cannot create directory " << o.dir << ": " << ec.message() << "\n";
        return 1;
    }
    x509::TestPkiOptions options;
    options.server_name = o.host;
    options.client_name = o.client;
    options.server_loopback_ips = !o.no_ips;
    options.lifetime = std::int64_t(o.days) * 86400;
    const x509::TestKeyType type = o.key == "rsa" ? x509::TestKeyType::rsa_2048 : x509::TestKeyType::ecdsa_p256;
    options.ca_key = options.server_key = options.client_key = type;
    auto pki = std::make_unique<x509::TestPki>();
    const Rng rng = system_rng();
    if (const x509::X509Error e = x509::make_test_pki(rng, std::int64_t(std::time(nullptr)), options, *pki);
        e != x509::X509Error::ok) {
        std::cerr << "padlock x509 new: " << x509::error_name(e) << "\n";
        return 1;
    }
    const struct { const char* name; const x509::TestIdentity& id; } files[] = {
        {"ca", pki->ca}, {"server", pki->server}, {"client", pki->client}};
    for (const auto& f : files) {
        const fs::path cert = fs::path(o.dir) / (std::string(f.name) + ".pem");
        const fs::path key = fs::path(o.dir) / (std::string(f.name) + ".key");
        std::vector<std::uint8_t> key_pem = to_pem("PRIVATE KEY", f.id.private_key_pkcs8());
        const bool ok = write_file(cert, to_pem("CERTIFICATE", f.id.certificate()), false, o.force) &&
                        write_file(key, key_pem, true, o.force);
        secure_zero(key_pem.data(), key_pem.size());
        if (!ok) return 1;
        std::printf("wrote %s and %s\n", cert.c_str(), key.c_str());
    }
    std::printf("CA \"padlock demo CA\", server \"%s\" (serverAuth%s), client \"%s\" (clientAuth): %s keys, "
                "valid %d days\n",
                o.host.c_str(), o.no_ips ? "" : ", also 127.0.0.1 and ::1", o.client.c_str(),
                type == x509::TestKeyType::rsa_2048 ? "RSA-2048" : "ECDSA P-256", o.days);
    return 0;
}

}  // namespace

void add_x509_new_command(CLI::App& x509) {
    auto o = std::make_shared<NewOptions>();
    auto* cmd = x509.add_subcommand("new", "Write a throw-away CA, server and client certificate with keys (PEM)");
    cmd->add_option("dir", o->dir, "Directory for ca.pem/.key, server.pem/.key, client.pem/.key")->required();
    cmd->add_option("--host", o->host, "Server name (subjectAltName dNSName and CN)")->capture_default_str();
    cmd->add_option("--client-name", o->client, "Client certificate CN")->capture_default_str();
    cmd->add_option("--days", o->days, "Validity from now (notBefore is an hour back)")
        ->check(CLI::Range(1, 36500))->capture_default_str();
    cmd->add_flag("--no-ip", o->no_ips, "Leave 127.0.0.1 and ::1 out of the server's subjectAltName");
    cmd->add_flag("--force", o->force, "Overwrite existing files");
    cmd->add_option("--key", o->key, "Key type of all three: ecdsa (P-256) or rsa (2048 bits)")
        ->check(CLI::IsMember({"ecdsa", "rsa"}))->capture_default_str();
    cmd->footer("Demo only: the keys are written unencrypted (mode 0600). Check the result with\n"
                "  openssl verify -CAfile DIR/ca.pem -purpose sslserver -verify_hostname HOST DIR/server.pem");
    cmd->callback([o] {
        if (const int status = run_new(*o); status != 0) throw CLI::RuntimeError(status);
    });
}

}  // namespace padlock::tools
