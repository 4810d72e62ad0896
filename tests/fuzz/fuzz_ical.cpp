// libFuzzer harness: the partner-calendar reader (ical.cpp, on top of libical). Any input may be refused
// with core::Error, never with anything else, and never crash, hang or leak; what is read keeps the promises
// of ical.hpp (sorted, inside the window, each ending after it starts).
#include "core/base/error.hpp"
#include "core/net/ical.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace inloop::core;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const int64_t from = 1767222000; // 2026-01-01 Amsterdam
    const int64_t to = from + 120 * 86400;
    try {
        const ical::Feed feed = ical::readFeed(text, from, to);
        for (size_t i = 0; i < feed.occurrences.size(); ++i) {
            const ical::Occurrence& o = feed.occurrences[i];
            if (o.end <= o.start || o.start >= to || o.end <= from) __builtin_trap();
            if (i > 0 && feed.occurrences[i - 1].start > o.start) __builtin_trap();
        }
        if (feed.occurrences.size() > 20000 || feed.warnings.size() > 20) __builtin_trap();
    } catch (const Error&) {
        // refused with a sentence: fine
    }
    return 0;
}
