// SPDX-License-Identifier: Apache-2.0
// What the caller enables (GUIDE.md tls/config.hpp): the cipher suites, the record size limit
// (RFC 8449), the key log, the key-share groups, signature schemes, ALPN, the local certificate and
// key and the peer-certificate policy; and the per-connection memory budget as visible arithmetic
// (STYLE.md item 2). The role is chosen by calling Connection::start_client or start_server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <string_view>

#include "tls/certificate.hpp"
#include "tls/cookie.hpp"
#include "tls/key_schedule.hpp"
#include "tls/key_share.hpp"
#include "tls/record.hpp"
#include "tls/signature.hpp"
#include "tls/ticket.hpp"
#include "tls/suite.hpp"
#include "tls/transcript.hpp"

namespace padlock::tls {

// The caller lists the suites it enables, by descriptor (tls/suite.hpp), in preference order:
//   static const CipherSuite* const suites[] = {&tls_aes_128_gcm_sha256};
//   Config config{suites};
// Only the named descriptors are referenced, so only their hash and AEAD are linked; nothing in
// tls/ holds a table of every suite.
struct Config {
    std::span<const CipherSuite* const> cipher_suites;
    // RFC 8449 §4: the largest TLSInnerPlaintext we accept (content + type + padding), 64 .. 2^14 + 1.
    // Must not exceed the ConnectionMemory it runs in (ConnectionMemory::record_size_limit).
    std::size_t record_size_limit = max_inner_plaintext_size;
    KeyLog key_log{};  // off by default: write == nullptr
    // Tools and the demo (like `openssl s_client -msg`): every handshake message, its 4-octet header
    // included, as it is sent or once it is received whole. Off by default.
    struct MessageTrace {
        void (*message)(void* context, bool sent, Bytes message) = nullptr;
        void* context = nullptr;
    } trace{};

    // §4.2.7 key-share groups (tls/key_share.hpp descriptors), in preference order. A client sends a
    // key_share for the first one only (a HelloRetryRequest may ask for another, §4.1.4); a server
    // picks the first of its list the client sent a share for, else asks for the first of its list
    // the client supports with a HelloRetryRequest.
    std::span<const KeyShareGroup* const> groups;
    // §4.2.3 signature schemes, in preference order: what we offer in signature_algorithms (the
    // CertificateVerify schemes we accept) and the order we sign in. signature_algorithms_cert is
    // not sent (§4.2.3: then signature_algorithms applies to certificates too), unless listed here.
    std::span<const std::uint16_t> signature_schemes;
    std::span<const std::uint16_t> signature_schemes_cert;  // empty: the extension is not sent
    // RFC 7301 ALPN protocol names in preference order (a server picks the first of its own list
    // that the client offers). Empty: not offered / not negotiated.
    std::span<const std::string_view> alpn;

    // Our certificate chain (leaf first, DER) and its key. A server must have one; a client uses it
    // when a server asks (§4.3.2) and sends an empty Certificate when it has none (§4.4.2.4).
    std::span<const Bytes> certificate_chain;
    const SigningKey* signing_key = nullptr;

