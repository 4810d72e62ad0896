// The supplies view (see supplies_view.hpp).
//
// [SECTION] helpers: money, quantities, reasons
// [SECTION] helpers shared by the desk's views
// [SECTION] the catalogue table
// [SECTION] the action dialog: hand out, sell, delivery, stock take
// [SECTION] the history of an item
// [SECTION] a new catalogue item
#include "supplies_view.hpp"

#include "desk.hpp"

#include "core/base/clock.hpp"
#include "core/i18n/i18n.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace inloop::desk {

// [SECTION] helpers: money, quantities, reasons
namespace {
constexpr const char* kDialogId = "###supplies_dialog";
constexpr const char* kHistoryId = "###supplies_history";
constexpr const char* kNewId = "###supplies_new";
constexpr const char* kReasons[] = {"count", "damaged", "expired", "lost", "other"}; // stock take presets
constexpr const char* kUnits[] = {"piece", "pack", "tube", "box"};
const ImU32 kLowRow = IM_COL32(0xFB, 0xE7, 0xEA, 0xFF); // a low item's row: a light tint of the danger colour

// ICU writes "€ 0,25" with a no-break space; the font atlas holds only what the catalogs use, so a plain space.
std::string plainSpaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s.compare(i, 2, "\xc2\xa0") == 0) {
            out += ' ';
            i += 1;
        } else if (s.compare(i, 3, "\xe2\x80\xaf") == 0) {
            out += ' ';
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string money(const Desk& d, int64_t cents) {
    return plainSpaces(d.tr("supplies.price", {{"amount", static_cast<double>(cents) / 100.0}}));
}

// An amount for the price field, without the euro sign: "0,75" (nl) or "0.75" (en).
std::string plainAmount(const Desk& d, int64_t cents) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld%c%02lld", static_cast<long long>(cents / 100), d.lang() == "nl" ? ',' : '.',
                  static_cast<long long>(cents % 100));
    return buf;
}

// "1,5", "1.50", "€ 2" → cents; nullopt when it is not an amount.
std::optional<int64_t> parseCents(const char* text) {
    int64_t whole = 0, frac = 0;
    int fracDigits = -1, digits = 0;
    for (const char* p = text; *p; ++p) {
        const char c = *p;
        if (c >= '0' && c <= '9') {
            ++digits;
            if (fracDigits < 0) {
                whole = whole * 10 + (c - '0');
                if (whole > 1000000) return std::nullopt;
            } else if (++fracDigits <= 2) {
                frac = frac * 10 + (c - '0');
            } else {
                return std::nullopt;
            }
        } else if ((c == ',' || c == '.') && fracDigits < 0) {
            fracDigits = 0;
        } else if (c != ' ' && std::strncmp(p, "\xe2\x82\xac", 3) != 0) { // spaces and "€" are allowed
            return std::nullopt;
        } else if (c != ' ') {
            p += 2;
        }
    }
    if (digits == 0) return std::nullopt;
    if (fracDigits == 1) frac *= 10;
    return whole * 100 + frac;
}

std::string signedNumber(const Desk& d, int64_t n) {
    std::string out(n > 0 ? "+" : n < 0 ? "-" : "");
    out += core::formatNumber(d.lang(), static_cast<double>(n < 0 ? -n : n));
    return out;
}

bool isPreset(std::string_view reason) {
    return std::find(std::begin(kReasons), std::end(kReasons) - 1, reason) != std::end(kReasons) - 1;
}

std::string reasonLabel(const Desk& d, const std::string& reason) {
    if (reason.empty()) return "—";
    return isPreset(reason) ? d.tr("supplies.reason." + reason) : reason;
}

const char* actionWord(SuppliesView::Action a) {
    switch (a) {
    case SuppliesView::Action::HandOut: return "handout";
    case SuppliesView::Action::Sell: return "sale";
    case SuppliesView::Action::Delivery: return "delivery";
    case SuppliesView::Action::Count: break;
    }
    return "correction";
}

float textWidth(std::string_view text, ImFont* font) {
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, text.data(), text.data() + text.size()).x;
}

void fieldLabel(Desk& d, const std::string& text) { ui::textWrapped(text, d.lang(), ui::fonts().bold, ui::theme().text); }

// A big −/+ pair around a number field that takes the keyboard when `focus`. A tap on − or + gives the keyboard
// back to the field, its number selected: "+, then type 20" is 20, not a 2 with the typing lost.
void quantityField(std::string_view idPrefix, int& value, int minValue, bool focus) {
    const std::string prefix(idPrefix);
    ImGuiStorage* state = ImGui::GetStateStorage();
    const ImGuiID refocus = ImGui::GetID((prefix + ".refocus").c_str());
    if (ui::button(prefix + ".minus", ui::icon::Remove, "", ImVec2(72, 60), ui::Tone::Surface, "")) {
        if (value > minValue) --value;
        state->SetBool(refocus, true);
    }
    ImGui::SameLine();
    ImGui::PushFont(ui::fonts().heading);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(16, (60 - ui::fonts().heading->FontSize) * 0.5f));
    ImGui::SetNextItemWidth(170);
    if (focus || state->GetBool(refocus)) ImGui::SetKeyboardFocusHere();
    state->SetBool(refocus, false);
    ImGui::InputInt(("##" + prefix + ".qty").c_str(), &value, 0, 0, ImGuiInputTextFlags_AutoSelectAll);
    ImGui::PopStyleVar();
    ImGui::PopFont();
    recordItem(prefix + ".qty");
    ImGui::SameLine();
    if (ui::button(prefix + ".plus", ui::icon::Add, "", ImVec2(72, 60), ui::Tone::Surface, "")) {
        if (value < 100000) ++value;
        state->SetBool(refocus, true);
    }
    value = std::clamp(value, minValue, 100000);
}
} // namespace

