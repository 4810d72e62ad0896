// inloop-bench: speed, memory and idle cost of Inloop, each measured against a baseline in the same run (issue 9).
//
// [SECTION] usage and options
// [SECTION] the table
// [SECTION] main: data, the measurements in a fork-safe order, output
#include "pg_bench.hpp"
#include "process_bench.hpp"
#include "results.hpp"
#include "speech_bench.hpp"
#include "store_bench.hpp"
#include "ui_bench.hpp"

#include "core/base/clock.hpp"
#include "core/base/temp_dir.hpp"
#include "core/i18n/i18n.hpp"
#include "core/store/store.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <string_view>
#include <unistd.h>

namespace {

using namespace inloop::bench;

// [SECTION] usage and options
constexpr const char* kUsage =
    "Usage: inloop-bench [--quick] [--json FILE] [--store SERVER]\n"
    "\n"
    "Measures Inloop against baselines measured in the same run and prints a table with the targets of issue 9.\n"
    "Builds its own demo data in a temporary folder (removed at exit); starts inloop-kiosk and inloop-frontdesk\n"
    "from the folder inloop-bench is in, with SDL's dummy video driver, and again on an X server of its own\n"
    "when Xvfb is installed (the dummy driver polls for input every millisecond; X11 sleeps until input).\n"
    "\n"
    "  --quick       2 years of data, fewer repetitions, 3-second windows (under 2 minutes; CI's smoke test)\n"
    "  --json FILE   also write every figure to FILE as JSON (null: could not be measured)\n"
    "  --store SERVER   also measure logging a contact and the yearly report on this PostgreSQL server (a libpq\n"
    "                URL or keyword string; default $INLOOP_STORE when that names a server), in a database the\n"
    "                bench creates (inloop_bench_<pid>) and drops at the end: the role must be allowed to create\n"
    "                databases (CREATEDB). Without a server the PostgreSQL rows are not measured.\n"
    "  --concurrent-seconds N   how long the three writers run (full: 60, quick: 3)\n"
    "  --only-concurrent        only the three writers (no JSON, no other figures)\n"
    "  --only-report            only the yearly report against hand-written SQL (no JSON, no other figures)\n"
    "  --only-commit            only logging a contact against the bare INSERT (no JSON, no other figures)\n"
    "                           (both: on the --store server too, when one is given)\n"
    "  --speech-wav DIR         only write what Read aloud says of an info page, one WAV per kiosk language\n"
    "                           (DIR/speech-<lang>.wav, through the inloop-speak helper), for listening and sox\n"
    "\n"
    "Read aloud's first sound is measured with SDL's dummy audio driver unless SDL_AUDIODRIVER names another.\n"
    "\n"
    "Exit status: 0 every figure measured (targets are reported, never enforced), 1 a figure could not be\n"
    "measured, 2 wrong usage.\n";

// The keys issue 9 asks for: always in the JSON, null when a measurement failed.
const std::vector<std::string> kRequiredKeys = {
    "commit_ratio",   "commit_p50_ms",  "commit_p99_ms",  "baseline_commit_p99_ms", "report_ratio",
    "report_ms",      "startup_ratio",  "startup_ms",     "atlas_ms",               "atlas_width",
    "atlas_height",   "frame_p50_ms",   "frame_p99_ms",   "idle_cpu_kiosk",         "idle_cpu_desk",
    "rss_kiosk_mb",   "rss_desk_mb",    "concurrent_tps", "concurrent_errors",
    // issue 21: read aloud's first sound per language, and its helper at rest
    "speech_first_audio_ms", "speech_first_audio_ms_nl", "speech_first_audio_ms_en", "speech_first_audio_ms_es",
    "speech_first_audio_ms_ro", "speech_first_audio_ms_bg", "speech_first_audio_ms_hu", "speech_first_audio_ms_zh",
    "speech_first_audio_ms_th", "idle_cpu_kiosk_speak",
};

// [SECTION] the table
struct Row {
    const char* label;
    const char* value;    // key
    const char* baseline; // key or nullptr
    const char* ratio;    // key, or nullptr: value ÷ baseline
    const char* target;   // as the issue words it; "" for context rows
    std::function<std::optional<bool>(const Results&)> met;
};

std::optional<bool> below(const Results& r, const char* key, double limit, bool inclusive = false) {
    const auto v = r.get(key);
    if (!v) return std::nullopt;
    return inclusive ? *v <= limit : *v < limit;
}

std::optional<bool> both(std::optional<bool> a, std::optional<bool> b) {
    if (!a || !b) return std::nullopt;
    return *a && *b;
}

std::string cell(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return "-";
    char buf[32];
    const double a = std::fabs(*v);
    if (a != 0 && a < 0.01) std::snprintf(buf, sizeof buf, "%.4f", *v);
    else if (a < 10) std::snprintf(buf, sizeof buf, "%.2f", *v);
    else if (a < 1000) std::snprintf(buf, sizeof buf, "%.1f", *v);
    else std::snprintf(buf, sizeof buf, "%.0f", *v);
    return buf;
}

std::vector<Row> tableRows(bool postgres) {
    std::vector<Row> rows = {
        {"log a contact p99 (ms)", "commit_p99_ms", "baseline_commit_p99_ms", "commit_ratio", "ratio <= 1.5",
         [](const Results& r) { return below(r, "commit_ratio", 1.5, true); }},
        {"log a contact p50 (ms)", "commit_p50_ms", "baseline_commit_p50_ms", "commit_p50_ratio", "", nullptr},
        {"yearly report (ms)", "report_ms", "baseline_report_ms", "report_ratio", "< 100 ms, ratio <= 1.5",
         [](const Results& r) { return both(below(r, "report_ms", 100), below(r, "report_ratio", 1.5, true)); }},
        {"kiosk cold start (ms)", "startup_ms", "baseline_startup_ms", "startup_ratio", "< 300 ms, ratio <= 2",
         [](const Results& r) { return both(below(r, "startup_ms", 300), below(r, "startup_ratio", 2, true)); }},
        {"kiosk first start (ms)", "startup_first_ms", "baseline_startup_ms", nullptr, "", nullptr},
        {"font atlas build (ms)", "atlas_ms", nullptr, nullptr, "", nullptr},
        {"desk frame, Today p99 (ms)", "frame_p99_ms", "baseline_frame_p99_ms", "frame_ratio", "< 4 ms",
         [](const Results& r) { return below(r, "frame_p99_ms", 4); }},
        {"desk frame, Today p50 (ms)", "frame_p50_ms", "baseline_frame_p50_ms", nullptr, "", nullptr},
        {"  of it the view's own code p99", "frame_draw_p99_ms", nullptr, nullptr, "", nullptr},
        {"  + software raster p50 (no GPU)", "frame_raster_p50_ms", nullptr, nullptr, "", nullptr},
        {"desk frame, queue p99 (ms)", "frame_queue_p99_ms", "baseline_frame_queue_p99_ms", nullptr, "< 4 ms",
         [](const Results& r) { return below(r, "frame_queue_p99_ms", 4); }},
        {"idle CPU, kiosk (core)", "idle_cpu_kiosk", "baseline_idle_cpu", nullptr, "< 0.01",
         [](const Results& r) { return below(r, "idle_cpu_kiosk", 0.01); }},
        {"  its read-aloud helper (core)", "idle_cpu_kiosk_speak", nullptr, nullptr, "< 0.01 with the kiosk",
         [](const Results& r) {
             const auto k = r.get("idle_cpu_kiosk"), s = r.get("idle_cpu_kiosk_speak");
             if (!k || !s) return std::optional<bool>();
             return std::optional<bool>(*k + *s < 0.01);
         }},
        {"idle CPU, desk (core)", "idle_cpu_desk", "baseline_idle_cpu", nullptr, "< 0.01",
         [](const Results& r) { return below(r, "idle_cpu_desk", 0.01); }},
        {"idle CPU, kiosk on X11 (core)", "idle_cpu_kiosk_x11", "baseline_idle_cpu_x11", nullptr, "< 0.01",
         [](const Results& r) { return below(r, "idle_cpu_kiosk_x11", 0.01); }},
        {"  its read-aloud helper (core)", "idle_cpu_kiosk_speak_x11", nullptr, nullptr, "", nullptr},
        {"idle CPU, desk on X11 (core)", "idle_cpu_desk_x11", "baseline_idle_cpu_x11", nullptr, "< 0.01",
         [](const Results& r) { return below(r, "idle_cpu_desk_x11", 0.01); }},
        {"peak RSS, kiosk (MB)", "rss_kiosk_mb", "baseline_rss_mb", nullptr, "< 150 MB",
         [](const Results& r) { return below(r, "rss_kiosk_mb", 150); }},
        {"peak RSS, desk (MB)", "rss_desk_mb", "baseline_rss_mb", nullptr, "< 150 MB",
         [](const Results& r) { return below(r, "rss_desk_mb", 150); }},
        {"peak RSS, kiosk on X11 (MB)", "rss_kiosk_x11_mb", "baseline_rss_x11_mb", nullptr, "< 150 MB",
         [](const Results& r) { return below(r, "rss_kiosk_x11_mb", 150); }},
        {"peak RSS, desk on X11 (MB)", "rss_desk_x11_mb", "baseline_rss_x11_mb", nullptr, "< 150 MB",
         [](const Results& r) { return below(r, "rss_desk_x11_mb", 150); }},
        {"read aloud: first sound (ms)", "speech_first_audio_ms", nullptr, nullptr, "< 300 ms, every language",
         [](const Results& r) { return below(r, "speech_first_audio_ms", 300); }},
        {"3 writers: transactions/s", "concurrent_tps", nullptr, nullptr, "", nullptr},
        {"  kiosk-like process", "concurrent_kiosk_tps", nullptr, nullptr, "", nullptr},
        {"  desk-like process", "concurrent_desk_tps", nullptr, nullptr, "", nullptr},
        {"  CLI-like process", "concurrent_cli_tps", nullptr, nullptr, "", nullptr},
        {"3 writers: slowest write (ms)", "concurrent_write_max_ms", nullptr, nullptr, "", nullptr},
        {"  kiosk (registration, counters)", "concurrent_kiosk_write_max_ms", nullptr, nullptr, "< 1000 ms",
         [](const Results& r) { return below(r, "concurrent_kiosk_write_max_ms", 1000); }},
        {"  desk (contact, handout)", "concurrent_desk_write_max_ms", nullptr, nullptr, "< 1000 ms",
         [](const Results& r) { return below(r, "concurrent_desk_write_max_ms", 1000); }},
        {"  CLI (registration, backup)", "concurrent_cli_write_max_ms", nullptr, nullptr, "", nullptr},
        {"  kiosk errors", "concurrent_kiosk_errors", nullptr, nullptr, "", nullptr},
        {"  desk errors", "concurrent_desk_errors", nullptr, nullptr, "", nullptr},
        {"  CLI errors", "concurrent_cli_errors", nullptr, nullptr, "", nullptr},
        {"3 writers: errors", "concurrent_errors", nullptr, nullptr, "0",
         [](const Results& r) { return below(r, "concurrent_errors", 0, true); }},
    };
    // Read aloud's first sound per language, under its row.
    static const std::vector<std::pair<std::string, std::string>> kSpeechRows = [] {
        std::vector<std::pair<std::string, std::string>> out;
        for (std::string_view lang : inloop::core::kLanguages)
            out.emplace_back("  " + std::string(lang), "speech_first_audio_ms_" + std::string(lang));
        return out;
    }();
    auto at = std::find_if(rows.begin(), rows.end(),
                           [](const Row& r) { return r.value == std::string_view("speech_first_audio_ms"); });
    for (const auto& [label, key] : kSpeechRows)
        at = rows.insert(at + 1, Row{label.c_str(), key.c_str(), nullptr, nullptr, "", nullptr});
    if (!postgres) return rows;
    rows.insert(rows.end(), {
        {"PostgreSQL: log a contact p99 (ms)", "pg_commit_p99_ms", "pg_baseline_commit_p99_ms", "pg_commit_ratio",
         "ratio <= 1.5", [](const Results& r) { return below(r, "pg_commit_ratio", 1.5, true); }},
        {"PostgreSQL: log a contact p50 (ms)", "pg_commit_p50_ms", "pg_baseline_commit_p50_ms", "pg_commit_p50_ratio",
         "", nullptr},
        {"PostgreSQL: live update p99 (ms)", "pg_update_p99_ms", nullptr, nullptr, "< 200 ms",
         [](const Results& r) { return below(r, "pg_update_p99_ms", 200); }},
        {"PostgreSQL: live update p50 (ms)", "pg_update_p50_ms", nullptr, nullptr, "", nullptr},
        {"PostgreSQL: yearly report (ms)", "pg_report_ms", "pg_baseline_report_ms", "pg_report_ratio", "ratio <= 1.5",
         [](const Results& r) { return below(r, "pg_report_ratio", 1.5, true); }},
    });
    return rows;
}

void printTable(const Results& r, bool postgres) {
    std::printf("\n%-34s %10s %10s %8s  %-24s %s\n", "measure", "value", "baseline", "ratio", "target", "met");
    std::printf("%s\n", std::string(96, '-').c_str());
    int met = 0, targets = 0, unknown = 0;
    for (const Row& row : tableRows(postgres)) {
        const auto value = r.get(row.value);
        const auto base = row.baseline ? r.get(row.baseline) : std::nullopt;
        std::optional<double> ratio = row.ratio ? r.get(row.ratio) : std::nullopt;
        if (!row.ratio && value && base && *base > 0) ratio = *value / *base;
        std::string verdict;
        if (row.met) {
            ++targets;
            const auto ok = row.met(r);
            verdict = !ok ? "not measured" : *ok ? "yes" : "NO";
            if (ok && *ok) ++met;
            if (!ok) ++unknown;
        }
        std::printf("%-34s %10s %10s %8s  %-24s %s\n", row.label, cell(value).c_str(), cell(base).c_str(),
                    cell(ratio).c_str(), row.target, verdict.c_str());
    }
    if (!postgres) std::printf("PostgreSQL: not measured (pass --store)\n");
    std::printf("%s\n", std::string(96, '-').c_str());
    std::printf("targets met: %d of %d", met, targets - unknown);
    if (unknown) std::printf(" (%d not measured)", unknown);
    if (const auto w = r.get("atlas_width"), h = r.get("atlas_height"); w && h)
        std::printf("   font atlas: %.0fx%.0f", *w, *h);
    std::printf("\n\nBaselines, measured in this run: commit = a bare sqlite3 INSERT + COMMIT with the store's pragmas;\n"
                "report = hand-written SQL for the main figures; start = App + ImGui's default font + one frame;\n"
                "frame = the same desk on the same busy today without the years before it; idle and RSS = the app\n"
                "shell with one line of text. SDL's dummy driver cannot sleep until input (it polls every 1 ms), so\n"
                "idle is measured again on an X server of the bench's own (Xvfb) when it is installed.\n");
    if (postgres)
        std::printf("PostgreSQL: the same demo data in a database of the bench's own on the server; commit = bare libpq\n"
                    "BEGIN; INSERT into a plain table like contact; COMMIT (three round trips); report = the hand-written\n"
                    "SQL ported to PostgreSQL. Both depend on the server's round-trip time and commit settings.\n");
}

// Runs one measurement; if it throws, its keys are written as null with the reason.
void measure(const char* what, const std::vector<std::string>& keys, Results& results, const std::function<void()>& job) {
    std::fprintf(stderr, "inloop-bench: %s…\n", what);
    const double t0 = wallMs();
    try {
        job();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "inloop-bench: %s failed: %s\n", what, e.what());
        for (const auto& key : keys)
            if (!results.get(key)) results.unmeasured(key, std::string(what) + ": " + e.what());
    }
    std::fprintf(stderr, "inloop-bench:   %.1f s\n", (wallMs() - t0) / 1000.0);
}

} // namespace

