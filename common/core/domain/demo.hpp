// Realistic demo data: N years up to today, shaped like Spot 46's published yearly figures (2017).
#pragma once

#include "core/base/temp_dir.hpp"
#include "core/store/store.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace inloop::core {

struct DemoOptions {
    int years = 2;          // 1..15
    uint64_t seed = 46;     // same seed, same data
    std::string today;      // last day to fill (YYYY-MM-DD); empty: today
};

struct DemoSummary {
    int64_t contacts = 0, walkIns = 0, distinctVisitors = 0, stockMoves = 0, sessions = 0, registrations = 0,
            stays = 0, staff = 0;
    int64_t undone = 0;            // double taps logged and undone again (in neither contacts nor walkIns)
    std::string firstDay, lastDay; // the period filled
};

// Fills an initialised store that holds no contacts yet; refuses (Error Conflict "demo.not_empty") otherwise.
DemoSummary generateDemo(Store& store, const DemoOptions& options);

// A throwaway data folder (a TempDir) with `years` of demo data (the tours, the bench); removed with the object.
class ScratchDemoStore {
public:
    explicit ScratchDemoStore(int years, const std::string& prefix = "inloop-demo");
    const std::filesystem::path& dir() const { return m_dir.path(); }

private:
    TempDir m_dir;
};

} // namespace inloop::core