// [SECTION] helpers shared by the desk's views
float buttonWidth(std::string_view label, const char* icon, float height) {
    ImFont* bold = ui::fonts().bold;
    const float text = bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, label.data(), label.data() + label.size()).x;
    // As ui::button lays it out: 18 px padding each side, the icon at half the height (at most 40), a 12 px gap.
    const float icons = icon ? ui::fonts().body->CalcTextSizeA(std::min(height * 0.5f, 40.0f), FLT_MAX, 0, icon).x + 12 : 0;
    return std::ceil(text + icons + 36 + 1);
}

bool openingStockMissing(const std::vector<core::StockRow>& stock) {
    return !stock.empty() && std::all_of(stock.begin(), stock.end(), [](const core::StockRow& r) { return r.stock == 0; });
}

void cellText(const std::string& text, ImFont* font, ImU32 color, float rowH) {
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + std::max(0.0f, (rowH - font->FontSize) * 0.5f));
    ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, ui::toVec4(color));
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

void markedText(const char* icon, const std::string& text, ImFont* font, ImU32 color, float rowH) {
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + std::max(0.0f, (rowH - font->FontSize) * 0.5f));
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float size = font->FontSize * 1.2f;
    ui::drawIcon(ImGui::GetWindowDrawList(), icon, size, ImVec2(pos.x + size * 0.5f, pos.y + font->FontSize * 0.55f), color);
    ImGui::Dummy(ImVec2(size + 6, font->FontSize));
    ImGui::SameLine(0, 0);
    ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, ui::toVec4(color));
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

void recordItem(std::string_view id) { ui::widgetRects().record(id, ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax())); }

bool enterPressed() {
    return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
           ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false);
}
bool escapePressed() { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false); }

bool beginDialog(Desk& d, const std::string& title, float width, float height) {
    const float w = std::min(width, static_cast<float>(d.app().width()) - 60);
    const float h = height > 0 ? std::min(height, static_cast<float>(d.app().height()) - 40) : 0;
    ImGui::SetNextWindowSize(ImVec2(w, h)); // a height of 0: as tall as the content, every frame
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(d.app().width()) * 0.5f, static_cast<float>(d.app().height()) * 0.5f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr,
                                ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings))
        return false;
    // Text fields on the white dialog: the page's colour and a border, so they show as fields.
    ImGui::PushStyleColor(ImGuiCol_FrameBg, ui::toVec4(ui::theme().background));
    ImGui::PushStyleColor(ImGuiCol_Border, ui::toVec4(ui::theme().muted));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
    return true;
}

void endDialog() {
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(2);
    ImGui::EndPopup();
}

DialogChoice dialogButtons(Desk& d, const char* confirmId, const std::string& confirmLabel, bool busy, bool first,
                           const char* cancelId, const std::string& cancelLabel, float width, ui::Tone confirmTone) {
    ImGui::Dummy(ImVec2(0, 4));
    DialogChoice choice = DialogChoice::None;
    if (confirmId) {
        if (ui::button(confirmId, busy ? ui::icon::Hourglass : ui::icon::Check, confirmLabel + "  (Enter)",
                       ImVec2(width, 64), confirmTone, d.lang()) ||
            (!first && enterPressed()))
            choice = DialogChoice::Confirm;
        ImGui::SameLine();
    }
    if (ui::button(cancelId, ui::icon::Close, cancelLabel + "  (Esc)", ImVec2(width, 64), ui::Tone::Quiet, d.lang()) ||
        escapePressed())
        choice = DialogChoice::Cancel;
    return choice;
}

bool stillSignedIn(const Desk& d, const core::Actor& who) {
    return d.user() && who.staffId && d.user()->id == *who.staffId;
}

void warningLine(const std::string& text) {
    if (text.empty()) return;
    ImGui::PushTextWrapPos(0);
    markedText(ui::icon::Warning, text, ui::fonts().bold, ui::theme().danger, 0);
    ImGui::PopTextWrapPos();
}

const core::StockRow* SuppliesView::item(Desk& d, int64_t id) const {
    for (const auto& row : d.stock())
        if (row.id == id) return &row;
    return nullptr;
}

void SuppliesView::reload(Desk& d) { d.refresh(); }

void SuppliesView::closeDialogs() {
    m_dialog = m_history = m_newOpen = false;
    m_dialogJustOpened = m_historyJustOpened = m_newJustOpened = false;
    m_busy = m_newBusy = false;
    ++m_generation;
    m_reason.fill(0);
    m_price.fill(0);
    m_newName.fill(0);
    m_newCode.fill(0);
    m_newPrice.fill(0);
    m_error.clear();
    m_newError.clear();
    m_historyRows.clear();
    m_armedUndo = 0;
}

