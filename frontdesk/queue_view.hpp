// The spreekuur queue: today's (or another day's) sessions with their registrations in order — call (the
// kiosk shows "now serving"), seen, no-show, cancel, move; register someone at the desk or on the phone;
// see someone without a ticket. Live: a kiosk registration appears within a second.
#pragma once

#include "core/domain/domain.hpp"
#include "core/views/queue_view.hpp"

#include <array>
#include <optional>
#include <string>

namespace inloop::desk {

class Desk;

// Layout: the next widget on this line if `width` still fits, else on a new line, `indent` in (also used by the
// schedule).
void sameLineIfRoom(float width, float indent = 0);

class QueueView {
public:
    void draw(Desk& d);
    void reload(Desk& d);
    const core::QueueView& data() const { return m_data; }
    void setDay(Desk& d, const std::string& day);
    // Tests: the actions as the buttons do them.
    void setStatus(Desk& d, int64_t registrationId, const std::string& status);
    void move(Desk& d, int64_t registrationId, int64_t toSession);
    void registerAtDesk(Desk& d, int64_t sessionId, const std::string& name, core::RegistrationSource source);
    void serveNow(Desk& d, int64_t sessionId);
    // The session's counts line: places, free, waiting, called, seen, no-show.
    static std::string counts(const Desk& d, const core::QueueSession& qs);

private:
    void sessionCard(Desk& d, const core::QueueSession& qs);
    void movePopup(Desk& d);
    void registerPopup(Desk& d);
    const core::QueueEntry* entry(int64_t registrationId) const;
    void undoStep(Desk& d, const core::Actor& a, int64_t registrationId, const std::string& previous);
    void undoRegistration(Desk& d, const core::Actor& a, int64_t registrationId);

    core::QueueView m_data;
    std::string m_day;
    bool m_loading = false;
    std::optional<int64_t> m_moving;       // registration being moved
    std::optional<int64_t> m_movingFrom;   // the session it is in (not offered as a target)
    std::optional<int64_t> m_registerFor;  // session someone is being registered for
    bool m_openMove = false, m_openRegister = false;
    std::array<char, 41> m_name{};
    bool m_phone = false;
};

} // namespace inloop::desk
