// libFuzzer harness: opening a sealed backup file (sealed_backup.cpp). The input is the file; the phrase is
// the one the seeds (tests/fuzz/corpus/sealed_backup/) were sealed for, so mutations reach the chunk reader
// (see tests/fuzz/README.md). Whatever the bytes, openFile either writes the plain file or throws core::Error
// and leaves nothing behind.
#include "scratch_dir.hpp"

#include "core/base/error.hpp"
#include "core/backup/sealed_backup.hpp"

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace inloop::core;
    namespace fs = std::filesystem;
    const char* const phrase = "0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-AMHQ-DX3B"; // 25 zero bytes
    const fs::path sealed = inloop::fuzz::scratchDir() / "in.sealed";
    const fs::path plain = inloop::fuzz::scratchDir() / "out.sqlar";
    {
        std::ofstream out(sealed, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    std::error_code ec;
    fs::remove(plain, ec);
    try {
        backup::openFile(sealed, plain, phrase);
    } catch (const Error&) {
        if (fs::exists(plain) || fs::exists(plain.string() + ".part")) __builtin_trap(); // nothing left behind
    }
    return 0;
}
