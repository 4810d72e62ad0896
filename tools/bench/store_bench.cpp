// The store benchmarks (see store_bench.hpp).
//
// [SECTION] data: demo years, a busy today, the copy for writes, today alone
// [SECTION] 1. commit latency
// [SECTION] 2. yearly report
// [SECTION] 7. concurrent writers
#include "store_bench.hpp"

#include "core/views/board_view.hpp"
#include "core/base/clock.hpp"
#include "core/domain/demo.hpp"
#include "core/views/desk_view.hpp"
#include "core/domain/domain.hpp"
#include "core/i18n/i18n.hpp"
#include "core/backup/maintenance.hpp"
#include "core/views/queue_view.hpp"
#include "core/domain/report.hpp"
#include "core/store/store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace inloop::bench {

using namespace inloop::core;

namespace {
constexpr int kBusyDayContacts = 50;      // twice the busiest day in 10 years of demo data (23)
constexpr int kBusyDayRegistrations = 18; // a full consultation hour in the queue
} // namespace

int64_t coordinatorId(Store& store) {
    for (const auto& m : listStaff(store))
        if (m.role == Role::Coordinator) return m.id;
    throw std::runtime_error("the demo data has no coordinator");
}

std::pair<std::vector<double>, std::vector<double>> interleaved(int runs, const std::function<void()>& a,
                                                                const std::function<void()>& b) {
    std::vector<double> timesA, timesB;
    const auto time = [](const std::function<void()>& job, std::vector<double>& into) {
        const double t0 = wallMs();
        job();
        into.push_back(wallMs() - t0);
    };
    for (int i = 0; i < runs; ++i) {
        if (i % 2) {
            time(a, timesA);
            time(b, timesB);
        } else {
            time(b, timesB);
            time(a, timesA);
        }
    }
    return {timesA, timesB};
}

void recordCommits(Results& results, const std::string& prefix, const std::vector<double>& domain,
                   const std::vector<double>& baseline) {
    results.set(prefix + "commit_p50_ms", percentile(domain, 50));
    results.set(prefix + "commit_p99_ms", percentile(domain, 99));
    results.set(prefix + "baseline_commit_p50_ms", percentile(baseline, 50));
    results.set(prefix + "baseline_commit_p99_ms", percentile(baseline, 99));
    results.set(prefix + "commit_ratio", percentile(domain, 99) / percentile(baseline, 99));
    results.set(prefix + "commit_p50_ratio", percentile(domain, 50) / percentile(baseline, 50));
    results.set(prefix + "commit_samples", static_cast<double>(domain.size()));
}

void recordReport(Results& results, const std::string& prefix, const Report& report, const MainFigures& baseline,
                  const std::vector<double>& full, const std::vector<double>& minimal) {
    results.set(prefix + "report_ms", median(full));
    results.set(prefix + "baseline_report_ms", median(minimal));
    results.set(prefix + "report_ratio", median(full) / median(minimal));
    results.set(prefix + "report_year", yearOf(report.period.from));
    results.set(prefix + "report_figures", static_cast<double>(report.figures.size()));
    const std::string differ = disagreements(report, baseline);
    results.set(prefix + "report_baseline_agrees", differ.empty() ? 1 : 0);
    if (!differ.empty()) results.note(prefix + "report_baseline_differences", differ);
}

