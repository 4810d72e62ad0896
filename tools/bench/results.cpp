// The bench's plumbing (see results.hpp).
//
// [SECTION] settings and results
// [SECTION] timing
// [SECTION] the machine
#include "results.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

namespace inloop::bench {

// [SECTION] settings and results
Settings Settings::forRun(bool quick) {
    Settings s;
    s.quick = quick;
    if (quick) {
        s.years = 2;
        s.commitSamples = 100;
        s.reportRuns = 5;
        s.concurrentSeconds = 3;
        s.idleSeconds = 3;
        s.startupRuns = 2;
        s.atlasRuns = 2;
        s.frames = 50;
    }
    return s;
}

void Results::unmeasured(const std::string& key, const std::string& why) {
    m_values[key] = std::nullopt;
    m_problems[key] = why;
}

std::optional<double> Results::get(const std::string& key) const {
    auto it = m_values.find(key);
    return it == m_values.end() ? std::nullopt : it->second;
}

namespace {
std::string number(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return "null";
    char buf[64];
    if (std::fabs(*v - std::round(*v)) < 1e-9 && std::fabs(*v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", *v);
    else std::snprintf(buf, sizeof buf, "%.6g", *v);
    return buf;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
            out += esc;
            continue;
        }
        out += c;
    }
    return out + "\"";
}
} // namespace

std::string Results::json(const std::vector<std::string>& requiredKeys) const {
    std::ostringstream out;
    out << "{\n";
    bool first = true;
    const auto line = [&](const std::string& key, const std::string& value) {
        out << (first ? "" : ",\n") << "  " << quoted(key) << ": " << value;
        first = false;
    };
    // The keys first, in its order (null when not measured), then the extra figures, then the notes.
    for (const auto& key : requiredKeys) line(key, number(get(key)));
    for (const auto& [key, value] : m_values)
        if (std::find(requiredKeys.begin(), requiredKeys.end(), key) == requiredKeys.end()) line(key, number(value));
    for (const auto& [key, text] : m_notes) line(key, quoted(text));
    if (!m_problems.empty()) {
        std::string p = "{";
        bool firstProblem = true;
        for (const auto& [key, why] : m_problems) {
            p += (firstProblem ? "" : ", ") + quoted(key) + ": " + quoted(why);
            firstProblem = false;
        }
        line("unmeasured", p + "}");
    }
    out << "\n}\n";
    return out.str();
}

// [SECTION] timing
double wallMs() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> samples, double p) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    const double rank = std::ceil(p / 100.0 * static_cast<double>(samples.size()));
    const size_t index = static_cast<size_t>(std::clamp(rank, 1.0, static_cast<double>(samples.size()))) - 1;
    return samples[index];
}

// [SECTION] the machine
std::string cpuModel() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0) {
            const size_t colon = line.find(':');
            if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
        }
    return "unknown";
}

int cpuCount() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

std::string fileSystemOf(const fs::path& dir) {
    std::error_code ec;
    const std::string path = fs::canonical(dir, ec).string();
    std::ifstream in("/proc/self/mounts");
    std::string best, type = "unknown";
    for (std::string dev, mount, fsType, rest; in >> dev >> mount >> fsType && std::getline(in, rest);) {
        const bool under = path == mount || path.rfind(mount == "/" ? mount : mount + "/", 0) == 0;
        if (under && mount.size() >= best.size()) {
            best = mount;
            type = fsType;
        }
    }
    return type;
}

} // namespace inloop::bench
