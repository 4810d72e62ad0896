// The key for visitor codes (desk/client-code.key) between desk machines (issue 20): on a site with several
// machines it never goes into the database, so a dump alone cannot link codes; each desk machine holds a copy.
// `inloopctl key export` gives it as a file or as text to type; `key import` puts it in place on a new machine.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace inloop::core {

using CodeKey = std::array<unsigned char, 32>; // crypto_generichash's key

// Writes the key to `file` through a temporary file (fsynced, then renamed) with exactly `mode`. A full disk is
// Error(Storage, "disk.full"), any other failure "store.unwritable"; nothing is left behind.
void writeKeyFile(const std::filesystem::path& file, const CodeKey& key, mode_t mode);

// The key of a file: exactly 32 bytes, or Error(Storage, "key.unreadable").
CodeKey readKeyFile(const std::filesystem::path& file);

// As a person types it: 16 groups of 4 hexadecimal digits and a 17th that checks them, joined by dashes.
std::string typedCodeKey(const CodeKey& key);
// The key back; spaces, dashes and case do not matter. A wrong length, a character that is not a hex digit, or
// a check that does not match is Error(InvalidInput, "key.typed") ("looks mistyped"): nothing is written.
CodeKey codeKeyFromTyped(std::string_view typed);

// What the store records of the key its visitor codes are made with (setting code_key.fingerprint): a keyed hash
// of a fixed label, 32 hexadecimal digits. It tells two keys apart and reveals nothing of either.
std::string codeKeyFingerprint(const CodeKey& key);

// Puts `key` in this machine's data folder (desk/client-code.key, mode 0640 in a setgid desk folder, else 0600).
// The same key there already: false, nothing written. Another key there: Error(Conflict, "key.other"), never
// overwritten (codes hashed with it would be lost to this machine).
bool installCodeKey(const std::filesystem::path& dataDir, const CodeKey& key);

} // namespace inloop::core
