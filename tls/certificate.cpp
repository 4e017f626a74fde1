// SPDX-License-Identifier: Apache-2.0
// The Certificate message (RFC 8446 §4.4.2): writing ours (§4.4.2), and receiving the peer's
// (§4.4.2.4) through x509's parser and RFC 5280 §6 path validation, each refusal mapped onto its
// §6.2 alert.
#include "tls/certificate.hpp"

namespace padlock::tls {

// ---- §4.4.2 sending -------------------------------------------------------------------------------

TlsError write_certificate(ByteWriter& w, Bytes context, std::span<const Bytes> chain) {
    for (Bytes der : chain)
        if (der.empty()) return TlsError::api_misuse;  // cert_data<1..2^24-1>
    auto ctx = w.begin_prefixed(1);  // certificate_request_context<0..2^8-1>
    w.add_bytes(context);
    w.end_prefixed(ctx);
    auto list = w.begin_prefixed(3);  // CertificateEntry certificate_list<0..2^24-1>
    for (Bytes der : chain) {
        auto data = w.begin_prefixed(3);
        w.add_bytes(der);
        w.end_prefixed(data);
        auto ext = w.begin_prefixed(2);  // no per-entry extensions (no OCSP status or SCT here)
        w.end_prefixed(ext);
    }
    w.end_prefixed(list);
    return TlsError::ok;
}

// ---- §6.2: which alert each x509 refusal earns ----------------------------------------------------

TlsError certificate_error_for(x509::X509Error e) {
    using E = x509::X509Error;
    switch (e) {
    case E::ok: return TlsError::ok;
    // "bad_certificate: A certificate was corrupt, contained signatures that did not verify correctly, etc."
    case E::malformed_certificate:
    case E::malformed_tbs_certificate:
    case E::bad_version:
    case E::bad_serial_number:
    case E::bad_signature_algorithm:
    case E::signature_algorithm_mismatch:
    case E::malformed_name:
    case E::unsorted_rdn:
    case E::bad_name_string:
    case E::empty_issuer:
    case E::empty_subject_without_critical_san:
    case E::malformed_validity:
    case E::bad_time:
    case E::malformed_public_key:
    case E::bad_unique_id:
    case E::extensions_not_v3:
    case E::empty_extensions:
    case E::malformed_extension:
    case E::duplicate_extension:
    case E::too_many_extensions:
    case E::malformed_signature_value:
    case E::bad_basic_constraints:
    case E::bad_key_usage:
    case E::bad_ext_key_usage:
    case E::bad_subject_alt_name:
    case E::bad_general_name:
    case E::bad_name_constraints:
    case E::bad_authority_key_identifier:
    case E::bad_subject_key_identifier:
    case E::bad_certificate_policies:
    case E::duplicate_policy:
    case E::bad_crl_distribution_points:
    case E::bad_authority_info_access:
    case E::bad_pem:
    case E::signature_key_mismatch:
    case E::bad_signature:
    // §4.4.2.4: a certificate that needs an MD5 signature checked "MUST" get bad_certificate, SHA-1
    // "RECOMMENDED"; x509 reports those (and Ed25519, or OIDs it does not know) as not verified.
    case E::unsupported_signature_algorithm:
    case E::unknown_signature_algorithm:
    // RFC 6125 §6.6.4 (no match found): "terminate the communication attempt with a bad certificate error".
    case E::no_subject_alt_name:
    case E::hostname_mismatch: return TlsError::certificate_corrupt;
    // "unsupported_certificate: A certificate was of an unsupported type."
    case E::unsupported_public_key:
    case E::unknown_critical_extension: return TlsError::certificate_unsupported;
    // "certificate_expired: A certificate has expired or is not currently valid."
    case E::certificate_expired:
    case E::certificate_not_yet_valid: return TlsError::certificate_expired;
    // "unknown_ca: A valid certificate chain or partial chain was received, but the certificate was
    // not accepted because the CA certificate could not be located or could not be matched with a
    // known trust anchor."
    case E::unknown_issuer:
    case E::untrusted_self_signed: return TlsError::certificate_untrusted;
    // "certificate_unknown: Some other (unspecified) issue arose in processing the certificate,
    // rendering it unacceptable."
    case E::not_a_ca:
    case E::ca_not_v3:
    case E::path_length_exceeded:
    case E::key_cert_sign_not_set:
    case E::ext_key_usage_mismatch:
    case E::name_not_permitted:
    case E::name_excluded:
    case E::unsupported_name_constraint:
    case E::path_too_long:
    case E::too_many_intermediates:
    case E::signature_budget_exceeded:
    case E::name_constraint_budget_exceeded: return TlsError::certificate_rejected;
    // "certificate_revoked: A certificate was revoked by its signer."
    case E::certificate_revoked: return TlsError::certificate_revoked;
    // A CRL that cannot be used or is missing where required (RFC 5280 §6.3.3): revocation status unknown.
    case E::malformed_crl:
    case E::malformed_tbs_cert_list:
    case E::bad_crl_version:
    case E::crl_extensions_not_v2:
    case E::malformed_revoked_certificate:
    case E::bad_crl_number:
    case E::bad_issuing_distribution_point:
    case E::bad_crl_reason:
    case E::bad_invalidity_date:
    case E::unsupported_indirect_crl:
    case E::unsupported_delta_crl:
    case E::unsupported_crl_reason_partition:
    case E::unknown_critical_crl_extension:
    case E::unknown_critical_crl_entry_extension:
    case E::crl_issuer_mismatch:
    case E::crl_sign_not_set:
    case E::crl_bad_signature:
    case E::crl_not_yet_valid:
    case E::crl_expired:
    case E::crl_missing_next_update:
    case E::no_crl_for_certificate:
        return TlsError::certificate_rejected;
    // Ours, not the peer's: the reference name we were given is not a DNS name or an address.
    case E::bad_reference_identifier: return TlsError::api_misuse;
    case E::buffer_too_small: return TlsError::buffer_too_small;
    // Trust-store loading and certificate building: never the verdict on a peer's chain.
    case E::not_a_certificate:
    case E::duplicate_certificate:
    case E::empty_bundle:
    case E::store_der_full:
    case E::store_index_full:
    case E::bad_certificate_spec:
    case E::signing_failed:
    case E::rng_failure: return TlsError::api_misuse;
    }
    return TlsError::certificate_rejected;
}

// ---- §4.4.2.4 receiving ----------------------------------------------------------------------------

namespace {

// The key types a CertificateVerify can be checked with (tls/signature.hpp).
bool usable_for_certificate_verify(asn1::KeyType t) {
    return t == asn1::KeyType::ec_p256 || t == asn1::KeyType::ec_p384 || t == asn1::KeyType::rsa ||
           t == asn1::KeyType::rsa_pss;
}

TlsError refuse(PeerChain& chain, x509::X509Error e, std::size_t index) {
    chain.x509 = {e, index};
    return certificate_error_for(e);
}

bool same_bytes(Bytes a, Bytes b) {  // public data: a plain comparison
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); i++)
        if (a[i] != b[i]) return false;
    return true;
}

}  // namespace

