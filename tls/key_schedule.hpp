// SPDX-License-Identifier: Apache-2.0
// TLS 1.3 key schedule (RFC 8446 §7.1), traffic keys (§7.3), key update (§7.2), Finished keys
// (§4.4.4), PSK binders (§4.2.11.2) and the resumption PSK (§4.6.1), over the suite's hash (SHA-256
// or SHA-384). One function per step, named as the RFC names it. Secrets live in fixed arrays
// (Secret) and are wiped when replaced or destroyed; KeySchedule wipes each stage's secret as soon as
// the next stage is derived from it. Constant time: only HMAC/HKDF over the secrets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/common.hpp"
#include "tls/alert.hpp"
#include "tls/suite.hpp"

namespace padlock::tls {

// A secret of Hash.length bytes (or a key/IV), wiped on destruction and when overwritten.
class Secret {
public:
    Secret() = default;
    ~Secret() { wipe(); }
    Secret(const Secret&) = delete;             // one copy of each secret, moved by explicit assign()
    Secret& operator=(const Secret&) = delete;
    void wipe();
    // Copies bytes (at most max_hash_size) over the old value; api_misuse if too long.
    TlsError assign(Bytes bytes);
    Bytes view() const { return Bytes(bytes_, size_); }
    MutBytes resize(std::size_t n);             // wipes, then exposes n (<= max_hash_size) bytes
    std::size_t size() const { return size_; }
private:
    std::uint8_t bytes_[max_hash_size] = {};
    std::size_t size_ = 0;
};

// §7.1 labels, as named constants (the "tls13 " prefix is added by hkdf_expand_label).
namespace label {
inline constexpr std::string_view ext_binder = "ext binder";
inline constexpr std::string_view res_binder = "res binder";
inline constexpr std::string_view c_e_traffic = "c e traffic";
inline constexpr std::string_view e_exp_master = "e exp master";
inline constexpr std::string_view derived = "derived";
inline constexpr std::string_view c_hs_traffic = "c hs traffic";
inline constexpr std::string_view s_hs_traffic = "s hs traffic";
inline constexpr std::string_view c_ap_traffic = "c ap traffic";
inline constexpr std::string_view s_ap_traffic = "s ap traffic";
inline constexpr std::string_view exp_master = "exp master";
inline constexpr std::string_view res_master = "res master";
inline constexpr std::string_view finished = "finished";       // §4.4.4
inline constexpr std::string_view resumption = "resumption";   // §4.6.1
inline constexpr std::string_view traffic_upd = "traffic upd"; // §7.2
inline constexpr std::string_view key = "key";                 // §7.3
inline constexpr std::string_view iv = "iv";                   // §7.3
}  // namespace label

// §7.1 HkdfLabel: uint16 length || opaque label<7..255> = "tls13 " + Label || opaque context<0..255>.
// Writes it into out and sets written; buffer_too_small / api_misuse (label or context too long).
inline constexpr std::size_t max_hkdf_label_size = 2 + 1 + 255 + 1 + 255;
TlsError build_hkdf_label(std::size_t length, std::string_view label, Bytes context, MutBytes out,
                          std::size_t& written);

// §7.1 HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length),
// with Length = out.size().
TlsError hkdf_expand_label(const HashOps& hash, Bytes secret, std::string_view label, Bytes context,
                           MutBytes out);

// §7.1 Derive-Secret(Secret, Label, Messages) =
//   HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length).
// transcript_hash is Transcript-Hash(Messages) (tls/transcript.hpp), Hash.length bytes.
TlsError derive_secret(const HashOps& hash, Bytes secret, std::string_view label, Bytes transcript_hash,
                       Secret& out);

// §4.4.4 finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length).
TlsError finished_key(const HashOps& hash, Bytes base_key, Secret& out);
// §4.4.4 verify_data = HMAC(finished_key, Transcript-Hash(...)); also the PSK binder (§4.2.11.2).
TlsError finished_verify_data(const HashOps& hash, Bytes finished_key, Bytes transcript_hash, Secret& out);

// §4.6.1 PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).
TlsError resumption_psk(const HashOps& hash, Bytes resumption_master_secret, Bytes ticket_nonce, Secret& out);

// §7.2 application_traffic_secret_N+1 =
//   HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length), in place: the old
//   secret is wiped.
TlsError next_application_traffic_secret(const HashOps& hash, Secret& secret);

// §7.3 traffic keys: write_key = HKDF-Expand-Label(Secret, "key", "", key_length),
//                     write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length).
struct TrafficKeys {
    Secret key, iv;
};
TlsError traffic_keys(const CipherSuite& suite, Bytes traffic_secret, TrafficKeys& out);

// NSS key-log labels (the SSLKEYLOGFILE format Wireshark reads) and a callback the caller may set;
// off (null) by default. The callback receives the label, the ClientHello.random and the secret.
namespace key_log_label {
inline constexpr const char* client_early_traffic = "CLIENT_EARLY_TRAFFIC_SECRET";
inline constexpr const char* early_exporter = "EARLY_EXPORTER_SECRET";
inline constexpr const char* client_handshake_traffic = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
inline constexpr const char* server_handshake_traffic = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
inline constexpr const char* client_traffic_0 = "CLIENT_TRAFFIC_SECRET_0";
inline constexpr const char* server_traffic_0 = "SERVER_TRAFFIC_SECRET_0";
inline constexpr const char* exporter = "EXPORTER_SECRET";
}  // namespace key_log_label
struct KeyLog {
    void (*write)(void* context, const char* label, Bytes client_random, Bytes secret) = nullptr;
    void* context = nullptr;
    // Teaching and debugging only (`padlock demo`): each §7.1 stage secret as it is extracted
    // ("Early Secret", "Handshake Secret", "Master Secret") and the "(EC)DHE shared secret" that
    // goes into the Handshake Secret. Off by default; a production key log leaves it null.
    void (*stage)(void* context, const char* name, Bytes secret) = nullptr;
};
// One key-log line "LABEL <client_random hex> <secret hex>\n" into out (for tools); sets written.
TlsError format_key_log_line(const char* label, Bytes client_random, Bytes secret, MutBytes out,
                             std::size_t& written);

// The §7.1 chain: Early Secret -> Handshake Secret -> Master Secret, each stage's secret wiped as
// soon as the next is extracted (derive what you need from a stage before leaving it). Calling a
// step in the wrong stage gives api_misuse and changes nothing.
class KeySchedule {
public:
    enum class Stage : std::uint8_t { none, early, handshake, master, done };