// A text field being edited owns its value (ImGui): a new dialog, or values set by a test, take it back.
void SuppliesView::releaseFields(bool opened) {
    if (opened || m_fieldsSet) ImGui::ClearActiveID();
    m_fieldsSet = false;
}

std::string SuppliesView::reasonText() const {
    if (m_action == Action::Count && m_reasonWord != "other") return m_reasonWord;
    std::string text(m_reason.data());
    const auto first = text.find_first_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first);
}

// [SECTION] the catalogue table
void SuppliesView::table(Desk& d, float height) {
    const ui::Theme& t = ui::theme();
    const auto& rows = d.stock();
    if (rows.empty()) {
        ui::iconText(ui::icon::Info, d.tr(d.isCoordinator() ? "supplies.empty_coordinator" : "supplies.empty"),
                     ui::fonts().body, t.muted, d.lang());
        return;
    }
    struct ActionButton {
        const char* word;
        const char* icon;
        std::string label;
        Action action;
        bool history;
    };
    std::vector<ActionButton> buttons = {
        {"handout", ui::icon::Hand, d.tr("supplies.action.handout"), Action::HandOut, false},
        {"sell", ui::icon::Payments, d.tr("supplies.action.sell"), Action::Sell, false},
        {"delivery", ui::icon::Delivery, d.tr("supplies.action.delivery"), Action::Delivery, false},
        {"count", ui::icon::DoneAll, d.tr("supplies.action.count"), Action::Count, false},
        {"history", ui::icon::Time, d.tr("supplies.action.history"), Action::HandOut, true},
    };
    // Icons on the buttons when the row has room for them; the words matter more.
    const float gap = 6;
    const float cellPad = ImGui::GetStyle().CellPadding.x * 2;
    // The stock shows with its unit ("412 stuks"); a low one gets a second line with the marker.
    const auto stockText = [&](const core::StockRow& r) {
        return d.tr("supplies.qty." + r.unit, {{"count", r.stock}});
    };
    const std::string lowText = d.tr("supplies.low");
    const bool opening = openingStockMissing(rows); // one prompt above the table, not a marker on every row
    ImFont* bold = ui::fonts().bold;
    ImFont* body = ui::fonts().body;
    float dataW = 0;
    {
        float name = textWidth(d.tr("supplies.col.item"), body), price = textWidth(d.tr("supplies.col.price"), body);
        float stock = std::max(textWidth(d.tr("supplies.col.stock"), body), textWidth(lowText, bold) + bold->FontSize * 1.2f + 6);
        for (const auto& r : rows) {
            name = std::max(name, textWidth(r.name, bold));
            price = std::max(price, textWidth(money(d, r.priceCents), body));
            stock = std::max(stock, textWidth(stockText(r), bold));
        }
        dataW = std::min(name, 220.0f) + price + stock + textWidth(d.tr("supplies.col.min"), body) + 4 * cellPad;
    }
    const float avail = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
    float withIcons = 0, withoutIcons = 0;
    for (const auto& b : buttons) {
        withIcons += buttonWidth(b.label, b.icon) + gap;
        withoutIcons += buttonWidth(b.label, nullptr) + gap;
    }
    const bool icons = dataW + withIcons + cellPad <= avail;
    const float actionsW = (icons ? withIcons : withoutIcons) - gap;

    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("###stock", 5, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(d.tr("supplies.col.item").c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(d.tr("supplies.col.price").c_str());
    ImGui::TableSetupColumn(d.tr("supplies.col.stock").c_str());
    ImGui::TableSetupColumn(d.tr("supplies.col.min").c_str());
    ImGui::TableSetupColumn("###actions", ImGuiTableColumnFlags_WidthFixed, actionsW);
    ImGui::TableHeadersRow();
    for (const auto& r : rows) {
        ImGui::TableNextRow(0, kRowH + ImGui::GetStyle().CellPadding.y * 2);
        if (r.low() && !opening) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, kLowRow);
        ImGui::PushID(r.code.c_str());
        ImGui::TableNextColumn();
        cellText(r.name, bold, t.text);
        ImGui::TableNextColumn();
        cellText(r.priceCents > 0 ? money(d, r.priceCents) : d.tr("supplies.free"), body, t.text);
        ImGui::TableNextColumn();
        if (r.low() && !opening) {
            ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 2));
            cellText(stockText(r), bold, t.danger, kRowH - bold->FontSize - 2);
            markedText(ui::icon::Warning, lowText, bold, t.danger, 0);
            recordItem("supplies.low." + r.code);
            ImGui::PopStyleVar();
        } else {
            cellText(stockText(r), bold, t.text);
        }
        ImGui::TableNextColumn();
        cellText(core::formatNumber(d.lang(), static_cast<double>(r.minStock)), body, t.muted);
        ImGui::TableNextColumn();
        for (size_t i = 0; i < buttons.size(); ++i) {
            const ActionButton& b = buttons[i];
            if (i) ImGui::SameLine(0, gap);
            const ImVec2 size(buttonWidth(b.label, icons ? b.icon : nullptr), kRowH);
            const bool primary = b.action == Action::HandOut && !b.history;
            if (ui::button("supplies." + std::string(b.word) + "." + r.code, icons ? b.icon : nullptr, b.label, size,
                           primary ? ui::Tone::Primary : ui::Tone::Surface, d.lang())) {
                if (b.history) openHistory(d, r.id);
                else openAction(d, r.id, b.action);
            }
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
}

void SuppliesView::draw(Desk& d) {
    const ui::Theme& t = ui::theme();
    if ((m_dialog || m_history || m_newOpen) && (!d.user() || d.user()->id != m_owner)) closeDialogs();
    const ImVec2 start = ImGui::GetCursorPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ui::textWrapped(d.tr("nav.supplies"), d.lang(), ui::fonts().title, t.primary);
    if (d.isCoordinator()) {
        const ImVec2 after = ImGui::GetCursorPos();
        const std::string text = d.tr("supplies.new");
        const float w = std::max(200.0f, buttonWidth(text, ui::icon::Add, 52));
        ImGui::SetCursorPos(ImVec2(start.x + width - w, start.y));
        if (ui::button("supplies.new", ui::icon::Add, text, ImVec2(w, 52), ui::Tone::Surface, d.lang())) openNewItem(d);
        ImGui::SetCursorPos(ImVec2(after.x, std::max(after.y, ImGui::GetCursorPos().y)));
    }
    int low = 0;
    for (const auto& r : d.stock()) low += r.low() ? 1 : 0;
    if (openingStockMissing(d.stock())) {
        ui::iconText(ui::icon::Info, d.tr("supplies.opening_stock"), ui::fonts().bold, t.primary, d.lang());
        recordItem("supplies.opening_stock");
    } else if (!d.stock().empty()) {
        if (low > 0)
            markedText(ui::icon::Warning, d.tr("supplies.low_count", {{"count", int64_t{low}}}), ui::fonts().bold, t.danger, 0);
        else
            markedText(ui::icon::Check, d.tr("supplies.all_ok"), ui::fonts().bold, t.success, 0);
    }
    table(d, ImGui::GetContentRegionAvail().y);
    drawDialog(d);
    drawHistory(d);
    drawNewItem(d);
}

// [SECTION] the action dialog: hand out, sell, delivery, stock take
void SuppliesView::openAction(Desk& d, int64_t itemId, Action action) {
    closeDialogs();
    const core::StockRow* it = item(d, itemId);
    if (!it || !d.user()) return;
    m_owner = d.user()->id;
    m_dialog = m_dialogJustOpened = true;
    m_action = action;
    m_itemId = itemId;
    m_qty = action == Action::Count ? static_cast<int>(it->stock) : 1;
    m_payment = core::Payment::Cash;
    m_priceEdited = false;
    copyTo(m_price, plainAmount(d, it->priceCents * m_qty));
    m_reasonWord = "count";
    m_needsConfirm = m_confirmBelowZero = false;
}

void SuppliesView::setPrice(const std::string& euros) {
    m_fieldsSet = true;
    copyTo(m_price, euros);
    m_priceEdited = !euros.empty();
}

void SuppliesView::setReason(const std::string& reason) {
    m_fieldsSet = true;
    if (m_action == Action::Count && isPreset(reason)) {
        m_reasonWord = reason;
    } else {
        if (m_action == Action::Count) m_reasonWord = "other";
        copyTo(m_reason, reason);
    }
}

void SuppliesView::confirm(Desk& d) {
    if (!m_dialog || m_busy) return;
    m_error.clear();
    const core::StockRow* it = item(d, m_itemId);
    if (!it) return;
    core::StockChange ch;
    ch.itemId = m_itemId;
    int64_t price = 0;
    switch (m_action) {
    case Action::HandOut: ch.kind = core::StockKind::Handout; break;
    case Action::Sell: ch.kind = core::StockKind::Sale; break;
    case Action::Delivery: ch.kind = core::StockKind::Delivery; break;
    case Action::Count: ch.kind = core::StockKind::Correction; break;
    }
    if (m_action == Action::Count) {
        ch.quantity = int64_t{m_qty} - it->stock;
        if (m_qty < 0) return void(m_error = d.tr("supplies.error.quantity"));
        if (ch.quantity == 0) return void(m_error = d.tr("supplies.error.no_difference"));
        ch.reason = reasonText();
        if (ch.reason.empty()) return void(m_error = d.tr("supplies.error.reason"));
    } else {
        if (m_qty <= 0) return void(m_error = d.tr("supplies.error.quantity"));
        ch.quantity = m_qty;
    }
    if (m_action == Action::Sell) {
        ch.payment = m_payment;
        price = it->priceCents * m_qty;
        if (m_priceEdited) {
            const auto cents = parseCents(m_price.data());
            if (!cents) return void(m_error = d.tr("supplies.error.price"));
            ch.priceCents = price = *cents;
        }
    }
    if (m_needsConfirm) {
        if (!m_confirmBelowZero) return void(m_error = d.tr("supplies.error.confirm"));
        ch.confirmBelowZero = true;
        ch.reason = reasonText();
        if (ch.reason.empty()) return void(m_error = d.tr("supplies.error.reason"));
    }

    m_busy = true;
    const uint64_t generation = m_generation;
    const core::Actor actor = d.actor();
    struct Outcome {
        int64_t moveId = 0;
        int64_t stockAfter = 0;
        std::optional<Desk::ErrorText> error;
    };
    // Errors come back here, not as a toast: the dialog stays open with everything typed, and says what to fix.
    d.read<Outcome>(
        [ch, actor](core::Store& s) {
            Outcome o;
            try {
                o.moveId = core::moveStock(s, actor, ch);
                o.stockAfter = core::stockOf(s, ch.itemId);
            } catch (const std::exception& e) {
                o.error = Desk::ErrorText::of(e);
            }
            return o;
        },
        [this, &d, generation, ch, price, actor, name = it->name](Outcome o) {
            const bool current = generation == m_generation && m_dialog;
            if (current) m_busy = false;
            if (o.error) {
                const std::string text = d.describe(*o.error);
                if (!current) return d.toast(text, true);
                if (o.error->key == "stock.below_zero") m_needsConfirm = true; // the dialog now explains and asks
                else m_error = text;
                return;
            }
            if (current) closeDialogs();
            d.refresh();
            std::string text;
            const int64_t count = ch.quantity < 0 ? -ch.quantity : ch.quantity;
            switch (ch.kind) {
            case core::StockKind::Handout: text = d.tr("supplies.done.handout", {{"count", count}, {"item", name}}); break;
            case core::StockKind::Sale:
                text = d.tr("supplies.done.sale", {{"count", count},
                                                   {"item", name},
                                                   {"price", money(d, price)},
                                                   {"payment", d.tr("supplies.payment." + std::string(core::word(*ch.payment)))}});
                break;
            case core::StockKind::Delivery: text = d.tr("supplies.done.delivery", {{"count", count}, {"item", name}}); break;
            case core::StockKind::Correction:
                text = d.tr("supplies.done.correction",
                            {{"item", name}, {"stock", o.stockAfter}, {"change", signedNumber(d, ch.quantity)}});
                break;
            }
            if (!stillSignedIn(d, actor)) return; // locked meanwhile: no undo for whoever comes next
            const int64_t id = o.moveId;
            d.toast(text, false, [this, &d, id, actor] {
                if (stillSignedIn(d, actor)) undoMove(d, actor, id);
            });
        });
}

void SuppliesView::drawDialog(Desk& d) {
    if (!m_dialog && !ImGui::IsPopupOpen(kDialogId)) return;
    if (m_dialog && m_dialogJustOpened) ImGui::OpenPopup(kDialogId);
    const core::StockRow* it = m_dialog ? item(d, m_itemId) : nullptr;
    const std::string title =
        (it ? d.tr(std::string("supplies.dialog.") + actionWord(m_action), {{"item", it->name}}) : std::string()) + kDialogId;
    if (!beginDialog(d, title, 820)) {
        m_dialog = false;
        return;
    }
    if (!m_dialog || !it) { // closed from elsewhere, or the item left the catalogue
        closeDialogs();
        ImGui::CloseCurrentPopup();
        endDialog();
        return;
    }
    const ui::Theme& t = ui::theme();
    const bool first = m_dialogJustOpened;
    m_dialogJustOpened = false;
    releaseFields(first);
    ui::iconText(ui::icon::Inventory,
                 d.tr("supplies.now_in_stock", {{"amount", d.tr("supplies.qty." + it->unit, {{"count", it->stock}})}}),
                 ui::fonts().body, t.muted, d.lang());

    // How many (or, for a stock take, how many were counted).
    fieldLabel(d, d.tr(m_action == Action::Count ? "supplies.dialog.counted" : "supplies.dialog.quantity"));
    quantityField("supplies.dialog", m_qty, m_action == Action::Count ? 0 : 1, first);
    if (m_action == Action::Count) {
        ImGui::SameLine(0, 24);
        const int64_t diff = int64_t{m_qty} - it->stock;
        const std::string text = diff == 0 ? d.tr("supplies.dialog.no_difference")
                                           : d.tr("supplies.dialog.difference", {{"change", signedNumber(d, diff)}});
        cellText(text, ui::fonts().bold, diff < 0 ? t.danger : t.text, 0); // on the field's text line
    }

    if (m_action == Action::Sell) {
        fieldLabel(d, d.tr("supplies.dialog.payment"));
        const core::Payment options[] = {core::Payment::Cash, core::Payment::Card};
        const char* icons[] = {ui::icon::Payments, ui::icon::Card};
        for (int i = 0; i < 2; ++i) {
            if (i) ImGui::SameLine();
            const std::string word(core::word(options[i]));
            const bool on = m_payment == options[i];
            if (ui::button("supplies.dialog." + word, icons[i], d.tr("supplies.payment." + word), ImVec2(240, 64),
                           on ? ui::Tone::Primary : ui::Tone::Quiet, d.lang()))
                m_payment = options[i];
        }
        fieldLabel(d, d.tr("supplies.dialog.price"));
        if (!m_priceEdited) copyTo(m_price, plainAmount(d, it->priceCents * m_qty));
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("\xe2\x82\xac");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(170);
        if (ImGui::InputText("##supplies.dialog.price", m_price.data(), m_price.size(), ImGuiInputTextFlags_AutoSelectAll))
            m_priceEdited = true;
        recordItem("supplies.dialog.price");
        ImGui::SameLine(0, 24);
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, ui::toVec4(t.muted));
        ImGui::TextUnformatted(d.tr("supplies.dialog.price_hint", {{"count", int64_t{m_qty}}, {"price", money(d, it->priceCents)}}).c_str());
        ImGui::PopStyleColor();
    }

    if (m_action == Action::Count) {
        fieldLabel(d, d.tr("supplies.dialog.reason"));
        const float gap = ImGui::GetStyle().ItemSpacing.x;
        const float w = (ImGui::GetContentRegionAvail().x - gap * 4) / 5;
        for (size_t i = 0; i < std::size(kReasons); ++i) {
            if (i) ImGui::SameLine();
            const bool on = m_reasonWord == kReasons[i];
            if (ui::button(std::string("supplies.dialog.reason.") + kReasons[i], nullptr,
                           d.tr(std::string("supplies.reason.") + kReasons[i]), ImVec2(w, 56),
                           on ? ui::Tone::Primary : ui::Tone::Quiet, d.lang()))
                m_reasonWord = kReasons[i];
        }
    }
    // Free text: the stock take's "other", or why stock may go below zero.
    const int64_t change = m_action == Action::Count      ? int64_t{m_qty} - it->stock
                           : m_action == Action::Delivery ? m_qty
                                                          : -int64_t{m_qty};
    if (it->stock + change >= 0) m_needsConfirm = m_confirmBelowZero = false; // a smaller number needs no confirmation
    const bool freeReason = (m_action == Action::Count && m_reasonWord == "other") || m_needsConfirm;
    if (m_needsConfirm) {
        ImGui::Dummy(ImVec2(0, 4));
        warningLine(d.tr("supplies.dialog.below_zero", {{"stock", it->stock}, {"after", it->stock + change}}));
        if (ui::button("supplies.dialog.below_zero", m_confirmBelowZero ? ui::icon::Check : ui::icon::Warning,
                       d.tr("supplies.dialog.below_zero_yes"), ImVec2(ImGui::GetContentRegionAvail().x, 56),
                       m_confirmBelowZero ? ui::Tone::Danger : ui::Tone::Quiet, d.lang()))
            m_confirmBelowZero = !m_confirmBelowZero;
    }
    if (freeReason) {
        if (m_needsConfirm) fieldLabel(d, d.tr("supplies.dialog.reason_required"));
        ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
        ImGui::InputTextWithHint("##supplies.dialog.reason_text", d.tr("supplies.dialog.reason_hint").c_str(),
                                 m_reason.data(), m_reason.size());
        recordItem("supplies.dialog.reason_text");
    }
    warningLine(m_error);

    switch (dialogButtons(d, "supplies.dialog.confirm", d.tr(std::string("supplies.confirm.") + actionWord(m_action)),
                          m_busy, first, "supplies.dialog.cancel", d.tr("common.cancel"))) {
    case DialogChoice::Confirm: confirm(d); break;
    case DialogChoice::Cancel:
        closeDialogs();
        ImGui::CloseCurrentPopup();
        break;
    case DialogChoice::None: break;
    }
    endDialog();
}

