// libFuzzer harness: the recovery-phrase decoder (sealed_backup.cpp). Any text gives a key or
// core::Error("backup.phrase"); a key's phrase is never confused with its hex form.
#include "core/base/error.hpp"
#include "core/backup/sealed_backup.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace inloop::core;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const backup::PublicKey key = backup::publicKeyFromPhrase(text);
        if (backup::publicKeyFromHex(backup::toHex(key)) != key) __builtin_trap();
    } catch (const Error& e) {
        if (e.key() != "backup.phrase") __builtin_trap();
    }
    try {
        backup::publicKeyFromHex(text);
    } catch (const Error& e) {
        if (e.key() != "backup.key") __builtin_trap();
    }
    return 0;
}