    // The peer's certificate: the trust anchors and validation time (seconds since 1970 UTC, from the
    // caller's clock; the engine never reads one).
    std::span<const x509::Certificate> trust_anchors;
    std::int64_t time = 0;
    // Revocation of the peer's certificates (RFC 5280 §6.3, x509/crl.hpp): parsed CRLs the caller
    // keeps alive, and the policy (x509::PathInput). No CRLs: nothing is checked under where_available;
    // `require` refuses any certificate but the anchor that no usable CRL covers.
    std::span<const x509::Crl> crls;
    x509::RevocationPolicy revocation = x509::RevocationPolicy::where_available;
    // Checks the peer's signatures (its chain and its CertificateVerify): asn1::verify_signature for
    // every algorithm padlock has, or asn1::verify_signature_ecdsa_p256_only so that an image links
    // no RSA and no P-384 (as with the suites, only what the caller names is linked). Required by a
    // client, and by a server that requests client certificates.
    asn1::SignatureVerifier signature_verifier = nullptr;
    // Client: the server_name (RFC 6066 §3) to send and to match the certificate against (RFC 9525).
    std::string_view server_name;
    // Server: §4.2.7 "servers are permitted to send the supported_groups extension to the client" in
    // EncryptedExtensions, to say which groups it would prefer next time (codes only: nothing is
    // linked for them). Empty: not sent.
    // Client: the supported_groups list of the ClientHello when it must name more than `groups`
    // (which it must then include): codes only, as above. A server that picks one of the others
    // fails the handshake (§4.1.4 illegal_parameter for a HelloRetryRequest to it).
    std::span<const std::uint16_t> announced_groups;
    // Both roles: the signature_algorithms list we send (ClientHello, CertificateRequest) when it
    // must name more than `signature_schemes` (which it must then include). Codes only: a peer's
    // CertificateVerify is still refused (illegal_parameter) in any scheme padlock cannot verify.
    std::span<const std::uint16_t> announced_signature_schemes;
    // Client: extensions padlock does not implement (tls/messages.hpp known_extension is false for
    // their type), sent as given in the ClientHello, each right after the extension of type `after`
    // (first for 0xffff; after record_size_limit when `after` is not one padlock sends on this
    // connection). The engine does not interpret them: a server that answers one
    // fails the handshake with unsupported_extension (§4.2). For peers that want them, e.g.
    // renegotiation_info (RFC 5746 §3.4) from a client that also speaks TLS 1.2.
    struct RawExtension {
        std::uint16_t after = 0xffff;
        std::uint16_t type = 0;
        Bytes body;
    };
    std::span<const RawExtension> extra_extensions;
    // Client: RFC 7685 padding, as common clients do for servers that mishandle ClientHellos of 256
    // to 511 octets: one of those is padded to 512 (the padding extension just before
    // pre_shared_key, which stays last).
    bool client_hello_padding = false;
    // The peer's key pinned (RFC 7671 §5.1, DANE-EE with selector SPKI and exact matching): the
    // SubjectPublicKeyInfo DER of every key trusted. When not empty, the peer's end-entity
    // certificate must carry one of them, and is trusted on that alone: no path to trust_anchors,
    // no validity period and no name check ("the certificate is matched as-is"). Its keyUsage is
    // still checked (§4.4.2.2), and the CertificateVerify proves the peer holds the key.
    std::span<const Bytes> pinned_keys;
    // Server: §4.3.2 send a CertificateRequest; and refuse a client without a certificate.
    bool request_client_certificate = false;
    bool require_client_certificate = false;
    // §4.6.1, §4.2.11 resumption (psk_dhe_ke only; 0-RTT below). Server: with ticket keys, one
    // NewSessionTicket after each handshake, and its tickets accepted as PSKs. Client: `resume` is
    // offered as a PSK (when usable and its suite's hash is enabled); a NewSessionTicket from the
    // server is stored into `new_session` (caller memory). Tickets age by Config::time.
    const TicketKeys* ticket_keys = nullptr;
    // Server: the same with the caller's own ticket format (tls/ticket.hpp TicketSealer); when set,
    // it is used instead of ticket_keys.
    const TicketSealer* ticket_sealer = nullptr;
    std::uint32_t ticket_lifetime = 7200;  // seconds (§4.6.1: at most 7 days)
    // Server: the NewSessionTicket after each handshake; false takes our tickets as PSKs but issues
    // none (§4.6.1 allows any number, zero included), e.g. while the ticket key is being retired.
    bool send_session_ticket = true;
    const StoredSession* resume = nullptr;
    StoredSession* new_session = nullptr;
    // Client: §4.2.10 0-RTT. Application data sent in one record right after the ClientHello that
    // offers `resume`, under the client_early_traffic_secret, when its ticket allows early data of
    // this size (max_early_data_size) and the data fits one record; otherwise, or after a
    // HelloRetryRequest, nothing is sent early. Connection::early_data_accepted() says, once the
    // handshake is done, whether the server took it: if not, the data was not delivered, and the
    // caller sends it again as ordinary data. §8: a server may see 0-RTT data replayed, so only
    // data that is safe to repeat belongs here.
    Bytes early_data;
    // Server: §4.2.10 0-RTT, off (0) by default: our tickets then say nothing of early data, and an
    // offer of it is refused (its records are skipped). Above 0, each NewSessionTicket allows this
    // many octets of early data (its early_data extension), and a resumed handshake takes the
    // client's 0-RTT data (Event::early_data, before the handshake completes) when: the ticket allowed
    // it, its PSK is the first identity and its binder verified, no HelloRetryRequest came before, the
    // suite and ALPN are the ticket's (§4.2.10), the client's ticket age is within
    // early_data_window_ms of ours (§8.3), and early_data_replay says this ClientHello is new (§8.2).
    // Anything else falls back to 1-RTT. Required with it: early_data_replay (api_misuse without).
    std::uint32_t max_early_data_size = 0;
    // §8.2 ClientHello recording, the caller's store (shared by every connection that may take the
    // same ticket): first_use records `binder` (the ClientHello's first PSK binder, verified) and
    // returns true iff it was not recorded before; entries older than early_data_window_ms plus the
    // ticket lifetime may be forgotten, since §8.3's check refuses their ClientHellos anyway. A store
    // that cannot tell (full, or shared state unreachable) returns false: 1-RTT is always safe.
    struct EarlyDataReplay {
        bool (*first_use)(void* context, Bytes binder) = nullptr;
        void* context = nullptr;
    } early_data_replay{};
    // §8.3: how far the client's view of the ticket age (obfuscated_ticket_age - ticket_age_add) may be
    // from ours (Config::time - the ticket's issue time) for its 0-RTT data to be taken.
    std::uint32_t early_data_window_ms = 10000;
    // Server: §4.2.2 stateless HelloRetryRequest. With a sealer (tls/cookie.hpp: cookie_aead_sealer
    // for padlock's AEAD cookies under a key the caller owns, or the caller's own), the cookie carries
    // Hash(ClientHello1), a hash of what ClientHello2 must repeat of it (§4.1.2) and the suite and
    // group the HelloRetryRequest chose, and the server keeps no handshake state in between: a
    // ClientHello with a cookie may arrive on this connection or on a fresh one started with this
    // Config (0-RTT records a client sent after ClientHello1 are skipped, §4.2.10, only on the
    // connection that saw ClientHello1). Cookies age by Config::time (0: not checked). Without one,
    // the HelloRetryRequest is stateful (a random cookie that must come back unchanged).
    const CookieSealer* cookie_sealer = nullptr;
    // Client: appendix D.4 middlebox compatibility mode (a 32-octet legacy_session_id and a dummy
    // change_cipher_spec before the second flight). On by default, as most clients do.
    bool middlebox_compatibility = true;
};

// The memory of one connection, a compile-time constant that depends on the record size limit.
// Every term, and why it is there:
//   incoming record   5 (header, §5.1) + RecordSizeLimit (TLSInnerPlaintext: content + 1 type byte +
//                     padding, RFC 8449 §4) + 16 (AEAD tag, §5.2). A peer may send up to 2^14 + 256
//                     bytes of ciphertext (§5.2), but any such record beyond 2^14 + 1 + 16 would carry
//                     an inner plaintext over the §5.4 limit, so it is rejected (record_overflow)
//                     without being buffered: 16406 bytes is enough for every legal record.
//   outgoing record   the same sum: we never send a record larger than our own buffer (a smaller
//                     peer limit only makes records smaller).
//   record layer      two RecordProtection (AEAD state: AES-GCM round keys + GHASH powers, or the
//                     ChaCha20 key; the traffic secret, IV and sequence number) + limits + flags.
//   key schedule      the current stage secret (48) + hash pointer + key-log hook + client_random.
//   transcript        one running hash state (SHA-384's is the larger) + hash pointer.
// A small limit (e.g. 2048, negotiated with record_size_limit) shrinks both record buffers; it only
// works with a peer that honours record_size_limit (RFC 8449 §4; a peer that ignores the extension
// may send 2^14-byte records, which such a connection must reject with record_overflow).
//   handshake in      the received handshake messages being reassembled (§5.1: a message may span
//                     records). The peer's Certificate message stays at its start for the whole
//                     connection (the PeerChain's views point into it, and tools print the chain),
//                     so it must hold the peer's Certificate plus the largest other message:
//                     HandshakeBufferSize.
//   handshake out     our messages of one key epoch (e.g. EncryptedExtensions .. Finished) before
//                     they are cut into records: HandshakeBufferSize, which bounds our own chain.
//   send queue        the records of one flight waiting for the caller to take them: the handshake
//                     bytes plus per record 5 (header) + 1 (content type) + 16 (tag), for
//                     HandshakeBufferSize / (RecordSizeLimit - 1) + 4 records (plaintext hello,
//                     change_cipher_spec, the protected fragments, a last partial one), and room for
//                     one full record (application data, alerts, KeyUpdate).
//   peer chain        tls/certificate.hpp PeerChain: the parsed peer certificates and path scratch.
//   engine state      the Connection object itself (tls/engine.hpp): suite, group, secrets, flags.
template <std::size_t RecordSizeLimit = max_inner_plaintext_size, std::size_t HandshakeBufferSize = 16384>
struct ConnectionMemory {
    static_assert(RecordSizeLimit >= min_record_size_limit && RecordSizeLimit <= max_inner_plaintext_size,
                  "RFC 8449 §4: 64 <= record_size_limit <= 2^14 + 1");
    static constexpr std::size_t record_size_limit = RecordSizeLimit;
    static constexpr std::size_t record_buffer = record_header_size + RecordSizeLimit + tag_size;
    static_assert(record_buffer == record_buffer_size(RecordSizeLimit));