// [SECTION] data: demo years, a busy today, the copy for writes, today alone
namespace {
// Today in the demo may be a Sunday (closed) or early morning: give the desk a busy day to draw.
void busyToday(Store& store) {
    const int64_t now = nowUnix();
    const std::string today = localDay(now);
    const int64_t dayStart = unixFromLocal(today, 0);
    const Actor staff = Actor::staff(coordinatorId(store));
    const auto items = loadStock(store);
    for (const auto& item : items) {
        StockChange d;
        d.itemId = item.id;
        d.kind = StockKind::Delivery;
        d.quantity = 200;
        moveStock(store, Actor::cli(), d);
    }
    Statement& have = store.db().prepare("SELECT count(*) FROM contact WHERE day = ?");
    have.bind(1, today);
    have.step();
    const int already = static_cast<int>(have.getInt(0));
    have.reset();
    const Channel channels[] = {Channel::WalkIn, Channel::WalkIn, Channel::WalkIn, Channel::WalkIn, Channel::WalkIn,
                                Channel::WalkIn, Channel::Phone, Channel::Phone, Channel::Email, Channel::OutreachStreet};
    for (int i = already; i < kBusyDayContacts; ++i) {
        NewContact c;
        c.channel = channels[i % 10];
        c.gender = static_cast<Gender>(i % 4);
        c.language = std::string(kLanguages[static_cast<size_t>(i) % kLanguages.size()]);
        if (i % 2) c.topics = {Topic::Health};
        if (i % 3 == 0) c.topics = {Topic::StiTest, Topic::Money, Topic::Housing};
        if (i % 5 < 2 && c.channel == Channel::WalkIn) c.clientCode = "BN" + std::to_string(1980 + i % 15);
        c.when.at = dayStart + (now - dayStart) * (i + 1) / (kBusyDayContacts + 1);
        const LoggedContact logged = logContact(store, staff, c);
        if (i % 3 == 0 && !items.empty()) {
            StockChange h;
            h.itemId = items[static_cast<size_t>(i) % items.size()].id;
            h.quantity = 1 + i % 3;
            h.contactId = logged.id;
            h.when.at = c.when.at;
            moveStock(store, staff, h);
        }
    }
    // A consultation hour today with people waiting, called, seen and not shown.
    const int64_t service = store.db().queryInt("SELECT id FROM service WHERE active = 1 ORDER BY id LIMIT 1");
    if (!service) return;
    int64_t session = 0;
    try {
        session = addExtraSession(store, Actor::cli(), service, today, 601, 961, 30);
    } catch (const Error&) {
        Statement& find = store.db().prepare("SELECT id FROM session WHERE service_id = ? AND day = ? AND start_min = 601");
        find.bindAll(service, today);
        if (find.step()) session = find.getInt(0);
        find.reset();
    }
    if (!session) return;
    for (int j = 0; j < kBusyDayRegistrations; ++j) {
        std::optional<std::string> name;
        if (j % 4 == 0) name = "Mira";
        const Ticket t = registerForSession(store, Actor::cli(), session,
                                            j % 3 == 0 ? RegistrationSource::Desk : RegistrationSource::Kiosk,
                                            kLanguages[static_cast<size_t>(j) % kLanguages.size()], name);
        if (j < 6) setRegistrationStatus(store, Actor::cli(), t.registrationId, "seen");
        else if (j < 8) setRegistrationStatus(store, Actor::cli(), t.registrationId, "no_show");
        else if (j < 10) setRegistrationStatus(store, Actor::cli(), t.registrationId, "called");
    }
}
} // namespace

void fillDemo(Store& store, const Settings& settings, Results& results, const std::string& prefix) {
    const double start = wallMs();
    DemoOptions demo;
    demo.years = settings.years;
    const DemoSummary summary = generateDemo(store, demo);
    results.set(prefix + "data_years", settings.years);
    results.set(prefix + "data_contacts", static_cast<double>(summary.contacts));
    results.set(prefix + "data_stock_moves", static_cast<double>(summary.stockMoves));
    results.set(prefix + "data_registrations", static_cast<double>(summary.registrations));
    busyToday(store);
    results.set(prefix + "data_build_s", (wallMs() - start) / 1000.0);
}

