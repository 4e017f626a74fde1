// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the TLS handshake pieces that read peer input (tls/ticket, tls/cookie,
// tls/certificate, tls/psk). The first byte picks the mode:
//   0 ticket:      open_ticket on any bytes under fixed current/previous keys. A refusal leaves no
//                  PSK behind; an accept re-seals and opens to the same state.
//   1 ticket flip: seal a fuzzer-chosen session state, flip fuzzer-chosen bits and cut the end:
//                  open_ticket accepts exactly when the bytes are unchanged (anything else would be
//                  a forgery), and returns the sealed state.
//   2 cookie:      open_cookie on any bytes; a refusal leaves `out` as it was.
//   3 cookie flip: as mode 1 for seal_cookie / open_cookie (with a peer binding).
//   4 certificate: a Certificate message body and a fuzzer-chosen trust anchor and time through
//                  parse_certificate and verify_peer_certificate: a refusal holds no chain and
//                  names an alert; an accept holds a path from certs[0] to the anchor.
//   5 binders:     truncated_client_hello_length on a ClientHello message; on success the part
//                  after the truncation is exactly the binders list, and writing the parsed binders
//                  back over it changes nothing.
#include <cstdint>
#include <cstring>
#include <vector>

#include "tests/fuzz/fuzz.hpp"
#include "tls/certificate.hpp"
#include "tls/cookie.hpp"
#include "tls/psk.hpp"
#include "tls/ticket.hpp"

using namespace padlock;
using namespace padlock::tls;
using padlock::fuzz::equal;
using Vec = std::vector<std::uint8_t>;