// [SECTION] the history of an item
void SuppliesView::undoMove(Desk& d, const core::Actor& actor, int64_t moveId) {
    d.read<std::optional<Desk::ErrorText>>(
        [actor, moveId](core::Store& s) -> std::optional<Desk::ErrorText> {
            try {
                core::undoStockMove(s, actor, moveId);
            } catch (const std::exception& e) {
                return Desk::ErrorText::of(e);
            }
            return std::nullopt;
        },
        [this, &d](std::optional<Desk::ErrorText> error) {
            d.refresh();
            if (m_history) loadHistory(d);
            // An undo has no confirmation to give: going below zero is a stock take's job, so it says that.
            if (error) d.toast(error->key == "stock.below_zero" ? d.tr("supplies.undo_below_zero") : d.describe(*error), true);
            else d.toast(d.tr("supplies.undone"));
        });
}

void SuppliesView::openHistory(Desk& d, int64_t itemId) {
    closeDialogs();
    if (!d.user()) return;
    m_owner = d.user()->id;
    m_history = m_historyJustOpened = true;
    m_historyItem = itemId;
    m_historyLoaded = false;
    loadHistory(d);
}

void SuppliesView::loadHistory(Desk& d) {
    const int64_t id = m_historyItem;
    const uint64_t generation = m_generation;
    d.read<std::vector<core::StockMoveRow>>([id](core::Store& s) { return core::loadStockHistory(s, id); },
                                            [this, generation](std::vector<core::StockMoveRow> rows) {
                                                if (generation != m_generation || !m_history) return;
                                                m_historyRows = std::move(rows);
                                                m_historyLoaded = true;
                                            });
}

