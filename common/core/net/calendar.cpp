// Partner calendars (see calendar.hpp).
//
// [SECTION] feeds
// [SECTION] applying a feed
// [SECTION] sync
#include "core/net/calendar.hpp"

#include "core/base/clock.hpp"
#include "core/base/error.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace inloop::core::calendar {

namespace {

constexpr int kMaxDays = 120;

// "HTTPS://Partner.example/…" → "https://Partner.example/…": the scheme is case-insensitive, the store's
// CHECK is not.
std::string normalised(std::string_view url) {
    std::string out(url);
    for (size_t i = 0; i < out.size() && i < 8; ++i) out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
    return out;
}

bool isHttpsUrl(std::string_view url) {
    return url.size() > 8 && url.size() <= 600 && url.substr(0, 8) == "https://" &&
           std::none_of(url.begin(), url.end(), [](char c) { return c <= ' ' || c == 0x7f; });
}

// The audit log keeps where a feed comes from, not its full address: private calendar addresses carry a
// secret token in the path.
std::string hostOf(std::string_view url) {
    const std::string_view rest = url.substr(8);
    return "https://" + std::string(rest.substr(0, rest.find('/'))) + "/…";
}

constexpr size_t kMaxWarningBytes = 4000; // calendar_feed.warnings

// A read's warnings, one per line, as many whole ones as fit.
std::string warningLines(const std::vector<std::string>& warnings) {
    std::string out;
    for (const std::string& w : warnings) {
        std::string line = w;
        std::replace(line.begin(), line.end(), '\n', ' ');
        if (out.size() + line.size() + 1 > kMaxWarningBytes) break;
        out += (out.empty() ? "" : "\n") + line;
    }
    return out;
}

// The last attempt of a feed: errorKind '' on success (ok_at moves), "fetch"/"parse" with the detail otherwise
// (the sessions stay as they were). `warnings` only with a new good read: otherwise the last good read's stay.
void record(Store& store, int64_t serviceId, int64_t now, const std::string& errorKind, const std::string& detail,
            std::optional<int> sessions = {}, const std::string* etag = nullptr,
            const std::string* lastModified = nullptr, const std::vector<std::string>* warnings = nullptr) {
    Transaction tx(store.db());
    Statement& st = store.db().prepare(
        "UPDATE calendar_feed SET checked_at = ?2, error_kind = ?3, error = substr(?4, 1, 400), "
        "ok_at = CASE WHEN ?3 = '' THEN ?2 ELSE ok_at END, sessions = coalesce(?5, sessions), "
        "etag = coalesce(substr(?6, 1, 200), etag), last_modified = coalesce(substr(?7, 1, 100), last_modified), "
        "warnings = coalesce(?8, warnings) WHERE service_id = ?1");
    st.bindAll(serviceId, now, errorKind, detail, sessions, etag ? std::optional<std::string>(*etag) : std::nullopt,
               lastModified ? std::optional<std::string>(*lastModified) : std::nullopt,
               warnings ? std::optional<std::string>(warningLines(*warnings)) : std::nullopt)
        .run();
    tx.commit();
}

} // namespace

// [SECTION] feeds
std::vector<FeedInfo> listFeeds(Store& store) {
    ReadTransaction rt(store.db());
    Statement& st = store.db().prepare(
        "SELECT f.service_id, s.name, f.url, f.capacity, f.checked_at, f.ok_at, f.sessions, f.error, f.error_kind, "
        "f.warnings FROM calendar_feed f JOIN service s ON s.id = f.service_id ORDER BY s.name");
    std::vector<FeedInfo> out;
    while (st.step()) {
        FeedInfo f;
        f.serviceId = st.getInt(0);
        f.serviceName = st.getText(1);
        f.url = st.getText(2);
        f.capacity = static_cast<int>(st.getInt(3));
        if (!st.isNull(4)) f.checkedAt = st.getInt(4);
        if (!st.isNull(5)) f.okAt = st.getInt(5);
        f.sessions = static_cast<int>(st.getInt(6));
        f.error = st.getText(7);
        f.errorKind = st.getText(8);
        const std::string warnings = st.getText(9);
        for (size_t at = 0; at < warnings.size();) {
            const size_t end = std::min(warnings.find('\n', at), warnings.size());
            f.warnings.push_back(warnings.substr(at, end - at));
            at = end + 1;
        }
        out.push_back(std::move(f));
    }
    st.reset();
    return out;
}