    // Starts over with the suite's hash; wipes any previous state. The key log stays off unless set.
    void start(const HashOps& hash);
    void set_key_log(const KeyLog& log, std::span<const std::uint8_t, 32> client_random);

    // Early Secret = HKDF-Extract(0, PSK); an empty psk means Hash.length zeros (no PSK).
    TlsError derive_early_secret(Bytes psk);
    // binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", "")
    TlsError derive_binder_key(bool resumption, Secret& out);
    // client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello)
    TlsError derive_client_early_traffic_secret(Bytes transcript_hash, Secret& out);
    // early_exporter_master_secret = Derive-Secret(Early Secret, "e exp master", ClientHello)
    TlsError derive_early_exporter_master_secret(Bytes transcript_hash, Secret& out);

    // Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE); an empty
    // shared secret means Hash.length zeros (psk_ke). Wipes the Early Secret.
    TlsError derive_handshake_secret(Bytes shared_secret);
    // {client,server}_handshake_traffic_secret = Derive-Secret(Handshake Secret, "{c,s} hs traffic",
    //   ClientHello...ServerHello)
    TlsError derive_client_handshake_traffic_secret(Bytes transcript_hash, Secret& out);
    TlsError derive_server_handshake_traffic_secret(Bytes transcript_hash, Secret& out);

    // Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0). Wipes the
    // Handshake Secret.
    TlsError derive_master_secret();
    // {client,server}_application_traffic_secret_0 = Derive-Secret(Master Secret, "{c,s} ap traffic",
    //   ClientHello...server Finished); exporter_master_secret likewise with "exp master".
    TlsError derive_client_application_traffic_secret_0(Bytes transcript_hash, Secret& out);
    TlsError derive_server_application_traffic_secret_0(Bytes transcript_hash, Secret& out);
    TlsError derive_exporter_master_secret(Bytes transcript_hash, Secret& out);
    // resumption_master_secret = Derive-Secret(Master Secret, "res master", ClientHello...client
    //   Finished). The last step: wipes the Master Secret.
    TlsError derive_resumption_master_secret(Bytes transcript_hash, Secret& out);

    Stage stage() const { return stage_; }
    // The current stage's secret (Early, Handshake or Master Secret): for tests against RFC 8448.
    Bytes current_secret() const { return secret_.view(); }
    const HashOps* hash() const { return hash_; }

private:
    TlsError derive_in(Stage stage, std::string_view label, Bytes transcript_hash, Secret& out,
                       const char* log_label);
    TlsError extract_next(Bytes ikm, Stage next);
    void log_stage(const char* name, Bytes secret) const;

    const HashOps* hash_ = nullptr;
    Stage stage_ = Stage::none;
    Secret secret_;
    KeyLog key_log_{};
    std::uint8_t client_random_[32] = {};
};

}  // namespace padlock::tls