void SuppliesView::drawHistory(Desk& d) {
    if (!m_history && !ImGui::IsPopupOpen(kHistoryId)) return;
    if (m_history && m_historyJustOpened) ImGui::OpenPopup(kHistoryId);
    m_historyJustOpened = false;
    const core::StockRow* it = m_history ? item(d, m_historyItem) : nullptr;
    const std::string title = (it ? d.tr("supplies.history.title", {{"item", it->name}}) : std::string()) + kHistoryId;
    if (!beginDialog(d, title, 1180, 760)) {
        m_history = false;
        return;
    }
    if (!m_history || !it) {
        closeDialogs();
        ImGui::CloseCurrentPopup();
        endDialog();
        return;
    }
    const ui::Theme& t = ui::theme();
    ui::iconText(ui::icon::Inventory,
                 d.tr("supplies.now_in_stock", {{"amount", d.tr("supplies.qty." + it->unit, {{"count", it->stock}})}}),
                 ui::fonts().body, t.muted, d.lang());
    const float listH = ImGui::GetContentRegionAvail().y - 64 - ImGui::GetStyle().ItemSpacing.y;
    const float listEnd = ImGui::GetCursorPosY() + listH;
    if (!m_historyLoaded) {
        ui::iconText(ui::icon::Hourglass, d.tr("common.loading"), ui::fonts().body, t.muted, d.lang());
    } else if (m_historyRows.empty()) {
        ui::iconText(ui::icon::Info, d.tr("supplies.history.empty"), ui::fonts().body, t.muted, d.lang());
    } else {
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH |
                                      ImGuiTableFlags_SizingFixedFit;
        if (ImGui::BeginTable("###moves", 8, flags, ImVec2(0, listH))) {
            const std::string undoLabel = d.tr("common.undo"), sureLabel = d.tr("supplies.history.sure");
            const float undoW = std::max(buttonWidth(undoLabel, ui::icon::Undo), buttonWidth(sureLabel, ui::icon::Undo));
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn(d.tr("col.time").c_str());
            ImGui::TableSetupColumn(d.tr("supplies.col.kind").c_str());
            ImGui::TableSetupColumn(d.tr("supplies.col.qty").c_str());
            ImGui::TableSetupColumn(d.tr("supplies.col.price").c_str());
            ImGui::TableSetupColumn(d.tr("supplies.col.payment").c_str());
            ImGui::TableSetupColumn(d.tr("supplies.col.reason").c_str(), ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn(d.tr("col.staff").c_str());
            ImGui::TableSetupColumn("###undo", ImGuiTableColumnFlags_WidthFixed, undoW);
            ImGui::TableHeadersRow();
            for (const auto& m : m_historyRows) {
                ImGui::TableNextRow(0, kRowH + ImGui::GetStyle().CellPadding.y * 2);
                ImGui::PushID(static_cast<int>(m.id));
                const ImU32 color = m.undone ? t.muted : t.text;
                ImGui::TableNextColumn();
                cellText(core::formatDateTime(d.lang(), m.at, "yMMMdHHmm"), ui::fonts().body, color);
                ImGui::TableNextColumn();
                std::string kind = d.tr("supplies.kind." + m.kind);
                if (m.contactId) kind += " · " + d.tr("supplies.with_contact");
                cellText(kind, ui::fonts().body, color);
                ImGui::TableNextColumn();
                cellText(signedNumber(d, m.qty), ui::fonts().bold, color);
                ImGui::TableNextColumn();
                cellText(m.priceCents != 0 ? money(d, m.priceCents) : "—", ui::fonts().body, color);
                ImGui::TableNextColumn();
                cellText(m.payment.empty() ? "—" : d.tr("supplies.payment." + m.payment), ui::fonts().body, color);
                ImGui::TableNextColumn();
                cellText(reasonLabel(d, m.reason), ui::fonts().body, color);
                ImGui::TableNextColumn();
                cellText(m.staffName.empty() ? "—" : m.staffName, ui::fonts().body, color);
                ImGui::TableNextColumn();
                if (m.undone) {
                    markedText(ui::icon::Undo, d.tr("supplies.history.undone"), ui::fonts().body, t.muted);
                } else if (m.kind != "reversal") {
                    const bool armed = m_armedUndo == m.id;
                    const std::string undoId = "supplies.history.undo." + std::to_string(m.id);
                    if (ui::button(undoId, ui::icon::Undo,
                                   armed ? sureLabel : undoLabel, ImVec2(undoW, kRowH),
                                   armed ? ui::Tone::Danger : ui::Tone::Quiet, d.lang())) {
                        if (!armed) {
                            m_armedUndo = m.id;
                        } else {
                            m_armedUndo = 0;
                            undoMove(d, d.actor(), m.id);
                        }
                    }
                }
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
    }
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), listEnd + ImGui::GetStyle().ItemSpacing.y));
    if (ui::button("supplies.history.close", ui::icon::Close, d.tr("supplies.history.close") + "  (Esc)", ImVec2(300, 64),
                   ui::Tone::Quiet, d.lang()) ||
        escapePressed() || enterPressed()) {
        closeDialogs();
        ImGui::CloseCurrentPopup();
    }
    endDialog();
}

