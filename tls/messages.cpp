// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 handshake messages (RFC 8446 §4) and extensions (§4.2, the §4.2 table of which extension
// may appear in which message; RFC 8449 record_size_limit): parse in place, build into caller buffers.
#include "tls/messages.hpp"

namespace padlock::tls {

const std::uint8_t hello_retry_request_random[random_size] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

namespace {

constexpr TlsError malformed = TlsError::handshake_malformed;

constexpr unsigned ctx_bit(ExtContext c) { return unsigned(c); }
constexpr unsigned CH = 1, SH = 2, HRR = 4, EE = 8, CR = 16, CT = 32, NST = 64;

// The §4.2 table (plus RFC 8449 §4: CH, EE): the messages each known extension may appear in.
// 0 for a type the table does not list (unknown to us).
constexpr unsigned allowed_in(std::uint16_t type) {
    switch (type) {
    case ext::server_name: return CH | EE;
    case ext::max_fragment_length: return CH | EE;
    case ext::status_request: return CH | CR | CT;
    case ext::supported_groups: return CH | EE;
    case ext::signature_algorithms: return CH | CR;
    case ext::use_srtp: return CH | EE;
    case ext::heartbeat: return CH | EE;
    case ext::alpn: return CH | EE;
    case ext::signed_certificate_timestamp: return CH | CR | CT;
    case ext::client_certificate_type: return CH | EE;
    case ext::server_certificate_type: return CH | EE;
    case ext::padding: return CH;
    case ext::record_size_limit: return CH | EE;
    case ext::key_share: return CH | SH | HRR;
    case ext::pre_shared_key: return CH | SH;
    case ext::psk_key_exchange_modes: return CH;
    case ext::early_data: return CH | EE | NST;
    case ext::cookie: return CH | HRR;
    case ext::supported_versions: return CH | SH | HRR;
    case ext::certificate_authorities: return CH | CR;
    case ext::oid_filters: return CR;
    case ext::post_handshake_auth: return CH;
    case ext::signature_algorithms_cert: return CH | CR;
    }
    return 0;
}

// A vector of u16 values with a `prefix`-octet length, at least one value (every such list in §4.2
// has floor 2) and an even length.
bool read_u16_vector(ByteReader& r, unsigned prefix, Bytes& out) {
    ByteReader c;
    if (!r.read_prefixed(prefix, c) || c.remaining() < 2 || c.remaining() % 2 != 0) return r.fail();
    out = c.rest();
    return true;
}

// Non-empty opaque items, each with a `item_prefix` length and at least `item_floor` octets.
bool check_opaque_list(Bytes list, unsigned item_prefix, std::size_t item_floor) {
    ByteReader r(list);
    while (!r.empty()) {
        ByteReader c;
        if (!r.read_prefixed(item_prefix, c) || c.remaining() < item_floor) return false;
    }
    return r.ok();
}

// Each extension's body, for the message it is in (already allowed by the table).
struct Decoded : Extensions {
    bool psk_count_mismatch = false;
};

bool parse_body(std::uint16_t type, unsigned ctx, ByteReader& r, Decoded& e) {
    switch (type) {
    case ext::server_name: {
        if (ctx == EE) return r.empty();  // §4.2 / RFC 6066 §3: the server's reply is empty
        // RFC 6066 §3 ServerNameList<1..2^16-1>; only host_name (0) exists, one per type.
        ByteReader list, name;
        std::uint8_t name_type = 0;
        if (!r.read_u16_prefixed(list) || list.empty()) return false;
        bool have = false;
        while (!list.empty()) {
            if (!list.read_u8(name_type) || !list.read_u16_prefixed(name) || name.empty()) return false;
            if (name_type == 0) {
                if (have) return false;
                have = true;
                e.server_name = name.rest();
            }
        }
        return true;
    }
    case ext::supported_versions:
        if (ctx == CH) {
            ByteReader c;  // ProtocolVersion versions<2..254>
            if (!r.read_u8_prefixed(c) || c.remaining() < 2 || c.remaining() % 2) return false;
            e.supported_versions = c.rest();
            return true;
        }
        return r.read_u16(e.selected_version);
    case ext::supported_groups: return read_u16_vector(r, 2, e.supported_groups);
    case ext::signature_algorithms: return read_u16_vector(r, 2, e.signature_algorithms);
    case ext::signature_algorithms_cert: return read_u16_vector(r, 2, e.signature_algorithms_cert);
    case ext::key_share: {
        if (ctx == HRR) return r.read_u16(e.key_share_group);
        ByteReader kx;
        if (ctx == SH) {
            if (!r.read_u16(e.key_share_group) || !r.read_u16_prefixed(kx) || kx.empty()) return false;
            e.key_share_key_exchange = kx.rest();
            return true;
        }
        ByteReader list;  // KeyShareEntry client_shares<0..2^16-1>
        if (!r.read_u16_prefixed(list)) return false;
        e.client_shares = list.rest();
        while (!list.empty()) {
            std::uint16_t group = 0;
            if (!list.read_u16(group) || !list.read_u16_prefixed(kx) || kx.empty()) return false;
        }
        return true;
    }
    case ext::alpn: {
        ByteReader list;  // RFC 7301 §3.1: ProtocolName protocol_name_list<2..2^16-1>, names <1..2^8-1>
        if (!r.read_u16_prefixed(list) || list.empty() || !check_opaque_list(list.rest(), 1, 1)) return false;
        if (ctx == CH) {
            e.alpn = list.rest();
            return true;
        }
        ByteReader one;  // the server's reply holds exactly one name
        if (!list.read_u8_prefixed(one) || !list.empty()) return false;
        e.alpn = one.rest();
        return true;
    }
    case ext::pre_shared_key: {
        if (ctx == SH) return r.read_u16(e.psk_selected_identity);
        ByteReader ids, binders;  // PskIdentity identities<7..2^16-1>; binders<33..2^16-1>
        if (!r.read_u16_prefixed(ids) || ids.empty()) return false;
        e.psk_identities = ids.rest();
        std::size_t n_ids = 0, n_binders = 0;
        while (!ids.empty()) {
            ByteReader id;
            std::uint32_t age = 0;
            if (!ids.read_u16_prefixed(id) || id.empty() || !ids.read_u32(age)) return false;
            n_ids++;
        }
        if (!r.read_u16_prefixed(binders) || binders.empty()) return false;
        e.psk_binders = binders.rest();
        while (!binders.empty()) {
            ByteReader b;  // PskBinderEntry<32..255>
            if (!binders.read_u8_prefixed(b) || b.remaining() < 32) return false;
            n_binders++;
        }
        e.psk_count_mismatch = n_ids != n_binders;  // §4.2.11, reported as its own error
        return true;
    }
    case ext::psk_key_exchange_modes: {
        ByteReader c;  // PskKeyExchangeMode ke_modes<1..255>
        if (!r.read_u8_prefixed(c) || c.empty()) return false;
        e.psk_key_exchange_modes = c.rest();
        return true;
    }
    case ext::cookie: {
        ByteReader c;  // opaque cookie<1..2^16-1>
        if (!r.read_u16_prefixed(c) || c.empty()) return false;
        e.cookie = c.rest();
        return true;
    }
    case ext::record_size_limit: return r.read_u16(e.record_size_limit);
    case ext::early_data:
        if (ctx == NST) return r.read_u32(e.max_early_data_size);
        return true;  // empty in CH and EE
    case ext::certificate_authorities: {
        ByteReader c;  // DistinguishedName authorities<3..2^16-1>, each <1..2^16-1>
        if (!r.read_u16_prefixed(c) || c.empty() || !check_opaque_list(c.rest(), 2, 1)) return false;
        e.certificate_authorities = c.rest();
        return true;
    }
    }
    r = ByteReader();  // a known extension this codec keeps only as raw bytes (ExtensionList)
    return true;
}

// Reads an extension block with its u16 prefix.
TlsError read_extensions(ByteReader& r, ExtContext ctx, Extensions& out) {
    ByteReader block;
    if (!r.read_u16_prefixed(block)) return malformed;
    return parse_extensions(block.rest(), ctx, out);
}

}  // namespace

TlsError parse_extensions(Bytes block, ExtContext context, Extensions& out) {
    Decoded d;
    d.block = block;
    const unsigned ctx = ctx_bit(context);
    ByteReader r(block);
    while (!r.empty()) {
        const Bytes here = r.rest();
        std::uint16_t type = 0;
        ByteReader body;
        if (!r.read_u16(type) || !r.read_u16_prefixed(body)) return malformed;
        // §4.2: no two extensions of one type. Scan the ones before (blocks are small and public).
        ByteReader prev(block.first(block.size() - here.size()));
        std::uint16_t t = 0;
        ByteReader skip;
        while (prev.read_u16(t) && prev.read_u16_prefixed(skip))
            if (t == type) return TlsError::extension_duplicate;
        const unsigned allowed = allowed_in(type);
        if (allowed == 0) {
            // §4.2: unknown extensions are ignored in a ClientHello (and §4.3.2, §4.6.1 in
            // CertificateRequest and NewSessionTicket); in a message answering ours they were not
            // offered, so unsupported_extension.
            if (ctx == CH || ctx == CR || ctx == NST) continue;
            return TlsError::extension_unsupported;
        }
        if ((allowed & ctx) == 0) return TlsError::extension_forbidden;
        if (type == ext::pre_shared_key && ctx == CH && !r.empty()) return TlsError::psk_not_last;
        if (!parse_body(type, ctx, body, d) || !body.done()) return malformed;
        if (type == ext::record_size_limit && d.record_size_limit < 64)
            return TlsError::record_size_limit_invalid;  // RFC 8449 §4
        if (d.psk_count_mismatch) return TlsError::psk_binder_count_mismatch;
        if (type < 64) d.present |= std::uint64_t(1) << type;
    }
    out = d;
    return TlsError::ok;
}

TlsError split_handshake(Bytes in, Handshake& out, std::size_t& used) {
    used = 0;
    ByteReader r(in);
    std::uint8_t type = 0;
    std::uint32_t length = 0;
    if (!r.read_u8(type) || !r.read_u24(length) || r.remaining() < length) return TlsError::ok;
    switch (HandshakeType(type)) {
    case HandshakeType::client_hello:
    case HandshakeType::server_hello:
    case HandshakeType::new_session_ticket:
    case HandshakeType::encrypted_extensions:
    case HandshakeType::certificate:
    case HandshakeType::certificate_request:
    case HandshakeType::certificate_verify:
    case HandshakeType::finished:
    case HandshakeType::key_update:
    case HandshakeType::end_of_early_data: break;
    default: return TlsError::handshake_unknown_type;
    }
    out.type = HandshakeType(type);
    out.body = r.rest().first(length);
    used = handshake_header_size + length;
    return TlsError::ok;
}

TlsError parse_client_hello(Bytes body, ClientHello& out) {
    out = ClientHello{};
    ByteReader r(body), sid, compression;
    if (!r.read_u16(out.legacy_version) || !r.read_bytes(random_size, out.random) || !r.read_u8_prefixed(sid) ||
        sid.remaining() > 32 || !read_u16_vector(r, 2, out.cipher_suites) || !r.read_u8_prefixed(compression))
        return malformed;
    out.legacy_session_id = sid.rest();
    std::uint8_t method = 0;
    if (compression.remaining() != 1 || !compression.read_u8(method) || method != 0)
        return TlsError::legacy_compression_invalid;  // §4.1.2: exactly one octet, zero
    if (const TlsError e = read_extensions(r, ExtContext::client_hello, out.extensions); e != TlsError::ok) return e;
    if (!r.done()) return malformed;
    if (out.extensions.has(ext::pre_shared_key))  // binders are last: u16 length then the list
        out.binders_offset = body.size() - 2 - out.extensions.psk_binders.size();
    return TlsError::ok;
}

TlsError parse_server_hello(Bytes body, ServerHello& out) {
    out = ServerHello{};
    ByteReader r(body), sid;
    std::uint8_t method = 0;
    if (!r.read_u16(out.legacy_version) || !r.read_bytes(random_size, out.random) || !r.read_u8_prefixed(sid) ||
        sid.remaining() > 32 || !r.read_u16(out.cipher_suite) || !r.read_u8(method))
        return malformed;
    out.legacy_session_id_echo = sid.rest();
    if (method != 0) return TlsError::legacy_compression_invalid;  // §4.1.3
    bool hrr = true;  // the Random is public: a plain comparison
    for (std::size_t i = 0; i < random_size; i++) hrr = hrr && out.random[i] == hello_retry_request_random[i];
    out.hello_retry_request = hrr;
    const ExtContext ctx = hrr ? ExtContext::hello_retry_request : ExtContext::server_hello;
    if (const TlsError e = read_extensions(r, ctx, out.extensions); e != TlsError::ok) return e;
    return r.done() ? TlsError::ok : malformed;
}

TlsError parse_encrypted_extensions(Bytes body, EncryptedExtensions& out) {
    ByteReader r(body);
    if (const TlsError e = read_extensions(r, ExtContext::encrypted_extensions, out.extensions); e != TlsError::ok)
        return e;
    return r.done() ? TlsError::ok : malformed;
}

TlsError parse_certificate_request(Bytes body, CertificateRequest& out) {
    ByteReader r(body), context;
    if (!r.read_u8_prefixed(context)) return malformed;
    out.context = context.rest();
    if (const TlsError e = read_extensions(r, ExtContext::certificate_request, out.extensions); e != TlsError::ok)
        return e;
    if (!r.done()) return malformed;
    if (!out.extensions.has(ext::signature_algorithms)) return TlsError::certificate_request_no_sigalgs;
    return TlsError::ok;
}

bool CertificateEntries::next(Bytes& cert_data, Extensions& extensions) {
    ByteReader data, block;
    if (r.empty() || !r.read_u24_prefixed(data) || !r.read_u16_prefixed(block)) return false;
    cert_data = data.rest();
    return parse_extensions(block.rest(), ExtContext::certificate, extensions) == TlsError::ok;
}

TlsError parse_certificate(Bytes body, Certificate& out) {
    ByteReader r(body), context, list;
    if (!r.read_u8_prefixed(context) || !r.read_u24_prefixed(list) || !r.done()) return malformed;
    out.context = context.rest();
    out.entries = list.rest();
    // Check every CertificateEntry now, so a walk with CertificateEntries cannot fail later.
    while (!list.empty()) {
        ByteReader data, block;
        if (!list.read_u24_prefixed(data) || data.empty() || !list.read_u16_prefixed(block)) return malformed;
        Extensions e;
        if (const TlsError err = parse_extensions(block.rest(), ExtContext::certificate, e); err != TlsError::ok)
            return err;
    }
    return TlsError::ok;
}

TlsError parse_certificate_verify(Bytes body, CertificateVerify& out) {
    ByteReader r(body), sig;
    if (!r.read_u16(out.algorithm) || !r.read_u16_prefixed(sig) || !r.done()) return malformed;
    out.signature = sig.rest();
    return TlsError::ok;
}

TlsError parse_finished(Bytes body, std::size_t hash_length, Finished& out) {
    if (body.size() != hash_length) return malformed;
    out.verify_data = body;
    return TlsError::ok;
}

TlsError parse_new_session_ticket(Bytes body, NewSessionTicket& out) {
    out = NewSessionTicket{};
    ByteReader r(body), nonce, ticket;
    if (!r.read_u32(out.ticket_lifetime) || !r.read_u32(out.ticket_age_add) || !r.read_u8_prefixed(nonce) ||
        !r.read_u16_prefixed(ticket) || ticket.empty())  // opaque ticket<1..2^16-1>
        return malformed;
    out.ticket_nonce = nonce.rest();
    out.ticket = ticket.rest();
    if (const TlsError e = read_extensions(r, ExtContext::new_session_ticket, out.extensions); e != TlsError::ok)
        return e;
    return r.done() ? TlsError::ok : malformed;
}

TlsError parse_end_of_early_data(Bytes body) {
    return body.empty() ? TlsError::ok : TlsError::handshake_malformed;  // §4.5: struct {} EndOfEarlyData;
}

TlsError parse_key_update(Bytes body, KeyUpdate& out) {
    if (body.size() != 1) return TlsError::key_update_malformed;
    if (body[0] > 1) return TlsError::key_update_bad_request;
    out.request_update = body[0];
    return TlsError::ok;
}

// ---- Builders

ByteWriter::Mark begin_handshake(ByteWriter& w, HandshakeType type) {
    w.add_u8(std::uint8_t(type));
    return w.begin_prefixed(3);
}
void end_handshake(ByteWriter& w, ByteWriter::Mark m) { w.end_prefixed(m); }

void write_client_hello_fields(ByteWriter& w, RandomView random, Bytes legacy_session_id, Bytes cipher_suites) {
    w.add_u16(0x0303);  // §4.1.2 legacy_version
    w.add_bytes(random);
    auto s = w.begin_prefixed(1);
    w.add_bytes(legacy_session_id);
    w.end_prefixed(s);
    auto c = w.begin_prefixed(2);
    w.add_bytes(cipher_suites);
    w.end_prefixed(c);
    w.add_u8(1);  // legacy_compression_methods: the single method 0
    w.add_u8(0);
}

void write_server_hello_fields(ByteWriter& w, RandomView random, Bytes legacy_session_id_echo,
                               std::uint16_t cipher_suite) {
    w.add_u16(0x0303);
    w.add_bytes(random);
    auto s = w.begin_prefixed(1);
    w.add_bytes(legacy_session_id_echo);
    w.end_prefixed(s);
    w.add_u16(cipher_suite);
    w.add_u8(0);
}

void write_certificate_request_fields(ByteWriter& w, Bytes context) {
    auto c = w.begin_prefixed(1);
    w.add_bytes(context);
    w.end_prefixed(c);
}

void write_finished(ByteWriter& w, Bytes verify_data) { w.add_bytes(verify_data); }

void write_certificate_verify(ByteWriter& w, std::uint16_t algorithm, Bytes signature) {
    w.add_u16(algorithm);
    auto s = w.begin_prefixed(2);
    w.add_bytes(signature);
    w.end_prefixed(s);
}

void write_new_session_ticket_fields(ByteWriter& w, std::uint32_t lifetime, std::uint32_t age_add, Bytes nonce,
                                     Bytes ticket) {
    w.add_u32(lifetime);
    w.add_u32(age_add);
    auto n = w.begin_prefixed(1);
    w.add_bytes(nonce);
    w.end_prefixed(n);
    auto t = w.begin_prefixed(2);
    w.add_bytes(ticket);
    w.end_prefixed(t);
}

void write_key_update(ByteWriter& w, std::uint8_t request_update) { w.add_u8(request_update); }

namespace {
// An extension whose body is `body` inside a `prefix`-octet vector.
void add_vector_extension(ByteWriter& w, std::uint16_t type, unsigned prefix, Bytes body) {
    w.add_u16(type);
    auto e = w.begin_prefixed(2);
    auto v = w.begin_prefixed(prefix);
    w.add_bytes(body);
    w.end_prefixed(v);
    w.end_prefixed(e);
}
void add_u16_extension(ByteWriter& w, std::uint16_t type, std::uint16_t value) {
    w.add_u16(type);
    w.add_u16(2);
    w.add_u16(value);
}
}  // namespace

bool known_extension(std::uint16_t type) { return allowed_in(type) != 0; }

void add_extension_raw(ByteWriter& w, std::uint16_t type, Bytes body) {
    w.add_u16(type);
    auto e = w.begin_prefixed(2);
    w.add_bytes(body);
    w.end_prefixed(e);
}

void add_server_name(ByteWriter& w, Bytes host_name) {
    w.add_u16(ext::server_name);
    auto e = w.begin_prefixed(2);
    if (!host_name.empty()) {
        auto list = w.begin_prefixed(2);
        w.add_u8(0);  // host_name
        auto n = w.begin_prefixed(2);
        w.add_bytes(host_name);
        w.end_prefixed(n);
        w.end_prefixed(list);
    }
    w.end_prefixed(e);
}

void add_supported_versions_client(ByteWriter& w, Bytes versions) {
    add_vector_extension(w, ext::supported_versions, 1, versions);
}
void add_supported_versions_server(ByteWriter& w, std::uint16_t version) {
    add_u16_extension(w, ext::supported_versions, version);
}
void add_u16_list(ByteWriter& w, std::uint16_t type, Bytes list) { add_vector_extension(w, type, 2, list); }
void add_key_share_client(ByteWriter& w, Bytes client_shares) {
    add_vector_extension(w, ext::key_share, 2, client_shares);
}
void add_key_share_server(ByteWriter& w, std::uint16_t group, Bytes key_exchange) {
    w.add_u16(ext::key_share);
    auto e = w.begin_prefixed(2);
    w.add_u16(group);
    auto k = w.begin_prefixed(2);
    w.add_bytes(key_exchange);
    w.end_prefixed(k);
    w.end_prefixed(e);
}
void add_key_share_hrr(ByteWriter& w, std::uint16_t selected_group) {
    add_u16_extension(w, ext::key_share, selected_group);
}
void add_alpn_client(ByteWriter& w, Bytes protocol_name_list) {
    add_vector_extension(w, ext::alpn, 2, protocol_name_list);
}
void add_alpn_server(ByteWriter& w, Bytes protocol) {
    w.add_u16(ext::alpn);
    auto e = w.begin_prefixed(2);
    auto list = w.begin_prefixed(2);
    auto n = w.begin_prefixed(1);
    w.add_bytes(protocol);
    w.end_prefixed(n);
    w.end_prefixed(list);
    w.end_prefixed(e);
}
void add_psk_key_exchange_modes(ByteWriter& w, Bytes modes) {
    add_vector_extension(w, ext::psk_key_exchange_modes, 1, modes);
}
void add_cookie(ByteWriter& w, Bytes cookie) { add_vector_extension(w, ext::cookie, 2, cookie); }
void add_record_size_limit(ByteWriter& w, std::uint16_t limit) {
    add_u16_extension(w, ext::record_size_limit, limit);
}
void add_early_data(ByteWriter& w) {
    w.add_u16(ext::early_data);
    w.add_u16(0);
}
void add_early_data_nst(ByteWriter& w, std::uint32_t max_early_data_size) {
    w.add_u16(ext::early_data);
    w.add_u16(4);
    w.add_u32(max_early_data_size);
}
void add_pre_shared_key_server(ByteWriter& w, std::uint16_t selected_identity) {
    add_u16_extension(w, ext::pre_shared_key, selected_identity);
}
void add_pre_shared_key_client(ByteWriter& w, Bytes identities, Bytes binders) {
    w.add_u16(ext::pre_shared_key);
    auto e = w.begin_prefixed(2);
    auto i = w.begin_prefixed(2);
    w.add_bytes(identities);
    w.end_prefixed(i);
    auto b = w.begin_prefixed(2);
    w.add_bytes(binders);
    w.end_prefixed(b);
    w.end_prefixed(e);
}

}  // namespace padlock::tls
