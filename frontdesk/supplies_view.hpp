// Supplies: the catalogue with stock and low-stock markers; hand out, sell, book a delivery or a stock take in
// one dialog (below zero only with a confirmation and a reason); each item's history with undo; new items.
#pragma once

#include "core/views/desk_view.hpp"
#include "core/domain/domain.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::desk {

class Desk;

class SuppliesView {
public:
    enum class Action { HandOut, Sell, Delivery, Count };

    void draw(Desk& d);
    void reload(Desk& d);
    // Closes every dialog and forgets what was typed (the shell's lock should call this).
    void closeDialogs();

    // Tests and tour: what a person does in the dialogs.
    void openAction(Desk& d, int64_t itemId, Action action);
    void setQuantity(int qty) { m_qty = qty; m_fieldsSet = true; } // Count: the counted number
    void setPayment(core::Payment p) { m_payment = p; }
    void setPrice(const std::string& euros);            // Sell: "1,50"; empty = item price × quantity
    void setReason(const std::string& reason);          // a preset word ("count", "damaged", …) or free text
    void setConfirmBelowZero(bool on) { m_confirmBelowZero = on; }
    void confirm(Desk& d);
    bool dialogOpen() const { return m_dialog; }
    bool needsBelowZeroConfirmation() const { return m_needsConfirm; }
    const std::string& dialogError() const { return m_error; }

    void openHistory(Desk& d, int64_t itemId);
    bool historyOpen() const { return m_history; }
    const std::vector<core::StockMoveRow>& historyRows() const { return m_historyRows; }

    void openNewItem(Desk& d);
    void setNewItem(const core::NewSupplyItem& item); // fills the fields as if typed
    void saveNewItem(Desk& d);
    const std::string& newItemError() const { return m_newError; }
    bool newItemOpen() const { return m_newOpen; }

private:
    void table(Desk& d, float height);
    void drawDialog(Desk& d);
    void drawHistory(Desk& d);
    void drawNewItem(Desk& d);
    void loadHistory(Desk& d);
    void undoMove(Desk& d, const core::Actor& actor, int64_t moveId); // from a toast or the history
    const core::StockRow* item(Desk& d, int64_t id) const;
    std::string reasonText() const;
    void releaseFields(bool opened);

    // The action dialog.
    bool m_dialog = false, m_dialogJustOpened = false, m_busy = false;
    bool m_fieldsSet = false; // a test set a field's value: the field lets go of its own copy
    int64_t m_owner = 0;      // the staff member who opened it: a dialog never outlives its person
    uint64_t m_generation = 0; // a late answer for an earlier dialog is ignored
    Action m_action = Action::HandOut;
    int64_t m_itemId = 0;
    int m_qty = 1;
    core::Payment m_payment = core::Payment::Cash;
    std::array<char, 16> m_price{};
    bool m_priceEdited = false;
    std::string m_reasonWord = "count"; // Count: a preset word, or "other" for the free text
    std::array<char, 201> m_reason{};   // free text: Count's "other", or why stock may go below zero
    bool m_needsConfirm = false, m_confirmBelowZero = false;
    std::string m_error;

    // The history of one item.
    bool m_history = false, m_historyJustOpened = false, m_historyLoaded = false;
    int64_t m_historyItem = 0;
    std::vector<core::StockMoveRow> m_historyRows;
    int64_t m_armedUndo = 0; // an undo from the history cannot be undone itself: it takes a second tap

    // A new catalogue item (coordinators).
    bool m_newOpen = false, m_newJustOpened = false, m_newBusy = false, m_codeEdited = false;
    std::string m_newUnit = "piece";
    std::array<char, 81> m_newName{};
    std::array<char, 33> m_newCode{};
    std::array<char, 16> m_newPrice{};
    int m_newMin = 0;
    std::string m_newError;
};

// Table and dialog pieces shared by the desk's views (supplies, staff, audit).
inline constexpr float kRowH = 48; // a table row's buttons; its text is centred on them
// The width ui::button needs for `label` (and the icon) on one line, for a button `height` tall.
float buttonWidth(std::string_view label, const char* icon, float height = kRowH);
// One line of text centred on a row of buttons `rowH` tall (0: no centring).
void cellText(const std::string& text, ImFont* font, ImU32 color, float rowH = kRowH);
// An icon in the text's colour, then the text; wraps where a wrap position is pushed.
void markedText(const char* icon, const std::string& text, ImFont* font, ImU32 color, float rowH = kRowH);
// A warning sentence in the danger colour, wrapped.
void warningLine(const std::string& text);
// Records the last ImGui item (an input field) under `id`, so the UI tests can tap it like a button.
void recordItem(std::string_view id);
// True while the person who acted is still the one signed in: an undo never outlives them.
bool stillSignedIn(const Desk& d, const core::Actor& who);
bool enterPressed();
bool escapePressed();
// A new site: items in the catalogue, every one at 0. That is one task (set the opening stock), not a low-stock
// alarm per item.
bool openingStockMissing(const std::vector<core::StockRow>& stock);
// A modal in the middle of the screen, `width` wide and `height` tall (0: as tall as its content), its text
// fields framed. True when open; then call endDialog().
bool beginDialog(Desk& d, const std::string& title, float width, float height = 0);
void endDialog();
// The row at the bottom of a dialog: the confirming button (also Enter, except on the frame the dialog opened,
// so a held Enter does not confirm; no button when confirmId is null) and the cancelling one (also Esc).
enum class DialogChoice { None, Confirm, Cancel };
DialogChoice dialogButtons(Desk& d, const char* confirmId, const std::string& confirmLabel, bool busy, bool first,
                           const char* cancelId, const std::string& cancelLabel, float width = 300,
                           ui::Tone confirmTone = ui::Tone::Primary);
// Puts text into a fixed text-field buffer (cut to fit, always terminated).
template <size_t N> void copyTo(std::array<char, N>& buf, std::string_view text) {
    buf.fill(0);
    std::memcpy(buf.data(), text.data(), std::min(text.size(), N - 1));
}

} // namespace inloop::desk