void prepareData(const Settings& settings, const Paths& paths, Results& results) {
    Store::init(paths.demo);
    {
        Store store = Store::open(paths.demo);
        fillDemo(store, settings, results, "");
        store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    fs::copy(paths.demo, paths.writes, fs::copy_options::recursive);
    Store::init(paths.todayOnly);
    Store store = Store::open(paths.todayOnly);
    addStaff(store, Actor::system(), "Anouk", Role::Coordinator, "4646");
    busyToday(store);
}

// [SECTION] 1. commit latency
namespace {
// The baseline: the raw C API, a scratch file, the store's pragmas, one prepared INSERT per transaction.
class BareTable {
public:
    explicit BareTable(const fs::path& file) {
        check(sqlite3_open_v2(file.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                              nullptr));
        sqlite3_busy_timeout(m_db, 10000);
        exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; "
             "PRAGMA trusted_schema = OFF; PRAGMA secure_delete = ON;"
             "CREATE TABLE contact (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, day TEXT NOT NULL, "
             "channel TEXT NOT NULL, gender TEXT NOT NULL, language TEXT NOT NULL, referral TEXT NOT NULL, "
             "client_id INTEGER, staff_id INTEGER, reverses INTEGER) STRICT;");
        check(sqlite3_prepare_v2(m_db, "BEGIN IMMEDIATE", -1, &m_begin, nullptr));
        check(sqlite3_prepare_v2(m_db,
                                 "INSERT INTO contact(at, day, channel, gender, language, referral, staff_id) "
                                 "VALUES (?, ?, 'walk_in', 'unknown', 'nl', 'none', ?)",
                                 -1, &m_insert, nullptr));
        check(sqlite3_prepare_v2(m_db, "COMMIT", -1, &m_commit, nullptr));
    }
    ~BareTable() {
        sqlite3_finalize(m_begin);
        sqlite3_finalize(m_insert);
        sqlite3_finalize(m_commit);
        sqlite3_close_v2(m_db);
    }
    BareTable(const BareTable&) = delete;
    BareTable& operator=(const BareTable&) = delete;

    void insert(int64_t at, const std::string& day, int64_t staffId) {
        step(m_begin);
        sqlite3_bind_int64(m_insert, 1, at);
        sqlite3_bind_text(m_insert, 2, day.c_str(), static_cast<int>(day.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(m_insert, 3, staffId);
        step(m_insert);
        step(m_commit);
    }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK) throw std::runtime_error(std::string("baseline: ") + sqlite3_errstr(rc));
    }
    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            const std::string msg = err ? err : "?";
            sqlite3_free(err);
            throw std::runtime_error("baseline: " + msg);
        }
    }
    void step(sqlite3_stmt* st) {
        const int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) throw std::runtime_error(std::string("baseline: ") + sqlite3_errmsg(m_db));
    }
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_begin = nullptr;
    sqlite3_stmt* m_insert = nullptr;
    sqlite3_stmt* m_commit = nullptr;
};
} // namespace

void measureCommit(const Settings& settings, const Paths& paths, Results& results) {
    Store store = Store::open(paths.writes);
    const int64_t staffId = coordinatorId(store);
    const Actor actor = Actor::staff(staffId);
    BareTable bare(paths.temp / "baseline-commit.db");
    NewContact oneTap; // what the desk's big walk-in button logs
    oneTap.channel = Channel::WalkIn;
    const auto logOne = [&] { logContact(store, actor, oneTap); };
    const auto bareOne = [&] {
        const int64_t now = nowUnix();
        bare.insert(now, localDay(now), staffId);
    };
    for (int i = 0; i < 10; ++i) { // warm-up: caches, statement cache, WAL files
        logOne();
        bareOne();
    }
    // Interleaved, so both see the same disk.
    const auto [domain, baseline] = interleaved(settings.commitSamples, logOne, bareOne);
    recordCommits(results, "", domain, baseline);
}

// [SECTION] 2. yearly report
void MainFigures::addContacts(const std::string& channel, double count, double visitors) {
    channels[channel] = count;
    contacts += count;
    if (channel == "walk_in") {
        walkIns = count;
        walkInVisitors = visitors;
    }
}

void MainFigures::addRegistrations(const std::string& status, double count) {
    registered += count;
    if (status == "seen") attended += count;
    if (status == "no_show") noShow += count;
    if (status == "cancelled") cancelled += count;
}