// [SECTION] main: data, the measurements in a fork-safe order, output
int main(int argc, char** argv) {
    bool quick = false, onlyConcurrent = false, onlyReport = false, onlyCommit = false;
    double concurrentSeconds = 0;
    std::string jsonFile;
    std::optional<std::string> storeFlag;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << kUsage;
            return 0;
        } else if (a == "--quick") {
            quick = true;
        } else if (a == "--concurrent-seconds" && i + 1 < argc && std::atof(argv[i + 1]) > 0) {
            concurrentSeconds = std::atof(argv[++i]);
        } else if (a == "--only-concurrent") {
            onlyConcurrent = true;
        } else if (a == "--only-report") {
            onlyReport = true;
        } else if (a == "--only-commit") {
            onlyCommit = true;
        } else if (a == "--json" && i + 1 < argc && *argv[i + 1]) {
            jsonFile = argv[++i];
        } else if (a == "--store" && i + 1 < argc && *argv[i + 1]) {
            storeFlag = argv[++i];
        } else if (a == "--speech-wav" && i + 1 < argc && *argv[i + 1]) {
            return writeSpeechWavs(argv[i + 1]);
        } else if (a == "--idle-baseline") {
            return runIdleBaseline(); // the baseline app of the idle measurement (started by the bench itself)
        } else {
            std::cerr << "inloop-bench: unknown option " << a << ". See inloop-bench --help.\n";
            return 2;
        }
    }

    // The server only from --store or $INLOOP_STORE; the SQLite figures always use a data folder of their own.
    const inloop::core::StoreLocation store = inloop::core::resolveStore(storeFlag, std::nullopt);
    if (storeFlag && !store.isPostgres()) {
        std::cerr << "inloop-bench: --store takes a PostgreSQL server (\"postgresql://…\" or \"host=… dbname=…\"); "
                     "the SQLite figures always use a temporary folder of the bench's own.\n";
        return 2;
    }
    const std::string server = store.server;
    std::vector<std::string> requiredKeys = kRequiredKeys;
    if (!server.empty()) requiredKeys.insert(requiredKeys.end(), kPgKeys.begin(), kPgKeys.end());

    const double start = wallMs();
    Settings settings = Settings::forRun(quick);
    if (concurrentSeconds > 0) settings.concurrentSeconds = concurrentSeconds;
    Results results;
    try {
        // Gone when the bench ends, however it ends (short of a signal).
        const inloop::core::TempDir temp("inloop-bench");
        Paths paths{temp.path(), temp.path() / "demo", temp.path() / "writes", temp.path() / "today-only",
                    fs::read_symlink("/proc/self/exe").parent_path()};
        results.note("mode", quick ? "quick" : "full");
        results.note("machine_cpu", cpuModel());
        results.set("machine_cores", cpuCount());
        results.note("temp_fs", fileSystemOf(paths.temp));
        results.note("date", inloop::core::localDay(inloop::core::nowUnix()));
        std::ifstream loadavg("/proc/loadavg"); // other work on the machine skews every figure: say how much there was
        std::string load1;
        if (loadavg >> load1) results.note("load_at_start", load1);

        std::fprintf(stderr, "inloop-bench: %s run, %d years of demo data in %s (%s)\n", quick ? "quick" : "full",
                     settings.years, paths.temp.c_str(), fileSystemOf(paths.temp).c_str());
        std::optional<PgBench> pg; // made first: a server the bench cannot use is said at once, not minutes later
        if (!server.empty()) {
            results.note("pg_server", store.describe());
            try {
                pg.emplace(server, paths.temp / "postgres");
            } catch (const std::exception& e) {
                std::cerr << "inloop-bench: PostgreSQL (" << store.describe() << "): " << e.what() << "\n";
                return 1;
            }
        }
        measure("making the demo data", {}, results, [&] { prepareData(settings, paths, results); });
        if (!fs::exists(inloop::core::StorePaths{paths.writes}.deskDb())) {
            std::cerr << "inloop-bench: without data nothing can be measured.\n";
            return 1;
        }
        // Store work first and the forks before any UI thread exists: the children must not inherit threads.
        if (onlyConcurrent) { // the three writers alone, for tuning the store's locking
            measure("7. three writers at once", {"concurrent_tps", "concurrent_errors"}, results,
                    [&] { measureConcurrent(settings, paths, results); });
            printTable(results, !server.empty());
            return 0;
        }
        // The same pairs on the server; no connection stays open after it, and the database is dropped.
        const auto onPostgres = [&](bool commit, bool report) {
            if (!pg) return;
            bool filled = false;
            measure("PostgreSQL: the demo data", kPgKeys, results, [&] {
                pg->fill(settings, results);
                filled = true;
            });
            if (filled && commit)
                measure("1. logging contacts on PostgreSQL",
                        {"pg_commit_ratio", "pg_commit_p50_ms", "pg_commit_p99_ms", "pg_baseline_commit_p99_ms"}, results,
                        [&] { pg->measureCommit(settings, results); });
            if (filled && commit)
                measure("1b. live updates on PostgreSQL", {"pg_update_p50_ms", "pg_update_p99_ms"}, results,
                        [&] { pg->measureUpdates(settings, results); });
            if (filled && report)
                measure("2. the yearly report on PostgreSQL", {"pg_report_ratio", "pg_report_ms", "pg_baseline_report_ms"},
                        results, [&] { pg->measureReport(settings, results); });
            pg.reset();
        };
        if (onlyReport || onlyCommit) { // for tuning the queries or the write path
            if (onlyCommit)
                measure("1. logging contacts", {"commit_ratio", "commit_p50_ms", "commit_p99_ms", "baseline_commit_p99_ms"},
                        results, [&] { measureCommit(settings, paths, results); });
            if (onlyReport)
                measure("2. the yearly report", {"report_ratio", "report_ms"}, results,
                        [&] { measureReport(settings, paths, results); });
            onPostgres(onlyCommit, onlyReport);
            printTable(results, !server.empty());
            return 0;
        }
        measure("1. logging contacts", {"commit_ratio", "commit_p50_ms", "commit_p99_ms", "baseline_commit_p99_ms"},
                results, [&] { measureCommit(settings, paths, results); });
        measure("2. the yearly report", {"report_ratio", "report_ms"}, results,
                [&] { measureReport(settings, paths, results); });
        onPostgres(true, true); // before the forks and threads
        measure("7. three writers at once", {"concurrent_tps", "concurrent_errors"}, results,
                [&] { measureConcurrent(settings, paths, results); });
        measure("5.+6. idle apps", {"idle_cpu_kiosk", "idle_cpu_desk", "rss_kiosk_mb", "rss_desk_mb"}, results,
                [&] { measureIdle(settings, paths, results); });
        measure("3. kiosk cold start", {"startup_ratio", "startup_ms", "atlas_ms", "atlas_width", "atlas_height"},
                results, [&] { measureStartup(settings, paths, results); });
        measure("4. front-desk frames", {"frame_p50_ms", "frame_p99_ms"}, results,
                [&] { measureFrames(settings, paths, results); });
        measure("8. read aloud: first sound", {"speech_first_audio_ms"}, results,
                [&] { measureSpeech(settings, paths, results); });
    } catch (const std::exception& e) {
        std::cerr << "inloop-bench: " << e.what() << "\n";
    }
    results.set("bench_seconds", (wallMs() - start) / 1000.0);

    std::printf("Inloop bench (%s) on %s, %d cores; temp on %s\n", quick ? "quick" : "full", cpuModel().c_str(),
                cpuCount(), fileSystemOf(fs::temp_directory_path()).c_str());
    printTable(results, !server.empty());
    int missing = 0;
    for (const auto& key : requiredKeys)
        if (!results.get(key)) {
            ++missing;
            if (!results.problems().count(key)) results.unmeasured(key, "not reached");
        }
    for (const auto& [key, why] : results.problems()) std::printf("not measured: %s — %s\n", key.c_str(), why.c_str());
    std::printf("took %.1f s\n", (wallMs() - start) / 1000.0);
    if (!jsonFile.empty()) {
        std::ofstream out(jsonFile, std::ios::binary | std::ios::trunc);
        out << results.json(requiredKeys);
        if (!out) {
            std::cerr << "inloop-bench: cannot write " << jsonFile << "\n";
            return 1;
        }
    }
    return missing ? 1 : 0;
}