namespace {

// Deterministic "randomness" (nonces, age_add): the harness must replay an input exactly.
CryptoError counter_fill(void* ctx, MutBytes out) {
    auto& c = *static_cast<std::uint8_t*>(ctx);
    for (auto& b : out) b = c++;
    return CryptoError::ok;
}

TicketKey ticket_key(const AeadOps& aead, std::uint8_t seed) {
    TicketKey k;
    k.aead = &aead;
    for (std::size_t i = 0; i < sizeof k.name; i++) k.name[i] = std::uint8_t(seed + i);
    for (std::size_t i = 0; i < sizeof k.key; i++) k.key[i] = std::uint8_t(seed * 3 + i);
    return k;
}
const TicketKey current_key = ticket_key(aes_128_gcm_ops, 0x10);
const TicketKey previous_key = ticket_key(chacha20_poly1305_ops, 0x20);
const TicketKeys ticket_keys{&current_key, &previous_key};
CookieKey cookie_key() {
    CookieKey k;
    k.aead = &aes_256_gcm_ops;
    for (std::size_t i = 0; i < sizeof k.key; i++) k.key[i] = std::uint8_t(0x77 ^ i);
    return k;
}
const CookieKey the_cookie_key = cookie_key();

constexpr std::uint64_t now_ms = 1700000000000;

bool same_state(const SessionState& a, const SessionState& b) {
    return a.cipher_suite == b.cipher_suite && a.issue_time_ms == b.issue_time_ms && a.lifetime == b.lifetime &&
           a.age_add == b.age_add && equal(a.psk.view(), b.psk.view()) &&
           equal(Bytes(a.alpn, a.alpn_size), Bytes(b.alpn, b.alpn_size)) &&
           equal(Bytes(a.server_name, a.server_name_size), Bytes(b.server_name, b.server_name_size));
}

// Applies the fuzzer's edits: pairs (position u16, xor mask) from `edits`, then a cut of `cut` octets.
Vec edited(Bytes sealed, fuzz::Input& in) {
    Vec v(sealed.begin(), sealed.end());
    const std::uint8_t cut = in.byte();
    const Bytes edits = in.rest();
    for (std::size_t i = 0; i + 3 <= edits.size(); i += 3) {
        const std::size_t at = (std::size_t(edits[i]) << 8 | edits[i + 1]) % (v.empty() ? 1 : v.size());
        if (!v.empty()) v[at] ^= edits[i + 2];
    }
    v.resize(v.size() - (cut < v.size() ? cut : v.size()));
    return v;
}

void ticket_any(Bytes ticket) {
    SessionState out;
    bool previous = false;
    const TlsError e = open_ticket(ticket_keys, ticket, now_ms, out, previous);
    if (e != TlsError::ok) {
        FUZZ_CHECK(out.psk.size() == 0);
        FUZZ_CHECK(e == TlsError::ticket_invalid || e == TlsError::ticket_unknown_key || e == TlsError::ticket_expired);
        return;
    }
    std::uint8_t c = 0;
    const Rng rng{counter_fill, &c};
    std::uint8_t again[max_ticket_size];
    std::size_t n = 0;
    FUZZ_CHECK(seal_ticket(ticket_keys, out, rng, again, n) == TlsError::ok);
    SessionState back;
    FUZZ_CHECK(open_ticket(ticket_keys, Bytes(again, n), now_ms, back, previous) == TlsError::ok);
    FUZZ_CHECK(same_state(out, back));
}

void ticket_flip(fuzz::Input& in) {
    std::uint8_t c = in.byte();
    const Rng rng{counter_fill, &c};
    const bool sha384 = in.byte() & 1;
    const Bytes rms = in.field(), nonce = in.field(), alpn = in.field(), sni = in.field();
    const auto lifetime = in.fixed<2>();
    Vec secret(sha384 ? 48 : 32, 0);
    std::memcpy(secret.data(), rms.data(), rms.size() < secret.size() ? rms.size() : secret.size());
    SessionState state;
    const TlsError made = new_session_state(sha384 ? tls_aes_256_gcm_sha384 : tls_aes_128_gcm_sha256, secret,
                                            nonce.first(nonce.size() < 255 ? nonce.size() : 255),
                                            1 + (lifetime[0] << 8 | lifetime[1]), now_ms, alpn, sni, rng, state);
    if (made != TlsError::ok) {
        FUZZ_CHECK(alpn.size() > max_alpn_size || sni.size() > max_server_name_size);
        return;
    }
    std::uint8_t sealed[max_ticket_size];
    std::size_t n = 0;
    FUZZ_CHECK(seal_ticket(ticket_keys, state, rng, sealed, n) == TlsError::ok);
    const Vec ticket = edited(Bytes(sealed, n), in);
    SessionState out;
    bool previous = true;
    const TlsError e = open_ticket(ticket_keys, ticket, now_ms, out, previous);
    const bool unchanged = equal(ticket, Bytes(sealed, n));
    FUZZ_CHECK((e == TlsError::ok) == unchanged);
    if (unchanged) FUZZ_CHECK(same_state(state, out) && !previous);
    else FUZZ_CHECK(out.psk.size() == 0);
}

void cookie_any(Bytes cookie, Bytes binding) {
    CookieState out;
    out.selected_group = 0x1234;
    const TlsError e = open_cookie(the_cookie_key, cookie, binding, now_ms, 60000, out);
    if (e != TlsError::ok) {
        FUZZ_CHECK(out.selected_group == 0x1234);
        FUZZ_CHECK(e == TlsError::cookie_invalid || e == TlsError::cookie_expired);
        return;
    }
    FUZZ_CHECK(out.hash_size == 32 || out.hash_size == 48);
}

void cookie_flip(fuzz::Input& in) {
    std::uint8_t c = in.byte();
    const Rng rng{counter_fill, &c};
    CookieState state;
    state.cipher_suite = std::uint16_t(in.byte() << 8 | in.byte());
    state.selected_group = std::uint16_t(in.byte() << 8 | in.byte());
    state.issue_time_ms = now_ms - in.byte();
    state.hash_size = (in.byte() & 1) ? 48 : 32;
    const auto hash = in.fixed<max_hash_size>();
    std::memcpy(state.client_hello1_hash, hash.data(), max_hash_size);
    const Bytes binding = in.field();
    std::uint8_t sealed[max_cookie_size];
    std::size_t n = 0;
    FUZZ_CHECK(seal_cookie(the_cookie_key, state, binding, rng, sealed, n) == TlsError::ok);
    const Vec cookie = edited(Bytes(sealed, n), in);
    CookieState out;
    const TlsError e = open_cookie(the_cookie_key, cookie, binding, now_ms, 60000, out);
    const bool unchanged = equal(cookie, Bytes(sealed, n));
    FUZZ_CHECK((e == TlsError::ok) == unchanged);
    if (unchanged)
        FUZZ_CHECK(out.cipher_suite == state.cipher_suite && out.selected_group == state.selected_group &&
                   out.hash_size == state.hash_size &&
                   equal(Bytes(out.client_hello1_hash, out.hash_size), Bytes(state.client_hello1_hash, state.hash_size)));
}

PeerChain chain;  // about 9 KB: static, not on the stack

void certificate(fuzz::Input& in) {
    const std::uint8_t flags = in.byte();
    const auto t = in.fixed<8>();
    std::int64_t time = 0;
    for (std::uint8_t b : t) time = time << 8 | b;
    const Bytes anchor_der = in.field();
    const Bytes body = in.rest();
    x509::Certificate anchor;
    const bool have_anchor = x509::parse_certificate(anchor_der, anchor) == x509::X509Error::ok;
    Certificate msg;
    if (parse_certificate(body, msg) != TlsError::ok) return;
    PeerCertificatePolicy policy;
    policy.verify = asn1::verify_signature;
    policy.peer = (flags & 1) ? Role::client : Role::server;
    policy.anchors = std::span<const x509::Certificate>(&anchor, have_anchor ? 1 : 0);
    policy.time = time;
    policy.hostname = (flags & 2) ? "rsa" : "www.example.com";
    policy.require_client_certificate = flags & 4;
    const Bytes expected_context = (flags & 8) ? Bytes() : msg.context;
    const TlsError e = verify_peer_certificate(msg, expected_context, policy, chain);
    if (e != TlsError::ok) {
        FUZZ_CHECK(chain.count == 0);
        FUZZ_CHECK(alert_for(e) != AlertDescription::close_notify);
        return;
    }
    if (chain.count == 0) {  // an accepted empty list: a client, when none is required
        FUZZ_CHECK(policy.peer == Role::client && !policy.require_client_certificate);
        return;
    }
    FUZZ_CHECK(chain.path.length >= 1 && chain.path.path[0] == &chain.certs[0]);
    FUZZ_CHECK(have_anchor && equal(chain.path.path[chain.path.length - 1]->der, anchor.der));
}

void binders(Bytes message) {
    std::size_t length = 0;
    if (truncated_client_hello_length(message, length) != TlsError::ok) return;
    FUZZ_CHECK(length + 2 + 33 <= message.size());  // binders<33..2^16-1> follow
    ClientHello ch;
    FUZZ_CHECK(parse_client_hello(message.subspan(handshake_header_size), ch) == TlsError::ok);
    FUZZ_CHECK(length + 2 + ch.extensions.psk_binders.size() == message.size());
    std::vector<Bytes> list;
    OpaqueList walk{ByteReader(ch.extensions.psk_binders), 1};
    for (Bytes b; walk.next(b);) list.push_back(b);
    Vec copy(message.begin(), message.end());
    std::vector<Vec> values;
    for (Bytes b : list) values.emplace_back(b.begin(), b.end());
    std::vector<Bytes> views(values.begin(), values.end());
    FUZZ_CHECK(write_binders(views, length, copy) == TlsError::ok);
    FUZZ_CHECK(equal(copy, message));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    switch (in.byte() % 6) {
    case 0: ticket_any(in.rest()); break;
    case 1: ticket_flip(in); break;
    case 2: {
        const Bytes binding = in.field();
        cookie_any(in.rest(), binding);
        break;
    }
    case 3: cookie_flip(in); break;
    case 4: certificate(in); break;
    case 5: binders(in.rest()); break;
    }
    return 0;
}