namespace {
MainFigures minimalFigures(Store& store, const Period& p) {
    MainFigures f;
    ReadTransaction snapshot(store.db());
    {
        const auto stOwned = store.db().statement("SELECT channel, count(*), count(DISTINCT client_id) FROM contact c "
                                 "WHERE day BETWEEN ?1 AND ?2 AND reverses IS NULL "
                                 "AND NOT EXISTS (SELECT 1 FROM contact r WHERE r.reverses = c.id) GROUP BY channel");
        Statement& st = *stOwned;
        st.bindAll(p.from, p.to);
        while (st.step()) f.addContacts(st.getText(0), st.getDouble(1), st.getDouble(2));
    }
    {
        const auto stOwned = store.db().statement("SELECT r.status, count(*) FROM registration r JOIN session s ON s.id = r.session_id "
                                 "WHERE s.day BETWEEN ?1 AND ?2 AND r.status <> 'moved' GROUP BY s.service_id, 1");
        Statement& st = *stOwned;
        st.bindAll(p.from, p.to);
        while (st.step()) f.addRegistrations(st.getText(0), st.getDouble(1));
    }
    {
        const auto stOwned = store.db().statement("SELECT m.item_id, -sum(m.qty) FROM stock_move m LEFT JOIN stock_move o ON o.id = m.reverses "
                                 "WHERE m.day BETWEEN ?1 AND ?2 AND COALESCE(o.kind, m.kind) = 'handout' GROUP BY 1");
        Statement& st = *stOwned;
        st.bindAll(p.from, p.to);
        while (st.step()) f.handedOut += st.getDouble(1);
    }
    {
        Statement& st = store.db().prepare(
                     "SELECT COALESCE(SUM(julianday(MIN(COALESCE(out_day, date(?2, '+1 day')), date(?2, '+1 day'))) - "
                     "julianday(MAX(in_day, ?1))), 0) FROM stay WHERE in_day <= ?2 AND (out_day IS NULL OR out_day > ?1)");
        st.bindAll(p.from, p.to);
        if (st.step()) f.bedNights = std::round(st.getDouble(0));
    }
    return f;
}

double sumOf(const Report& r, const std::string& prefix, const std::string& suffix) {
    double sum = 0;
    for (const auto& [key, value] : r.figures)
        if (key.rfind(prefix, 0) == 0 && key.size() > suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0)
            sum += value;
    return sum;
}

} // namespace

std::string disagreements(const Report& r, const MainFigures& f) {
    std::string out;
    const auto same = [&](const char* what, double report, double baseline) {
        if (std::fabs(report - baseline) > 0.5)
            out += std::string(out.empty() ? "" : "; ") + what + " report " + std::to_string(report) + " vs baseline " +
                   std::to_string(baseline);
    };
    same("walk_in.visits", r.get("walk_in.visits"), f.walkIns);
    same("walk_in.unique_visitors", r.get("walk_in.unique_visitors"), f.walkInVisitors);
    for (const char* ch : {"walk_in", "phone", "email", "outreach_street", "outreach_online"}) {
        const auto it = f.channels.find(ch);
        same(ch, r.get(std::string("contacts.") + ch), it == f.channels.end() ? 0 : it->second);
    }
    same("spreekuren registered", sumOf(r, "spreekuren.", ".registered"), f.registered);
    same("spreekuren attended", sumOf(r, "spreekuren.", ".attended"), f.attended);
    same("spreekuren no_show", sumOf(r, "spreekuren.", ".no_show"), f.noShow);
    same("spreekuren cancelled", sumOf(r, "spreekuren.", ".cancelled"), f.cancelled);
    same("supplies handed_out", sumOf(r, "supplies.", ".handed_out"), f.handedOut);
    same("shelter.bed_nights", r.get("shelter.bed_nights"), f.bedNights);
    return out;
}

void measureReport(const Settings& settings, const Paths& paths, Results& results) {
    Store store = Store::open(paths.demo);
    const int year = yearOf(localDay(nowUnix())) - 1; // the last whole year
    const Period period = Period::year(year);
    Report report = buildReport(store, period); // warm-up: page cache and SQLite's cache
    MainFigures mini = minimalFigures(store, period);
    const auto [full, minimal] = interleaved(settings.reportRuns, [&] { report = buildReport(store, period); },
                                             [&] { mini = minimalFigures(store, period); });
    recordReport(results, "", report, mini, full, minimal);
}

