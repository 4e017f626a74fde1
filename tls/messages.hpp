// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 handshake message codec (RFC 8446 §4) and its extensions (§4.2, RFC 8449): parsers that
// return views into the caller's buffer (no heap, no copies) and builders into caller buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/bytes.hpp"
#include "crypto/common.hpp"
#include "tls/alert.hpp"

namespace padlock::tls {

// §4 HandshakeType.
enum class HandshakeType : std::uint8_t {
    client_hello = 1,
    server_hello = 2,
    new_session_ticket = 4,
    end_of_early_data = 5,
    encrypted_extensions = 8,
    certificate = 11,
    certificate_request = 13,
    certificate_verify = 15,
    finished = 20,
    key_update = 24,
    message_hash = 254,
};

// §4.2 ExtensionType (and RFC 8449's record_size_limit): every type the §4.2 table lists.
namespace ext {
inline constexpr std::uint16_t server_name = 0, max_fragment_length = 1, status_request = 5,
                               supported_groups = 10, signature_algorithms = 13, use_srtp = 14,
                               heartbeat = 15, alpn = 16, signed_certificate_timestamp = 18,
                               client_certificate_type = 19, server_certificate_type = 20, padding = 21,
                               record_size_limit = 28, pre_shared_key = 41, early_data = 42,
                               supported_versions = 43, cookie = 44, psk_key_exchange_modes = 45,
                               certificate_authorities = 47, oid_filters = 48, post_handshake_auth = 49,
                               signature_algorithms_cert = 50, key_share = 51;
}  // namespace ext

// The messages an extension block can belong to (the columns of the §4.2 table).
enum class ExtContext : std::uint8_t {
    client_hello = 1,
    server_hello = 2,
    hello_retry_request = 4,
    encrypted_extensions = 8,
    certificate_request = 16,
    certificate = 32,
    new_session_ticket = 64,
};

inline constexpr std::size_t handshake_header_size = 4;
inline constexpr std::size_t random_size = 32;

// §4: one Handshake structure; body is a view into the input.
struct Handshake {
    HandshakeType type{};
    Bytes body;
};
// Splits the first handshake message off `in` (handshake messages may span or share records, §5.1).
// ok with used == 0 when `in` does not yet hold a whole message; otherwise used = 4 + body length.
// Unknown types and message_hash are handshake_unknown_type.
TlsError split_handshake(Bytes in, Handshake& out, std::size_t& used);

// Walks a list of 16-bit values (cipher suites, groups, signature schemes, versions) already checked.
struct U16List {
    ByteReader r;
    [[nodiscard]] bool next(std::uint16_t& v) { return !r.empty() && r.read_u16(v); }
};
// Walks a list of non-empty opaque values with a 1- or 2-octet length each (ALPN protocol names,
// DistinguishedNames, PSK binders) already checked.
struct OpaqueList {
    ByteReader r;
    unsigned prefix = 1;
    [[nodiscard]] bool next(Bytes& v) {
        ByteReader c;
        if (r.empty() || !r.read_prefixed(prefix, c)) return false;
        v = c.rest();
        return true;
    }
};
// §4.2.8 KeyShareEntry list of a ClientHello, already checked.
struct KeyShareList {
    ByteReader r;
    [[nodiscard]] bool next(std::uint16_t& group, Bytes& key_exchange) {
        ByteReader c;
        if (r.empty() || !r.read_u16(group) || !r.read_u16_prefixed(c)) return false;
        key_exchange = c.rest();
        return true;
    }
};
// §4.2.11 PskIdentity list, already checked.
struct PskIdentityList {
    ByteReader r;
    [[nodiscard]] bool next(Bytes& identity, std::uint32_t& obfuscated_ticket_age) {
        ByteReader c;
        if (r.empty() || !r.read_u16_prefixed(c) || !r.read_u32(obfuscated_ticket_age)) return false;
        identity = c.rest();
        return true;
    }
};

// The extensions of one block, decoded and checked for its message. A field is meaningful only when
// has(type). List fields are the bodies inside their vector prefix (walk them with the lists above).
struct Extensions {
    Bytes block;                 // the whole block, inside its u16 prefix (walk with ExtensionList)
    std::uint64_t present = 0;   // bit (type) for types < 64
    [[nodiscard]] bool has(std::uint16_t type) const { return type < 64 && ((present >> type) & 1); }