TlsError verify_peer_certificate(const Certificate& message, Bytes expected_context,
                                 const PeerCertificatePolicy& policy, PeerChain& chain) {
    chain.count = 0;
    chain.x509 = {};
    if (policy.verify == nullptr || (policy.peer == Role::server && policy.hostname.empty())) return TlsError::api_misuse;

    // §4.4.2: "certificate_request_context: If this message is in response to a CertificateRequest,
    // the value of certificate_request_context in that message. Otherwise (in the case of server
    // authentication), this field SHALL be zero length."
    if (!same_bytes(message.context, expected_context)) return TlsError::certificate_context_mismatch;

    // Each entry's cert_data parsed in place (views into the message). parse_certificate already
    // checked the entries' framing and extensions against §4.2's table.
    CertificateEntries entries{ByteReader(message.entries)};
    Bytes der;
    Extensions entry_extensions;
    while (entries.next(der, entry_extensions)) {
        // §4.2, §4.4.2: status_request and signed_certificate_timestamp answer requests padlock
        // never makes (neither its ClientHello nor its CertificateRequest has them).
        if (entry_extensions.has(ext::status_request) || entry_extensions.has(ext::signed_certificate_timestamp)) {
            chain.count = 0;
            return TlsError::extension_unsolicited;
        }
        if (chain.count == max_peer_certificates) {
            chain.count = 0;
            return TlsError::certificate_chain_too_long;
        }
        if (const x509::X509Error e = x509::parse_certificate(der, chain.certs[chain.count]); e != x509::X509Error::ok) {
            const std::size_t at = chain.count;
            chain.count = 0;
            return refuse(chain, e, at);
        }
        chain.count++;
    }

    // §4.4.2.4: "If the server supplies an empty Certificate message, the client MUST abort the
    // handshake with a "decode_error" alert. If the client does not send any certificates ..., the
    // server MAY at its discretion either continue the handshake without client authentication or
    // abort the handshake with a "certificate_required" alert."
    if (chain.count == 0) {
        if (policy.peer == Role::server) return TlsError::certificate_empty;
        return policy.require_client_certificate ? TlsError::certificate_missing : TlsError::ok;
    }

    // §4.4.2: "The sender's certificate MUST come in the first CertificateEntry". Its key must be one
    // a CertificateVerify can be checked with, and (§4.4.2.2) "the digitalSignature bit MUST be set
    // if the Key Usage extension is present".
    const x509::Certificate& leaf = chain.certs[0];
    if (leaf.public_key_status != asn1::Asn1Error::ok || !usable_for_certificate_verify(leaf.public_key.type)) {
        chain.count = 0;
        return refuse(chain, x509::X509Error::unsupported_public_key, 0);
    }
    if (leaf.extensions.key_usage.present &&
        (leaf.extensions.key_usage.bits & x509::key_usage::digital_signature) == 0) {
        chain.count = 0;
        chain.x509 = {x509::X509Error::ok, 0};
        return TlsError::certificate_key_usage;
    }

    // RFC 7671 §5.1: a pinned key is trusted as it is, whatever else the certificate says.
    if (!policy.pinned_keys.empty()) {
        for (Bytes pin : policy.pinned_keys)
            if (same_bytes(pin, leaf.spki)) {
                chain.path.path[0] = &leaf;
                chain.path.length = 1;
                return TlsError::ok;
            }
        chain.count = 0;
        return refuse(chain, x509::X509Error::unknown_issuer, 0);
    }

    // RFC 5280 §6 from the leaf through the other entries (untrusted, any order: §4.4.2 lets
    // implementations accept unordered chains) to the caller's anchors, with extKeyUsage by role
    // (RFC 5280 §4.2.1.12 id-kp-serverAuth / id-kp-clientAuth) and, for a server, the RFC 9525 name
    // check against the server_name we sent.
    x509::PathInput in;
    in.leaf = &leaf;
    in.intermediates = std::span<const x509::Certificate>(chain.certs + 1, chain.count - 1);
    in.anchors = policy.anchors;
    in.time = policy.time;
    in.purpose = policy.peer == Role::server ? x509::Purpose::server_auth : x509::Purpose::client_auth;
    in.hostname = policy.peer == Role::server ? policy.hostname : std::string_view();
    in.crls = policy.crls;
    in.revocation = policy.revocation;
    const x509::Result r = x509::build_path(in, policy.verify, chain.path);
    if (!r.ok()) {
        chain.count = 0;
        return refuse(chain, r.error, r.index);
    }
    return TlsError::ok;
}

}  // namespace padlock::tls