void setFeed(Store& store, const Actor& actor, int64_t serviceId, std::string_view typed, int capacity) {
    const std::string url = normalised(typed);
    if (!url.empty() && !isHttpsUrl(url))
        throw Error(ErrorKind::InvalidInput, "calendar.url",
                    "A calendar address starts with https:// and has no spaces (at most 600 characters).");
    if (!url.empty() && (capacity < 1 || capacity > 500))
        throw Error(ErrorKind::InvalidInput, "calendar.capacity", "Places per session must be 1 to 500.");
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    if (store.db().queryInt("SELECT count(*) FROM service WHERE id = " + std::to_string(serviceId)) == 0)
        throw Error(ErrorKind::NotFound, "service.not_found", "That service does not exist.");
    if (url.empty()) {
        Statement& del = store.db().prepare("DELETE FROM calendar_feed WHERE service_id = ?");
        del.bind(1, serviceId).run();
        // Back to the weekly rules: the feed's coming sessions go (generateSessions makes the rules' ones);
        // those someone registered for stay, as the schedule's own, so nobody's ticket disappears.
        const int64_t now = nowUnix();
        const std::string today = localDay(now);
        Statement& gone = store.db().prepare(
            "DELETE FROM session WHERE service_id = ?1 AND source = 'feed' AND (day > ?2 OR (day = ?2 AND start_min > ?3)) "
            "AND NOT EXISTS (SELECT 1 FROM registration r WHERE r.session_id = session.id)");
        gone.bindAll(serviceId, today, localMinuteOfDay(now)).run();
        Statement& keep = store.db().prepare("UPDATE session SET source = 'schedule' WHERE service_id = ? AND source = 'feed'");
        keep.bind(1, serviceId).run();
        audit(store, actor, "remove", "calendar_feed", serviceId);
    } else {
        // Any change reads the feed afresh at the next sync (no ETag carries over), so a new capacity or
        // address reaches every coming session.
        Statement& put = store.db().prepare(
            "INSERT INTO calendar_feed(service_id, url, capacity) VALUES (?1, ?2, ?3) ON CONFLICT(service_id) DO "
            "UPDATE SET capacity = ?3, url = ?2, etag = '', last_modified = '', "
            "error = CASE WHEN calendar_feed.url = ?2 THEN calendar_feed.error ELSE '' END, "
            "error_kind = CASE WHEN calendar_feed.url = ?2 THEN calendar_feed.error_kind ELSE '' END, "
            "warnings = CASE WHEN calendar_feed.url = ?2 THEN calendar_feed.warnings ELSE '' END");
        put.bindAll(serviceId, url, capacity).run();
        audit(store, actor, "set", "calendar_feed", serviceId, hostOf(url) + " " + std::to_string(capacity));
    }
    tx.commit();
}