    Bytes server_name;                   // §4.2 / RFC 6066 §3: the host_name (empty in EE)
    Bytes supported_versions;            // ClientHello: list of u16
    std::uint16_t selected_version = 0;  // ServerHello, HelloRetryRequest
    Bytes supported_groups;              // list of u16 (§4.2.7)
    Bytes signature_algorithms;          // list of u16 (§4.2.3)
    Bytes signature_algorithms_cert;     // list of u16 (§4.2.3)
    Bytes client_shares;                 // ClientHello: KeyShareEntry list (§4.2.8)
    std::uint16_t key_share_group = 0;   // ServerHello entry's group, HelloRetryRequest selected_group
    Bytes key_share_key_exchange;        // ServerHello entry's key_exchange
    Bytes alpn;                          // ClientHello: u8-prefixed names; EE: the one name itself
    Bytes psk_identities;                // ClientHello: PskIdentity list (§4.2.11)
    Bytes psk_binders;                   // ClientHello: u8-prefixed binders
    std::uint16_t psk_selected_identity = 0;  // ServerHello
    Bytes psk_key_exchange_modes;        // list of u8 (§4.2.9)
    Bytes cookie;                        // §4.2.2
    std::uint16_t record_size_limit = 0; // RFC 8449 §4
    std::uint32_t max_early_data_size = 0;  // NewSessionTicket (§4.2.10)
    Bytes certificate_authorities;       // u16-prefixed DistinguishedNames (§4.2.4)
};

// Walks the raw (type, body) pairs of an already checked block, in order.
struct ExtensionList {
    ByteReader r;
    [[nodiscard]] bool next(std::uint16_t& type, Bytes& body) {
        ByteReader c;
        if (r.empty() || !r.read_u16(type) || !r.read_u16_prefixed(c)) return false;
        body = c.rest();
        return true;
    }
};

// Checks and decodes one extension block (the bytes inside its u16 prefix) for a message.
TlsError parse_extensions(Bytes block, ExtContext ctx, Extensions& out);

// §4.1.2
struct ClientHello {
    std::uint16_t legacy_version = 0;
    Bytes random;  // random_size octets (random.first<random_size>() for the builders)
    Bytes legacy_session_id;
    Bytes cipher_suites;  // list of u16
    Extensions extensions;
    // With pre_shared_key: the length of the body up to the binders list (§4.2.11.2: the binders are
    // computed over the message truncated there, i.e. 4 + this many octets of the whole message).
    std::size_t binders_offset = 0;
};
// §4.1.3 (and §4.1.4: a ServerHello with the HelloRetryRequest Random is a HelloRetryRequest).
struct ServerHello {
    std::uint16_t legacy_version = 0;
    Bytes random;
    bool hello_retry_request = false;
    Bytes legacy_session_id_echo;
    std::uint16_t cipher_suite = 0;
    Extensions extensions;
};
struct EncryptedExtensions {  // §4.3.1
    Extensions extensions;
};
struct CertificateRequest {  // §4.3.2
    Bytes context;
    Extensions extensions;
};
struct Certificate {  // §4.4.2
    Bytes context;
    Bytes entries;  // the certificate_list, checked; walk with CertificateEntries
};
struct CertificateEntries {
    ByteReader r;
    // cert_data and the entry's decoded extensions; false at the end.
    [[nodiscard]] bool next(Bytes& cert_data, Extensions& extensions);
};
struct CertificateVerify {  // §4.4.3
    std::uint16_t algorithm = 0;
    Bytes signature;
};
struct Finished {  // §4.4.4
    Bytes verify_data;
};
struct NewSessionTicket {  // §4.6.1
    std::uint32_t ticket_lifetime = 0;
    std::uint32_t ticket_age_add = 0;
    Bytes ticket_nonce;
    Bytes ticket;
    Extensions extensions;
};
struct KeyUpdate {  // §4.6.3
    std::uint8_t request_update = 0;
};

// Parsers take the message body (Handshake::body).
TlsError parse_client_hello(Bytes body, ClientHello& out);
TlsError parse_server_hello(Bytes body, ServerHello& out);
TlsError parse_encrypted_extensions(Bytes body, EncryptedExtensions& out);
TlsError parse_certificate_request(Bytes body, CertificateRequest& out);
TlsError parse_certificate(Bytes body, Certificate& out);
TlsError parse_certificate_verify(Bytes body, CertificateVerify& out);
// verify_data is Hash.length octets (§4.4.4); anything else is handshake_malformed.
TlsError parse_finished(Bytes body, std::size_t hash_length, Finished& out);
TlsError parse_new_session_ticket(Bytes body, NewSessionTicket& out);
TlsError parse_end_of_early_data(Bytes body);  // §4.5: empty
TlsError parse_key_update(Bytes body, KeyUpdate& out);

// §4.1.3: SHA-256("HelloRetryRequest").
extern const std::uint8_t hello_retry_request_random[random_size];

// ---- Builders. A message is framed by begin_handshake/end_handshake; a message's fixed fields are
// written by write_*; its extension block is opened with begin_extensions, filled with the add_*
// helpers in the caller's order, and closed with end_extensions. Failure is sticky in the writer.
ByteWriter::Mark begin_handshake(ByteWriter& w, HandshakeType type);
void end_handshake(ByteWriter& w, ByteWriter::Mark m);
inline ByteWriter::Mark begin_extensions(ByteWriter& w) { return w.begin_prefixed(2); }
inline void end_extensions(ByteWriter& w, ByteWriter::Mark m) { w.end_prefixed(m); }

using RandomView = std::span<const std::uint8_t, random_size>;
void write_client_hello_fields(ByteWriter& w, RandomView random, Bytes legacy_session_id, Bytes cipher_suites);
void write_server_hello_fields(ByteWriter& w, RandomView random, Bytes legacy_session_id_echo,
                               std::uint16_t cipher_suite);
void write_certificate_request_fields(ByteWriter& w, Bytes context);
void write_finished(ByteWriter& w, Bytes verify_data);
void write_certificate_verify(ByteWriter& w, std::uint16_t algorithm, Bytes signature);
void write_new_session_ticket_fields(ByteWriter& w, std::uint32_t lifetime, std::uint32_t age_add,
                                     Bytes nonce, Bytes ticket);
void write_key_update(ByteWriter& w, std::uint8_t request_update);

// Extensions (each writes type, length and body). Lists are passed as their encoded bodies (the same
// form the parser returns), so a parsed value can be written back as is.
void add_extension_raw(ByteWriter& w, std::uint16_t type, Bytes body);
// Whether `type` is one of §4.2's table (and RFC 8449's), which padlock writes or judges itself.
bool known_extension(std::uint16_t type);
void add_server_name(ByteWriter& w, Bytes host_name);  // empty: the EE acknowledgement
void add_supported_versions_client(ByteWriter& w, Bytes versions);
void add_supported_versions_server(ByteWriter& w, std::uint16_t version);
void add_u16_list(ByteWriter& w, std::uint16_t type, Bytes list);  // groups, signature schemes
void add_key_share_client(ByteWriter& w, Bytes client_shares);
void add_key_share_server(ByteWriter& w, std::uint16_t group, Bytes key_exchange);
void add_key_share_hrr(ByteWriter& w, std::uint16_t selected_group);
void add_alpn_client(ByteWriter& w, Bytes protocol_name_list);
void add_alpn_server(ByteWriter& w, Bytes protocol);
void add_psk_key_exchange_modes(ByteWriter& w, Bytes modes);
void add_cookie(ByteWriter& w, Bytes cookie);
void add_record_size_limit(ByteWriter& w, std::uint16_t limit);
void add_early_data(ByteWriter& w);  // ClientHello, EncryptedExtensions
void add_early_data_nst(ByteWriter& w, std::uint32_t max_early_data_size);
void add_pre_shared_key_server(ByteWriter& w, std::uint16_t selected_identity);
// ClientHello pre_shared_key (must be last, §4.2.11). To fill real binders, write placeholders of
// the right sizes, hash the message up to its last 2 + binders.size() octets, then overwrite them.
void add_pre_shared_key_client(ByteWriter& w, Bytes identities, Bytes binders);

}  // namespace padlock::tls
