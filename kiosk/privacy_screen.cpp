// The privacy screen (see privacy_screen.hpp).
#include "privacy_screen.hpp"

#include "screen.hpp"

#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

namespace inloop::kiosk {

void PrivacyScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###privacy", area);
    const ui::Theme& t = ui::theme();
    screenTitle(k, k.tr("privacy.title"));
    ui::textWrapped(k.tr("privacy.stored"), k.lang(), ui::fonts().heading, t.text);
    noteCard(k, ui::icon::Ticket, k.tr("privacy.stored_ticket"), t.primary);
    noteCard(k, ui::icon::Person, k.tr("privacy.stored_name"), t.primary);
    noteCard(k, ui::icon::Chart, k.tr("privacy.stored_counts"), t.primary);
    ImGui::Dummy(ImVec2(0, 4));
    ui::textWrapped(k.tr("privacy.never"), k.lang(), ui::fonts().heading, t.text);
    noteCard(k, ui::icon::Block, k.tr("privacy.never_list"), t.danger);
    noteCard(k, ui::icon::Logout, k.tr("privacy.leave"), t.accent);
    endArea(k);
}

} // namespace inloop::kiosk