// [SECTION] a new catalogue item
void SuppliesView::openNewItem(Desk& d) {
    closeDialogs();
    if (!d.user() || !d.isCoordinator()) return;
    m_owner = d.user()->id;
    m_newOpen = m_newJustOpened = true;
    m_codeEdited = false;
    m_newUnit = "piece";
    m_newMin = 0;
    copyTo(m_newPrice, plainAmount(d, 0));
}

void SuppliesView::setNewItem(const core::NewSupplyItem& it) {
    m_fieldsSet = true;
    copyTo(m_newName, it.name);
    copyTo(m_newCode, it.code);
    m_codeEdited = true;
    m_newUnit = it.unit;
    char price[32];
    std::snprintf(price, sizeof price, "%lld.%02lld", static_cast<long long>(it.priceCents / 100),
                  static_cast<long long>(it.priceCents % 100));
    copyTo(m_newPrice, price);
    m_newMin = static_cast<int>(it.minStock);
}

void SuppliesView::saveNewItem(Desk& d) {
    if (!m_newOpen || m_newBusy) return;
    m_newError.clear();
    core::NewSupplyItem it;
    it.name = m_newName.data();
    it.code = m_newCode.data();
    it.unit = m_newUnit;
    it.minStock = m_newMin;
    if (it.name.find_first_not_of(' ') == std::string::npos) return void(m_newError = d.tr("supplies.error.name"));
    if (it.code.empty() || !std::all_of(it.code.begin(), it.code.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        }))
        return void(m_newError = d.tr("supplies.error.code"));
    const auto cents = parseCents(m_newPrice.data());
    if (!cents) return void(m_newError = d.tr("supplies.error.price"));
    it.priceCents = *cents;
    if (m_newMin < 0) return void(m_newError = d.tr("supplies.error.quantity"));
    m_newBusy = true;
    const uint64_t generation = m_generation;
    const core::Actor actor = d.actor();
    d.read<std::optional<Desk::ErrorText>>(
        [it, actor](core::Store& s) -> std::optional<Desk::ErrorText> {
            try {
                core::addSupplyItem(s, actor, it);
            } catch (const std::exception& e) {
                return Desk::ErrorText::of(e);
            }
            return std::nullopt;
        },
        [this, &d, generation, name = it.name](std::optional<Desk::ErrorText> error) {
            const bool current = generation == m_generation && m_newOpen;
            if (current) m_newBusy = false;
            if (error) {
                if (current) m_newError = d.describe(*error);
                else d.toast(d.describe(*error), true);
                return;
            }
            if (current) closeDialogs();
            d.refresh();
            d.toast(d.tr("supplies.added", {{"item", name}}));
        });
}