// [SECTION] 7. concurrent writers
namespace {
// What a writer process sends back through its pipe.
struct WriterReport {
    int64_t writes = 0, reads = 0, errors = 0, busyErrors = 0;
    double p99Ms = 0, maxMs = 0;
    char firstError[240] = {};
};

enum class WriterKind { Kiosk, Desk, Cli };

struct Plan {
    fs::path dir, scratch;
    double startAt = 0, endAt = 0; // steady clock ms, the same in every process
    std::vector<int64_t> sessions; // the kiosk registers for these (capacity 500 each)
    int64_t staffId = 0;
    std::vector<int64_t> items;
};

// The body of one writer process. Each call is one transaction; every exception counts as an error.
WriterReport runWriter(WriterKind role, const Plan& plan) {
    WriterReport r;
    std::vector<double> latencies;
    const auto failed = [&](const std::exception& e) {
        ++r.errors;
        if (const auto* sq = dynamic_cast<const SqliteError*>(&e); sq && sq->isBusy()) ++r.busyErrors;
        if (!r.firstError[0]) std::snprintf(r.firstError, sizeof r.firstError, "%s", e.what());
    };
    // One timed write: a failure is counted, the loop goes on.
    const auto write = [&](const auto& job) {
        const double t0 = wallMs();
        try {
            job();
            ++r.writes;
            latencies.push_back(wallMs() - t0);
        } catch (const std::exception& e) {
            failed(e);
        }
    };
    const auto read = [&](const auto& job) {
        try {
            job();
            ++r.reads;
        } catch (const std::exception& e) {
            failed(e);
        }
    };
    try {
        Store store = Store::open(plan.dir, role == WriterKind::Kiosk ? Store::Access::Kiosk : Store::Access::Desk);
        const std::string serviceCode = "bench";
        while (wallMs() < plan.startAt) usleep(1000);
        for (int i = 0; wallMs() < plan.endAt; ++i) {
            const auto n = static_cast<size_t>(i);
            if (role == WriterKind::Kiosk) {
                // A visit: a language, a page, and every eighth visit a registration.
                const std::string lang(kLanguages[n % kLanguages.size()]);
                write([&] { countKioskUse(store, "language", lang); });
                write([&] { countKioskUse(store, "page", "shelter"); });
                if (i % 8 == 0) {
                    write([&] {
                        registerForSession(store, Actor::kiosk(), plan.sessions[n / 8 % plan.sessions.size()],
                                           RegistrationSource::Kiosk, lang);
                    });
                    write([&] { countKioskUse(store, "registration", serviceCode); });
                }
            } else if (role == WriterKind::Desk) {
                // A walk-in (every third with a code and topics) and a handout attached to it.
                const Actor staff = Actor::staff(plan.staffId);
                NewContact c;
                if (i % 3 == 0) {
                    c.clientCode = "CC" + std::to_string(1970 + i % 40);
                    c.topics = {Topic::Health, Topic::Housing};
                }
                int64_t contactId = 0;
                write([&] { contactId = logContact(store, staff, c).id; });
                if (contactId && !plan.items.empty()) {
                    StockChange h;
                    h.itemId = plan.items[n % plan.items.size()];
                    h.quantity = 1;
                    h.contactId = contactId;
                    write([&] { moveStock(store, staff, h); });
                }
            } else {
                // The CLI: a registration at the desk (both files: public.db and its audit row in desk.db), every
                // tenth round an online backup, then the reads a coordinator runs.
                write([&] {
                    registerForSession(store, Actor::cli(), plan.sessions[n % plan.sessions.size()],
                                       RegistrationSource::Desk, "nl");
                });
                if (i % 10 == 0) {
                    const fs::path file = plan.scratch / ("backup-" + std::to_string(i) + ".sqlar");
                    write([&] { backupStore(plan.dir, file); });
                    std::error_code ec;
                    fs::remove(file, ec);
                }
                const std::string today = localDay(nowUnix());
                read([&] { buildReport(store, Period::month(yearOf(today), std::stoi(today.substr(5, 2)))); });
                read([&] { loadToday(store, today); });
                read([&] { loadQueue(store, today); });
            }
        }
    } catch (const std::exception& e) {
        failed(e); // the store could not be opened
    }
    r.p99Ms = percentile(latencies, 99);
    r.maxMs = latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end());
    return r;
}
} // namespace

