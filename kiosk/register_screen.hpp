// Register: an optional name to be called by (on-screen keyboard, skippable), then confirm.
// The session was chosen on the consultation hours screen; the ticket follows on the ticket screen.
#pragma once

#include "keyboard.hpp"
#include "kiosk.hpp"

namespace inloop::kiosk {

class RegisterScreen {
public:
    void drawName(Kiosk& k);
    void drawConfirm(Kiosk& k);

private:
    Keyboard m_keyboard;
    float m_inputHeight = 0; // the name field and keyboard as last drawn (portrait puts them at the bottom)
};

} // namespace inloop::kiosk
