// Encrypted backup files for off-site copies (libsodium). The machine keeps only a public key; the secret
// is the recovery phrase shown once to the coordinator, so a stolen appliance cannot read its own
// off-site copies and the phrase never lies in the data folder.
//
// Phrase: 25 random bytes + a 5-byte checksum (the first 5 bytes of unkeyed BLAKE2b-256 of the 25 bytes),
// written as 48 Crockford base32 characters (0123456789ABCDEFGHJKMNPQRSTVWXYZ, the 30 bytes read as one
// big-endian bit string) in 12 groups of 4 ("7K2M-Q9XD-…"). Reading it ignores case, spaces and dashes,
// reads O as 0 and I/L as 1, and tells a typo (checksum) from a phrase that belongs to other backups (key
// fingerprint in the file header).
// Key pair: crypto_box_seed_keypair(BLAKE2b-256(the 25 bytes, no key, zero salt, personal "inloop-backup"
// zero-padded to 16 bytes)). Fingerprint: the first 8 bytes of unkeyed BLAKE2b-256(public key).
// File (version 1), no length fields:
//   "INLOOPBK" | version byte 1 | 8-byte fingerprint | crypto_box_seal'ed 32-byte stream key (80 bytes)
//   | secretstream xchacha20poly1305 header (24 bytes)
//   | chunks: every one but the last holds exactly 64 KiB of plaintext (+17 bytes), the last 0..64 KiB,
//     tagged FINAL (an empty file is one empty FINAL chunk).
// The first chunk authenticates the first 97 bytes (magic to sealed key) as additional data, so any change
// to the header is caught. Both sides stream 64 KiB at a time, never the whole file in memory.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

namespace inloop::core::backup {

using PublicKey = std::array<unsigned char, 32>;

struct NewPhrase {
    std::string phrase;  // to show once, grouped with dashes
    PublicKey publicKey; // to keep (hex in a setting)
};
NewPhrase newRecoveryPhrase();

// Throws core::Error(InvalidInput, "backup.phrase") with a plain sentence when the phrase has the wrong
// length, a character that is not in the alphabet, or a wrong checksum ("looks mistyped").
PublicKey publicKeyFromPhrase(std::string_view phrase);

std::string toHex(const PublicKey& key);
PublicKey publicKeyFromHex(std::string_view hex); // throws Error(InvalidInput, "backup.key")

// Streams plain → sealed. Writes to sealed + ".part" (mode 0600), fsyncs, renames on success; on failure the
// .part is removed. Throws Error(InvalidInput, "backup.key") for a key crypto_box_seal refuses (e.g. all zeros),
// NotFound "backup.missing" / Storage "backup.unreadable" / Storage "backup.unwritable" for file trouble.
void sealFile(const std::filesystem::path& plain, const std::filesystem::path& sealed, const PublicKey& key);

// Streams sealed → plain + ".part" (mode 0600), renamed to `plain` only once the FINAL chunk and the end of
// the file are verified; on any failure the .part is removed, nothing is written at `plain` (a file already
// there is left as it was) and it throws core::Error with key, checked in this order:
//   "backup.not_a_backup"  — (InvalidInput) the file does not start with "INLOOPBK" (a non-empty prefix of it
//                            counts as damaged: a backup cut short)
//   "backup.phrase"        — (InvalidInput) the phrase itself is mistyped (from publicKeyFromPhrase)
//   "backup.wrong_phrase"  — (InvalidInput) the phrase is valid but belongs to other backups: the sealed key
//                            does not open and the fingerprint differs
//   "backup.damaged"       — (Storage) an unknown version, a sealed key that does not open although the
//                            fingerprint matches (or opens although it differs), a chunk that fails
//                            authentication, a file cut short (no FINAL), or bytes after FINAL
// and NotFound "backup.missing" / Storage "backup.unreadable" / Storage "backup.unwritable" for file trouble.
void openFile(const std::filesystem::path& sealed, const std::filesystem::path& plain, std::string_view phrase);

} // namespace inloop::core::backup
