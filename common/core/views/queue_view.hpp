// What the desk's queue and schedule views show: the day's sessions with their registrations in order, the
// sessions to move someone to, and the schedule (services, weekly rules, exceptions, coming holidays).
#pragma once

#include "core/views/kiosk_view.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace inloop::core {

struct QueueEntry {
    int64_t id = 0;
    std::string ticket;
    std::optional<std::string> callName;
    std::string language, source, status;
    int64_t createdAt = 0, updatedAt = 0;
};

struct QueueSession {
    SessionView session;
    std::vector<QueueEntry> entries; // in the order they registered
    int waiting = 0, called = 0, seen = 0, noShow = 0, cancelled = 0;
};

struct QueueView {
    std::string day;
    std::vector<QueueSession> sessions;
    std::vector<SessionView> moveTargets; // planned sessions with room, from today on (4 weeks)
    int64_t dataVersion = 0;
};
QueueView loadQueue(Store& store, const std::string& day);

struct ServiceRow {
    int64_t id = 0;
    std::string code, name, partner, place, languages;
    bool active = true;
    std::map<std::string, std::string> descriptions; // lang → the coordinator's text
    bool fromCalendar = false; // its sessions come from a partner's calendar feed, not the weekly rules
};
struct RuleRow {
    int64_t id = 0, serviceId = 0;
    std::string service;
    int weekday = 1, startMin = 0, endMin = 0, capacity = 0;
    std::string place, validFrom;
    std::optional<std::string> validUntil;
};
struct ExceptionRow {
    int64_t id = 0;
    std::optional<int64_t> serviceId;
    std::string service; // empty: the whole centre
    std::string day, kind, reason;
    int startMin = 0, endMin = 0, capacity = 0;
};
struct HolidayRow {
    std::string day, key;
    bool closed = false; // a closure for the whole centre is recorded for that day
};
struct ScheduleView {
    std::vector<ServiceRow> services;
    std::vector<RuleRow> rules;           // rules still running (no end, or an end from today on)
    std::vector<ExceptionRow> exceptions; // from today on
    std::vector<HolidayRow> holidays;     // the coming 12 months
};
ScheduleView loadSchedule(Store& store, const std::string& today);

} // namespace inloop::core
