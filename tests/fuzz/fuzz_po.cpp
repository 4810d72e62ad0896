// libFuzzer harness: UI messages (i18n.cpp): a PO file read with libgettextpo (fatal syntax errors jump back
// out of it), every message formatted with ICU MessageFormat, and the checks of i18n-check over the patterns.
// The input is written as nl.po (the source language) in a scratch folder; nothing may crash, hang or leak.
#include "scratch_dir.hpp"

#include "core/i18n/i18n.hpp"

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace inloop::core;
    const std::filesystem::path& dir = inloop::fuzz::scratchDir();
    {
        std::ofstream out(dir / "nl.po", std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    const Messages messages(dir, {"nl"});
    if (const Messages::Catalog* catalog = messages.catalog("nl")) {
        for (const auto& [key, entry] : *catalog) {
            // The arguments the real messages take, as numbers and as text.
            messages.tr("nl", key, {{"count", int64_t{3}}, {"name", std::string("Anouk")}, {"time", 1.5}});
            messages.tr("nl", key, {{"count", std::string("drie")}});
            messages.tr("nl", key, {});
        }
    }
    messages.reviewState("nl");
    checkMessages(messages, "");
    return 0;
}
