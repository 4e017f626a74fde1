// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 PSK binders (RFC 8446 §4.2.11.2) over the key schedule's steps (§7.1, §4.4.4).
#include "tls/psk.hpp"

#include "crypto/ct.hpp"

namespace padlock::tls {

// §4.2.11.2: "the PskBinderEntry is computed in the same way as the Finished message (Section
// 4.4.4) but with the BaseKey being the binder_key ... over a partial ClientHello up to and
// including the PreSharedKeyExtension.identities field". The parser records where the binders
// list (u16 length, then the entries) starts; pre_shared_key is last (§4.2.11), so the list runs
// to the end of the message.
TlsError truncated_client_hello_length(Bytes client_hello_message, std::size_t& length) {
    Handshake h;
    std::size_t used = 0;
    if (const TlsError e = split_handshake(client_hello_message, h, used); e != TlsError::ok) return e;
    if (used != client_hello_message.size() || h.type != HandshakeType::client_hello)
        return TlsError::handshake_malformed;
    ClientHello ch;
    if (const TlsError e = parse_client_hello(h.body, ch); e != TlsError::ok) return e;
    if (!ch.extensions.has(ext::pre_shared_key)) return TlsError::api_misuse;
    length = handshake_header_size + ch.binders_offset;
    return TlsError::ok;
}

// §7.1: binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", ""), with
// Early Secret = HKDF-Extract(0, PSK) and "" hashed: Derive-Secret's Messages are empty.
TlsError derive_binder_key(const HashOps& hash, Bytes psk, PskKind kind, Secret& out) {
    if (psk.empty()) return TlsError::api_misuse;
    KeySchedule ks;
    ks.start(hash);
    if (const TlsError e = ks.derive_early_secret(psk); e != TlsError::ok) return e;
    return ks.derive_binder_key(kind == PskKind::resumption, out);
}

TlsError compute_binder(const HashOps& hash, Bytes binder_key, Bytes transcript_hash, Secret& out) {
    Secret key;
    if (const TlsError e = finished_key(hash, binder_key, key); e != TlsError::ok) return e;
    return finished_verify_data(hash, key.view(), transcript_hash, out);
}

TlsError verify_binder(const HashOps& hash, Bytes binder_key, Bytes transcript_hash, Bytes received) {
    Secret expected;
    if (const TlsError e = compute_binder(hash, binder_key, transcript_hash, expected); e != TlsError::ok) return e;
    // A MAC: compared in constant time (the lengths are public).
    return ct::equal(expected.view(), received) ? TlsError::ok : TlsError::psk_binder_invalid;
}

TlsError binder_at(Bytes psk_binders, std::size_t index, Bytes& out) {
    OpaqueList binders{ByteReader(psk_binders), 1};
    Bytes b;
    for (std::size_t i = 0; binders.next(b); i++) {
        if (i == index) {
            out = b;
            return TlsError::ok;
        }
    }
    return TlsError::psk_identity_invalid;
}

TlsError write_binders(std::span<const Bytes> binders, std::size_t truncated_length, MutBytes client_hello_message) {
    if (truncated_length > client_hello_message.size()) return TlsError::api_misuse;
    // The placeholders: PskBinderEntry binders<33..2^16-1>, each opaque PskBinderEntry<32..255>,
    // filling the message to its end. Checked whole before anything is written.
    const MutBytes tail = client_hello_message.subspan(truncated_length);
    ByteReader r(tail), list;
    if (!r.read_u16_prefixed(list) || !r.done()) return TlsError::api_misuse;
    for (Bytes b : binders) {
        ByteReader entry;
        if (!list.read_u8_prefixed(entry) || entry.remaining() != b.size()) return TlsError::api_misuse;
    }
    if (!list.empty()) return TlsError::api_misuse;
    std::size_t at = 2;
    for (Bytes b : binders) {
        at += 1;  // the entry's length octet, already right
        for (std::size_t i = 0; i < b.size(); i++) tail[at + i] = b[i];
        at += b.size();
    }
    return TlsError::ok;
}

}  // namespace padlock::tls
