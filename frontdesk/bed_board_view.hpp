// The shelter's bed board: both dormitories drawn as bunk beds with each bed's state, who is due out today,
// reservations about to expire, a night view that reads from across the room, and the bed actions (check in,
// check out, move, reserve, out of service) for the shelter and coordinator roles. The desk role sees states only.
#pragma once

#include "core/views/board_view.hpp"
#include "core/domain/domain.hpp"
#include "when_picker.hpp"

#include <imgui.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace inloop::desk {

class Desk;

// A room's free beds in its heading: "2 vrij + noodbed", "alleen het noodbed" (amber), "vol". The emergency bed is
// not counted as free for an ordinary placement, as on the board's summary line.
struct RoomFree {
    enum class Tone { Free, EmergencyOnly, Full };
    std::string text;
    Tone tone = Tone::Full;
};
RoomFree roomFreeText(const Desk& d, const core::RoomView& room);

class BedBoardView {
public:
    // The one bed dialog: first what can be done with the bed (Menu), then the action itself.
    enum class Dialog {
        None,
        Menu,
        CheckIn,
        Arrived,
        Reserve,
        OutOfService,
        CheckOut,
        Move,
        CancelReservation,
        BackInService
    };

    void draw(Desk& d);
    void reload(Desk& d);
    // Closes the dialog and forgets what was typed; forget() also drops the board (names) until the next load.
    // The shell's lock calls both.
    void closeDialogs();
    void forget();

    // The night view fills the screen: the shell leaves out its side bar while it shows.
    bool night() const { return m_night; }
    void setNight(bool on) { m_night = on; }

    const core::BoardView& data() const { return m_data; }
    // The tour: a board as given (e.g. only the emergency bed free), until the next load.
    void showForTour(core::BoardView board) { m_data = std::move(board); }
    bool loaded() const { return m_loaded; }

    // Tests and tour: what a person does by tapping a bed and filling in the dialog.
    void openBed(Desk& d, int64_t bedId);             // the bed's menu (shelter and coordinator roles only)
    void open(Desk& d, int64_t bedId, Dialog dialog); // an action straight away
    void setAlias(const std::string& alias);
    void setCode(const std::string& code);
    void setReferral(core::StayReferral r) { m_referral = r; }
    WhenPicker& when() { return m_when; }       // check-in or check-out: when it really was
    WhenPicker& leftWhen() { return m_leftWhen; } // a forgotten stay: when she left
    void setLeftAlready(bool on) { m_leftAlready = on; }
    void setExitProgramme(core::ExitProgramme e) { m_exit = e; }
    void setDays(int days) { m_days = days; }
    void setHours(int arriveIn, int holdFor) {
        m_arriveHours = arriveIn;
        m_holdHours = holdFor;
    }
    void setReason(const std::string& reason);
    void setDestination(core::Destination dest) { m_destination = dest; }
    void setConfirmEmergency(bool on) { m_confirmEmergency = on; }
    void setEmergencyReason(const std::string& reason);
    void save(Desk& d);
    void moveTo(Desk& d, int64_t bedId);
    Dialog dialog() const { return m_dialog; }
    bool needsEmergencyConfirmation() const { return m_needsConfirm; }
    const std::string& dialogError() const { return m_error; }

private:
    void dayView(Desk& d);
    void nightView(Desk& d);
    void summary(Desk& d);
    void roomPanel(Desk& d, const core::RoomView& room, float width);
    void sideLists(Desk& d, float width);
    bool bedHit(Desk& d, const core::BedView& bed, ImVec2 min, ImVec2 max);
    void drawDialog(Desk& d);
    void menuBody(Desk& d);
    void checkInBody(Desk& d, bool first);
    void reserveBody(Desk& d, bool first);
    void outOfServiceBody(Desk& d, bool first);
    void checkOutBody(Desk& d);
    void moveBody(Desk& d);
    void emergencyBlock(Desk& d);
    // Runs a bed action; `undo` (if any) is offered on the toast, for the one who did it.
    void run(Desk& d, std::function<void(core::Store&)> job, std::string done,
             std::function<void(core::Store&)> undo = {});
    bool waiverNeeded() const; // the last free bed, given to anyone but a police placement
    void destinationButtons(Desk& d, float height);
    const core::BedView* bed(int64_t id) const;
    std::string roomOf(int64_t bedId) const;
    std::string bedName(const core::BedView& b) const; // "Slaapzaal 1 · 2A"
    bool seesResidents(const Desk& d) const;

    // The board.
    core::BoardView m_data;
    bool m_loaded = false, m_loading = false, m_again = false;
    int64_t m_loadedFor = 0;    // the staff member the board was read for: names never reach the next one
    int64_t m_requestedFor = 0; // …and the one the last read was asked for
    double m_requestedAt = 0;   // steady seconds
    bool m_night = false;

    // The dialog.
    Dialog m_dialog = Dialog::None;
    bool m_justOpened = false, m_busy = false;
    bool m_fieldsSet = false; // a test set a field's value: the field lets go of its own copy
    int64_t m_owner = 0;
    uint64_t m_generation = 0; // a late answer for an earlier dialog is ignored
    core::BedView m_bed;       // the bed as it was when tapped
    std::string m_room;
    std::array<char, 41> m_alias{};
    std::array<char, 25> m_code{};
    std::optional<core::StayReferral> m_referral; // nothing preselected: staff choose, "not known" included
    WhenPicker m_when, m_leftWhen;
    bool m_leftAlready = false;
    core::ExitProgramme m_exit = core::ExitProgramme::Unknown;
    int m_days = 0; // expected stay; 0 = not known yet
    int m_arriveHours = 1, m_holdHours = 4;
    std::array<char, 201> m_reason{};
    std::optional<core::Destination> m_destination;
    bool m_needsConfirm = false, m_confirmEmergency = false;
    std::array<char, 201> m_emergencyReason{};
    std::string m_error;
    float m_bodyHeight = 0;    // the dialog body's content height, last frame (0: not measured yet)
    float m_footerHeight = 96; // error line and buttons, last frame
};

} // namespace inloop::desk