void SuppliesView::drawNewItem(Desk& d) {
    if (!m_newOpen && !ImGui::IsPopupOpen(kNewId)) return;
    if (m_newOpen && m_newJustOpened) ImGui::OpenPopup(kNewId);
    const bool first = m_newJustOpened;
    m_newJustOpened = false;
    const std::string title = d.tr("supplies.new_title") + kNewId;
    if (!beginDialog(d, title, 820)) {
        m_newOpen = false;
        return;
    }
    if (!m_newOpen) {
        closeDialogs();
        ImGui::CloseCurrentPopup();
        endDialog();
        return;
    }
    releaseFields(first);
    const ui::Theme& t = ui::theme();
    const float fieldW = 420;
    fieldLabel(d, d.tr("supplies.field.name"));
    ImGui::SetNextItemWidth(fieldW);
    if (first) ImGui::SetKeyboardFocusHere();
    if (ImGui::InputText("##supplies.new.name", m_newName.data(), m_newName.size()) && !m_codeEdited) {
        // The code follows the name until someone types one: "Condoom XXL" → "condoom_xxl".
        std::string code;
        for (const char* p = m_newName.data(); *p && code.size() < 32; ++p) {
            const char c = *p;
            if (c >= 'A' && c <= 'Z') code += static_cast<char>(c - 'A' + 'a');
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) code += c;
            else if ((c == ' ' || c == '-' || c == '_') && !code.empty() && code.back() != '_') code += '_';
        }
        while (!code.empty() && code.back() == '_') code.pop_back();
        copyTo(m_newCode, code);
    }
    recordItem("supplies.new.name");
    fieldLabel(d, d.tr("supplies.field.code"));
    ImGui::SetNextItemWidth(fieldW);
    if (ImGui::InputText("##supplies.new.code", m_newCode.data(), m_newCode.size(), ImGuiInputTextFlags_CharsNoBlank))
        m_codeEdited = true;
    recordItem("supplies.new.code");
    ImGui::SameLine(0, 16);
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, ui::toVec4(t.muted));
    ImGui::TextUnformatted(d.tr("supplies.field.code_hint").c_str());
    ImGui::PopStyleColor();
    fieldLabel(d, d.tr("supplies.field.unit"));
    for (size_t i = 0; i < std::size(kUnits); ++i) {
        if (i) ImGui::SameLine();
        const bool on = m_newUnit == kUnits[i];
        if (ui::button(std::string("supplies.new.unit.") + kUnits[i], on ? ui::icon::Check : nullptr,
                       d.tr(std::string("supplies.unit.") + kUnits[i]), ImVec2(170, 56),
                       on ? ui::Tone::Primary : ui::Tone::Quiet, d.lang()))
            m_newUnit = kUnits[i];
    }
    fieldLabel(d, d.tr("supplies.field.price"));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("\xe2\x82\xac");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(170);
    ImGui::InputText("##supplies.new.price", m_newPrice.data(), m_newPrice.size(), ImGuiInputTextFlags_AutoSelectAll);
    recordItem("supplies.new.price");
    fieldLabel(d, d.tr("supplies.field.min"));
    quantityField("supplies.new.min", m_newMin, 0, false);
    warningLine(m_newError);

    switch (dialogButtons(d, "supplies.new.save", d.tr("common.save"), m_newBusy, first, "supplies.new.cancel",
                          d.tr("common.cancel"))) {
    case DialogChoice::Confirm: saveNewItem(d); break;
    case DialogChoice::Cancel:
        closeDialogs();
        ImGui::CloseCurrentPopup();
        break;
    case DialogChoice::None: break;
    }
    endDialog();
}

} // namespace inloop::desk
