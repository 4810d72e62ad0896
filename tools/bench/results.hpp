// The bench's plumbing: run settings, the named results (JSON keys), timing and percentile helpers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace inloop::bench {

namespace fs = std::filesystem;

// How much work each measurement does; --quick scales everything down for CI's smoke test.
struct Settings {
    bool quick = false;
    int years = 10;              // demo data
    int commitSamples = 400;     // logContact and baseline commits, interleaved
    int reportRuns = 15;         // buildReport and baseline, interleaved; the median counts
    double concurrentSeconds = 60; // issue 15: three writers at full speed for 60 s
    double idleWarmSeconds = 2;  // after start, before the idle window
    double idleSeconds = 10;
    int startupRuns = 5;         // kiosk and baseline cold starts, interleaved; the median counts
    int atlasRuns = 3;
    int frames = 200;            // per view
    static Settings forRun(bool quick);
};

// Where the bench keeps its data: a temp dir removed at exit.
struct Paths {
    fs::path temp;      // everything below lives here
    fs::path demo;      // the demo store that is read: report, frames, idle apps
    fs::path writes;    // a copy of it for the write benchmarks (commits, concurrency)
    fs::path todayOnly; // the same busy today without the years before it: the frame baseline
    fs::path binDir;    // where inloop-kiosk and inloop-frontdesk are (next to inloop-bench)
};

// Every figure under its JSON key; a missing value (could not be measured) is written as null.
class Results {
public:
    void set(const std::string& key, double value) { m_values[key] = value; }
    void unmeasured(const std::string& key, const std::string& why);
    void note(const std::string& key, const std::string& text) { m_notes[key] = text; }
    std::optional<double> get(const std::string& key) const;
    const std::map<std::string, std::string>& problems() const { return m_problems; }
    // Flat JSON: numbers, null for what could not be measured, and the notes (machine, data) as strings.
    std::string json(const std::vector<std::string>& requiredKeys) const;

private:
    std::map<std::string, std::optional<double>> m_values;
    std::map<std::string, std::string> m_notes;
    std::map<std::string, std::string> m_problems;
};

// [SECTION] timing
double wallMs();      // steady clock, milliseconds
double threadCpuMs(); // CPU time of the calling thread, milliseconds

// Nearest-rank percentile (p in 0..100) of unsorted samples; 0 for none.
double percentile(std::vector<double> samples, double p);
inline double median(std::vector<double> samples) { return percentile(std::move(samples), 50); }

// The machine, for the README table: CPU model (lscpu's "Model name") and the number of cores.
std::string cpuModel();
int cpuCount();
std::string fileSystemOf(const fs::path& dir);

} // namespace inloop::bench
