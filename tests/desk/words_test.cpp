// Raw codes never reach the screen (issue 17, item 16): "Your last actions" and the audit log say in words what
// the store keeps as codes, in Dutch and English.
#include "desk_fixture.hpp"

#include "audit_view.hpp"
#include "bed_board_view.hpp"

using namespace inloop;
using namespace inloop::test;

namespace {
core::AuditRow row(std::string action, std::string entity, std::string detail) {
    core::AuditRow r;
    r.action = std::move(action);
    r.entity = std::move(entity);
    r.detail = std::move(detail);
    return r;
}
} // namespace

TEST_SUITE("desk") {

TEST_CASE("your last actions name the kind of stock move and the bed action in words") {
    DeskFixture f;
    for (const char* lang : {"nl", "en"}) {
        CAPTURE(lang);
        f.d->setLang(lang);
        core::UndoableAction sale{"stock_move", 1, 0, "Condoom M", -2, "sale"};
        const std::string saleText = desk::undoableLabel(*f.d, sale);
        CHECK(saleText.find("sale") == std::string::npos);
        CHECK(saleText.find(f.d->tr("supplies.kind.sale")) != std::string::npos);
        core::UndoableAction checkIn{"stay", 7, 0, "Slaapzaal 1 · 2A", 0, "check_in"};
        const std::string bedText = desk::undoableLabel(*f.d, checkIn);
        CHECK(bedText.find("check_in") == std::string::npos);
        CHECK(bedText.find("Slaapzaal 1 · 2A") != std::string::npos);
    }
}

TEST_CASE("the audit log's details are words: moves, destinations, undo, purges, back-dated moments") {
    DeskFixture f;
    for (const char* lang : {"nl", "en"}) {
        CAPTURE(lang);
        f.d->setLang(lang);
        for (const auto& r : {row("move", "stay", "bed 7 to 8"), row("check_out", "stay", "other_shelter"),
                              row("check_out", "stay", "supported_housing"), row("undo", "reservation", "reserve"),
                              row("purge", "stay", "2024-12-04: 3"), row("log", "contact", "walk_in; at=1733300000"),
                              row("undo", "contact", "reversed by contact 12"),
                              row("moved", "registration", "to registration 2092")}) {
            CAPTURE(r.detail);
            const std::string text = desk::auditDetail(*f.d, r);
            CHECK(text != r.detail);
            for (const char* code : {"bed 7 to 8", "other_shelter", "supported_housing", "at=", "walk_in",
                                     "reversed by", "to registration"})
                CHECK(text.find(code) == std::string::npos);
        }
        CHECK(desk::auditDetail(*f.d, row("undo", "reservation", "reserve")) == f.d->tr("audit.action.reserve"));
    }
}

TEST_CASE("the audit log names changed contact fields and site facts in words") {
    DeskFixture f;
    for (const char* lang : {"nl", "en"}) {
        CAPTURE(lang);
        f.d->setLang(lang);
        const std::string fields = desk::auditDetail(*f.d, row("details", "contact", "gender,language,code,topics"));
        for (const char* code : {"gender", "language", "code", "topics"})
            CHECK(fields.find(f.d->tr(std::string("audit.field.") + code)) != std::string::npos);
        if (std::string(lang) == "nl")
            for (const char* code : {"gender", "language", "topics", ","}) CHECK(fields.find(code + std::string(",")) == std::string::npos);
        const std::string fact = desk::auditDetail(*f.d, row("set", "site_fact", "site.phone = +31 70 365 7870"));
        CHECK(fact == f.d->tr("site_fact.site.phone") + ": +31 70 365 7870");
    }
}

} // TEST_SUITE

TEST_SUITE("desk") {

TEST_CASE("a room's heading does not call the emergency bed free: 'alleen noodbed' in amber, '2 vrij + noodbed'") {
    DeskFixture f;
    core::RoomView room;
    room.name = "Slaapzaal 2";
    const auto bed = [](core::BedView::State state, bool held = false) {
        core::BedView b;
        b.state = state;
        b.emergencyHeld = held;
        return b;
    };
    using State = core::BedView::State;
    for (const char* lang : {"nl", "en"}) {
        CAPTURE(lang);
        f.d->setLang(lang);
        room.beds = {bed(State::Occupied), bed(State::Free, true)};
        desk::RoomFree heading = desk::roomFreeText(*f.d, room);
        CHECK(heading.tone == desk::RoomFree::Tone::EmergencyOnly);
        CHECK(heading.text == f.d->tr("beds.room_emergency_only"));
        room.beds = {bed(State::Free), bed(State::Free), bed(State::Free, true)};
        heading = desk::roomFreeText(*f.d, room);
        CHECK(heading.tone == desk::RoomFree::Tone::Free);
        CHECK(heading.text == f.d->tr("beds.room_free", {{"count", int64_t{2}}}) + " + " + f.d->tr("beds.held_short"));
        room.beds = {bed(State::Occupied), bed(State::OutOfService)};
        heading = desk::roomFreeText(*f.d, room);
        CHECK(heading.tone == desk::RoomFree::Tone::Full);
        CHECK(heading.text == f.d->tr("beds.room_free", {{"count", int64_t{0}}}));
    }
}

} // TEST_SUITE