// [SECTION] applying a feed
Applied applyFeed(Store& store, int64_t serviceId, const ical::Feed& feed, int64_t now, int days) {
    if (days < 1 || days > kMaxDays) throw Error(ErrorKind::InvalidInput, "calendar.days", "1 to 120 days.");
    const int64_t until = now + int64_t{days} * 86400;
    const std::string today = localDay(now);
    const int nowMin = localMinuteOfDay(now);
    const auto started = [&](const std::string& day, int startMin) {
        return day < today || (day == today && startMin <= nowMin);
    };

    // What the feed wants: (day, start) → end, in local time; a session ends by midnight.
    std::map<std::pair<std::string, int>, int> wanted;
    for (const ical::Occurrence& o : feed.occurrences) {
        if (o.start < now || o.start >= until || o.end <= o.start) continue;
        const std::string day = localDay(o.start);
        const int start = localMinuteOfDay(o.start);
        const int end = localDay(o.end) == day ? localMinuteOfDay(o.end) : 1440;
        if (end <= start || started(day, start)) continue;
        int& e = wanted[{day, start}];
        e = std::max(e, end);
    }

    Applied out;
    Transaction tx(store.db());
    Statement& feedRow = store.db().prepare(
        "SELECT f.capacity, s.place FROM calendar_feed f JOIN service s ON s.id = f.service_id WHERE f.service_id = ?");
    feedRow.bind(1, serviceId);
    if (!feedRow.step()) {
        feedRow.reset();
        throw Error(ErrorKind::NotFound, "calendar.not_found", "This service has no calendar address.");
    }
    const int64_t capacity = feedRow.getInt(0);
    const std::string place = feedRow.getText(1);
    feedRow.reset();

    struct Existing {
        int64_t id;
        std::string day;
        int start, end, capacity;
        std::string status, source, reason;
        bool extra, registered;
    };
    std::vector<Existing> existing;
    Statement& sel = store.db().prepare(
        "SELECT s.id, s.day, s.start_min, s.end_min, s.status, s.source, s.reason, s.capacity, "
        "EXISTS (SELECT 1 FROM schedule_exception e WHERE e.kind = 'extra' AND e.service_id = s.service_id "
        "        AND e.day = s.day AND e.start_min = s.start_min), "
        "EXISTS (SELECT 1 FROM registration r WHERE r.session_id = s.id) "
        "FROM session s WHERE s.service_id = ?1 AND s.day BETWEEN ?2 AND ?3");
    sel.bindAll(serviceId, today, localDay(until));
    while (sel.step())
        existing.push_back({sel.getInt(0), sel.getText(1), static_cast<int>(sel.getInt(2)),
                            static_cast<int>(sel.getInt(3)), static_cast<int>(sel.getInt(7)), sel.getText(4),
                            sel.getText(5), sel.getText(6), sel.getInt(8) != 0, sel.getInt(9) != 0});
    sel.reset();

    Statement& update = store.db().prepare(
        "UPDATE session SET end_min = ?2, source = 'feed', status = ?3, reason = ?4, capacity = ?5 WHERE id = ?1");
    Statement& remove = store.db().prepare("DELETE FROM session WHERE id = ?");
    Statement& cancel = store.db().prepare(
        "UPDATE session SET status = 'cancelled', reason = 'feed:removed' WHERE id = ?");
    Statement& cancelRegs = store.db().prepare(
        "UPDATE registration SET status = 'cancelled', updated_at = ?2 WHERE session_id = ?1 "
        "AND status IN ('waiting', 'called')");
    for (const Existing& e : existing) {
        if (started(e.day, e.start) || e.extra) continue;
        if (unixFromLocal(e.day, e.start) >= until) continue;
        const auto it = wanted.find({e.day, e.start});
        if (it != wanted.end()) {
            // Still in the feed: follow its end time; a session the feed had dropped and brings back reopens.
            std::string status = e.status, reason = e.reason;
            if (status == "cancelled" && reason == "feed:removed") std::tie(status, reason) = sessionStatusOn(store, e.day, serviceId);
            if (e.end != it->second || e.source != "feed" || status != e.status || e.capacity != capacity) {
                update.bindAll(e.id, it->second, status, reason, capacity).run();
                ++out.changed;
            }
            wanted.erase(it);
        } else if (!e.registered) {
            remove.bind(1, e.id).run();
            ++out.removed;
        } else if (e.status != "cancelled" || e.reason != "feed:removed") {
            // People registered for it: the session stays, cancelled, so the queue and the kiosk can say so.
            cancel.bind(1, e.id).run();
            cancelRegs.bindAll(e.id, now).run();
            out.cancelledRegistrations += store.db().changes();
            ++out.cancelled;
        }
    }
    Statement& ins = store.db().prepare(
        "INSERT INTO session(service_id, day, start_min, end_min, capacity, place, status, reason, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'feed')");
    for (const auto& [key, end] : wanted) {
        const auto [status, reason] = sessionStatusOn(store, key.first, serviceId);
        ins.bindAll(serviceId, key.first, key.second, end, capacity, place, status, reason).run();
        ++out.added;
    }
    if (out.added + out.changed + out.removed + out.cancelled > 0) {
        std::string detail = "added ";
        detail += std::to_string(out.added);
        detail += ", changed " + std::to_string(out.changed);
        detail += ", removed " + std::to_string(out.removed);
        detail += ", cancelled " + std::to_string(out.cancelled);
        audit(store, Actor::system(), "sync", "calendar_feed", serviceId, detail);
    }
    tx.commit();
    return out;
}