    static_assert(HandshakeBufferSize >= 1024, "room for a hello and a small chain");
    static constexpr std::size_t handshake_buffer = HandshakeBufferSize;
    static constexpr std::size_t per_record_overhead = record_header_size + 1 + tag_size;
    static constexpr std::size_t flight_records = HandshakeBufferSize / (RecordSizeLimit - 1) + 4;
    static constexpr std::size_t send_queue = HandshakeBufferSize + flight_records * per_record_overhead + record_buffer;

    std::uint8_t incoming[record_buffer];
    std::uint8_t outgoing[send_queue];
    std::uint8_t handshake_in[handshake_buffer];
    std::uint8_t handshake_out[handshake_buffer];
    RecordLayer records;
    KeySchedule key_schedule;
    Transcript transcript;
    PeerChain peer_chain;
};

// The arithmetic, checked: a full-size record buffer is 5 + 16385 + 16 bytes.
static_assert(ConnectionMemory<>::record_buffer == 16406);
static_assert(ConnectionMemory<2048>::record_buffer == 2069);
// Full size: 16384 / 16384 + 4 = 5 records of overhead; small (2048, 4096): 4096 / 2047 + 4 = 6.
static_assert(ConnectionMemory<>::send_queue == 16384 + 5 * 22 + 16406);
static_assert(ConnectionMemory<2048, 4096>::send_queue == 4096 + 6 * 22 + 2069);
// No hidden growth: the object is its parts plus at most alignment padding.
template <std::size_t L, std::size_t H>
constexpr std::size_t connection_parts_size = ConnectionMemory<L, H>::record_buffer +
                                              ConnectionMemory<L, H>::send_queue + 2 * H + sizeof(RecordLayer) +
                                              sizeof(KeySchedule) + sizeof(Transcript) + sizeof(PeerChain);
static_assert(sizeof(ConnectionMemory<>) >= connection_parts_size<max_inner_plaintext_size, 16384>);
static_assert(sizeof(ConnectionMemory<>) <= connection_parts_size<max_inner_plaintext_size, 16384> + 4 * alignof(std::max_align_t) + 64);
static_assert(sizeof(ConnectionMemory<2048, 4096>) <= connection_parts_size<2048, 4096> + 4 * alignof(std::max_align_t) + 64);

}  // namespace padlock::tls
