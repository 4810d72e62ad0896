// libFuzzer harness: the info pages' Markdown subset and site.ini (content.cpp). The input is split at the
// first NUL byte (if any): before it a site.ini text, after it a page; without one the same bytes are both.
// Every {{placeholder}} is filled and the page parsed, as loadPage does; nothing may crash, hang or leak.
#include "core/i18n/content.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace inloop::core;
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    const size_t nul = all.find('\0');
    const std::string_view ini = nul == std::string_view::npos ? all : all.substr(0, nul);
    const std::string_view page = nul == std::string_view::npos ? all : all.substr(nul + 1);

    const SiteSettings settings = SiteSettings::parse(ini);
    for (const auto& [key, value] : settings.values())
        if (key.empty() || settings.get(key) == nullptr || *settings.get(key) != value) __builtin_trap();

    std::vector<std::string> unknown;
    const std::string filled = settings.fill(page, &unknown);
    const Page parsed = parseMarkdown(filled);
    size_t chars = 0;
    if (!parsed.title().empty() && parsed.title().size() > filled.size()) __builtin_trap();
    for (const Block& b : parsed.blocks) {
        chars += b.plainText().size();
        for (const Span& s : b.spans)
            if (s.text.empty()) __builtin_trap(); // the parser never makes an empty span
    }
    if (chars > filled.size()) __builtin_trap(); // text is only ever taken away (markers), never invented
    parseMarkdown(page);
    return 0;
}