void measureConcurrent(const Settings& settings, const Paths& paths, Results& results) {
    Plan plan;
    plan.dir = paths.writes;
    plan.scratch = paths.temp;
    {
        // Room for every registration the kiosk can make: extra sessions with 500 places on the next 60 days.
        Store store = Store::open(paths.writes);
        plan.staffId = coordinatorId(store);
        const int64_t service = store.db().queryInt("SELECT id FROM service WHERE active = 1 ORDER BY id LIMIT 1");
        const std::string today = localDay(nowUnix());
        for (int d = 1; d <= 60; ++d)
            plan.sessions.push_back(addExtraSession(store, Actor::cli(), service, addDays(today, d), 421, 1381, 500));
        for (const auto& item : loadStock(store)) {
            plan.items.push_back(item.id);
            StockChange s;
            s.itemId = item.id;
            s.kind = StockKind::Delivery;
            s.quantity = 5000;
            moveStock(store, Actor::cli(), s);
        }
    }
    std::cout.flush();
    std::fflush(nullptr);
    plan.startAt = wallMs() + 300; // every writer has opened its store by then
    plan.endAt = plan.startAt + settings.concurrentSeconds * 1000;
    struct Child {
        WriterKind role;
        const char* name;
        pid_t pid = -1;
        int fd = -1;
        WriterReport report;
    };
    Child children[] = {{WriterKind::Kiosk, "kiosk", -1, -1, {}}, {WriterKind::Desk, "desk", -1, -1, {}}, {WriterKind::Cli, "cli", -1, -1, {}}};
    for (Child& c : children) {
        int fds[2];
        if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
        c.pid = fork();
        if (c.pid < 0) throw std::runtime_error("fork failed");
        if (c.pid == 0) {
            close(fds[0]);
            const WriterReport r = runWriter(c.role, plan);
            const ssize_t n = ::write(fds[1], &r, sizeof r);
            _exit(n == static_cast<ssize_t>(sizeof r) ? 0 : 1);
        }
        close(fds[1]);
        c.fd = fds[0];
    }
    int64_t writes = 0, reads = 0, errors = 0, busy = 0;
    double worstP99 = 0, worstMax = 0;
    std::string firstError, lost;
    for (Child& c : children) {
        size_t got = 0;
        auto* bytes = reinterpret_cast<char*>(&c.report);
        while (got < sizeof c.report) {
            const ssize_t n = ::read(c.fd, bytes + got, sizeof c.report - got);
            if (n <= 0) break;
            got += static_cast<size_t>(n);
        }
        close(c.fd);
        int status = 0;
        waitpid(c.pid, &status, 0);
        if (got != sizeof c.report) {
            lost += std::string(lost.empty() ? "" : ", ") + c.name;
            ++errors; // a writer that died is an error too
            continue;
        }
        writes += c.report.writes;
        reads += c.report.reads;
        errors += c.report.errors;
        busy += c.report.busyErrors;
        worstP99 = std::max(worstP99, c.report.p99Ms);
        worstMax = std::max(worstMax, c.report.maxMs);
        if (firstError.empty() && c.report.firstError[0]) firstError = std::string(c.name) + ": " + c.report.firstError;
        results.set(std::string("concurrent_") + c.name + "_tps",
                    static_cast<double>(c.report.writes + c.report.reads) / settings.concurrentSeconds);
        results.set(std::string("concurrent_") + c.name + "_write_max_ms", c.report.maxMs);
        results.set(std::string("concurrent_") + c.name + "_errors", static_cast<double>(c.report.errors));
        results.set(std::string("concurrent_") + c.name + "_busy_errors", static_cast<double>(c.report.busyErrors));
    }
    results.set("concurrent_tps", static_cast<double>(writes + reads) / settings.concurrentSeconds);
    results.set("concurrent_write_tps", static_cast<double>(writes) / settings.concurrentSeconds);
    results.set("concurrent_errors", static_cast<double>(errors));
    results.set("concurrent_busy_errors", static_cast<double>(busy));
    results.set("concurrent_write_p99_ms", worstP99);
    results.set("concurrent_write_max_ms", worstMax);
    results.set("concurrent_seconds", settings.concurrentSeconds);
    if (!firstError.empty()) results.note("concurrent_first_error", firstError);
    if (!lost.empty()) results.note("concurrent_lost_writers", lost);
}

} // namespace inloop::bench