// [SECTION] sync
net::Options feedOptions(net::Options base) {
    base.timeoutMs = 30'000; // a calendar is kilobytes
    base.attempts = 3;
    return base;
}

std::vector<SyncResult> syncFeeds(Store& store, const net::Client& client, int64_t now, int days) {
    struct Row {
        int64_t serviceId;
        std::string name, url, etag, lastModified;
        std::optional<int64_t> okAt;
    };
    std::vector<Row> rows;
    {
        ReadTransaction rt(store.db());
        Statement& st = store.db().prepare(
            "SELECT f.service_id, s.name, f.url, f.etag, f.last_modified, f.ok_at FROM calendar_feed f "
            "JOIN service s ON s.id = f.service_id WHERE s.active = 1 ORDER BY s.name");
        while (st.step())
            rows.push_back({st.getInt(0), st.getText(1), st.getText(2), st.getText(3), st.getText(4),
                            st.isNull(5) ? std::nullopt : std::optional<int64_t>(st.getInt(5))});
        st.reset();
    }
    std::vector<SyncResult> results;
    for (const Row& row : rows) {
        SyncResult r;
        r.serviceId = row.serviceId;
        r.serviceName = row.name;
        net::Request req;
        req.url = row.url;
        req.headers.push_back({"Accept", "text/calendar"});
        // Conditional only within the same day: each new day the window moves, so the feed is read again.
        if (row.okAt && localDay(*row.okAt) == localDay(now)) {
            if (!row.etag.empty()) req.headers.push_back({"If-None-Match", row.etag});
            if (!row.lastModified.empty()) req.headers.push_back({"If-Modified-Since", row.lastModified});
        }
        net::Response res;
        try {
            res = client.send(req);
        } catch (const std::exception& e) {
            r.message = std::string("The calendar could not be fetched: ") + e.what() + " The last good schedule stays.";
            record(store, row.serviceId, now, "fetch", e.what());
            results.push_back(std::move(r));
            continue;
        }
        if (res.status == 304) {
            r.outcome = SyncResult::Outcome::NotModified;
            record(store, row.serviceId, now, "", "");
        } else if (!res.ok()) {
            r.message = "The calendar could not be fetched: " + res.describe() + ". The last good schedule stays.";
            record(store, row.serviceId, now, "fetch", res.describe());
        } else {
            try {
                const ical::Feed feed = ical::readFeed(res.body, now, now + int64_t{days} * 86400);
                r.applied = applyFeed(store, row.serviceId, feed, now, days);
                r.outcome = SyncResult::Outcome::Updated;
                for (const std::string& w : feed.warnings) r.message += (r.message.empty() ? "" : " ") + w;
                const auto etag = res.headers.count("etag") ? res.headers.at("etag") : std::string();
                const auto modified = res.headers.count("last-modified") ? res.headers.at("last-modified") : std::string();
                record(store, row.serviceId, now, "", "", static_cast<int>(feed.occurrences.size()), &etag, &modified,
                       &feed.warnings);
            } catch (const std::exception& e) { // a feed that does not read, or the store busy: the next sync tries again
                r.outcome = SyncResult::Outcome::Failed;
                r.message = std::string("The calendar does not read as iCalendar: ") + e.what() +
                            " The last good schedule stays.";
                record(store, row.serviceId, now, "parse", e.what());
            }
        }
        results.push_back(std::move(r));
    }
    return results;
}

} // namespace inloop::core::calendar
