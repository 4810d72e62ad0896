// The app shell both apps share: SDL2 window + SDL renderer, Dear ImGui, an event-driven loop, offscreen
// frames and PNG screenshots for the tours and UI tests.
#pragma once

#include <SDL.h>

#include <bitset>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

struct ImVec2;

namespace inloop::ui {

struct AppOptions {
    std::string title = "Inloop";
    int width = 1280;
    int height = 800;
    bool fullscreen = false;
    bool offscreen = false; // SDL's dummy video driver + software renderer: tours and tests, no display needed
    // The appliance's kiosk: close requests from the window system (the title bar's X, Alt+F4, SDL_QUIT) are
    // ignored; only SIGTERM/SIGINT (systemd stopping the unit) end run(). A visitor cannot close the screen.
    bool kioskMode = false;
};

class App {
public:
    explicit App(const AppOptions& options);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // The loop: waits for input, a wake() from another thread, or the next wakeWithin() deadline, and draws only
    // when something changed. `frame` builds the UI; `tick` runs after every wake-up without drawing (timers,
    // worker results) and returns true if the UI must be redrawn. Returns when the window closes or quit().
    void run(const std::function<void()>& frame, const std::function<bool()>& tick);
    void quit() { m_quit = true; }
    // One SDL event as run() handles it (input to ImGui, window size, activity); the UI tests feed keys with it.
    void handleEvent(const SDL_Event& ev);
    // Close requests the window system sent that kiosk mode ignored (tests, the journal).
    int ignoredCloseRequests() const { return m_ignoredCloses; }
    // SIGTERM or SIGINT arrived (set from the signal handler; run() returns within a second).
    static bool stopRequested();

    // Draws one complete frame now (used by run(), the tours and the UI tests).
    void renderFrame(const std::function<void()>& frame);
    // Writes the last rendered frame as PNG; false with a message on stderr on failure.
    bool savePng(const std::filesystem::path& file) const;

    // Keep drawing for a few frames (input settles over 2–3 ImGui frames; animations ask every frame).
    void requestRedraw(int frames = 3);
    int pendingFrames() const { return m_redrawFrames; } // frames still to draw without new input
    // Thread-safe: wakes the loop (a worker finished a job).
    static void wake();
    // UI tests: called after the SDL backend's NewFrame and before ImGui::NewFrame, to set io.MousePos etc.
    void setInputOverride(std::function<void()> hook) { m_inputOverride = std::move(hook); }
    // Wake up and tick at most this long from now even without input (timers, clocks, polling).
    void wakeWithin(std::chrono::milliseconds delay);

    void resize(int width, int height);
    int width() const { return m_width; }
    int height() const { return m_height; }
    SDL_Window* window() const { return m_window; }
    SDL_Renderer* renderer() const { return m_renderer; }
    // Seconds since the last input event (the kiosk's idle timeout).
    double idleSeconds() const;
    void markActivity();
    // Call after changing the font atlas: rebuilds the texture before the next frame.
    void fontsChanged();
    uint64_t framesDrawn() const { return m_frames; }

private:
    void feedKey(const SDL_Event& ev);
    void releaseHeldKeys();

    SDL_Window* m_window = nullptr;
    SDL_Renderer* m_renderer = nullptr;
    int m_width, m_height;
    bool m_quit = false;
    bool m_offscreen;
    bool m_kioskMode;
    int m_ignoredCloses = 0;
    int m_redrawFrames = 3;
    std::chrono::steady_clock::time_point m_wakeAt;
    std::chrono::steady_clock::time_point m_lastActivity;
    uint64_t m_frames = 0;
    std::function<void()> m_inputOverride;
    std::bitset<SDL_NUM_SCANCODES> m_downSinceFrame; // keys that went down since the last frame began
    std::vector<SDL_Event> m_heldKeyUps;             // their releases, fed after the frame that saw them down
    int m_popups = 0;                                // ImGui's open popups after the last frame
    bool m_dropAtlasPixels = false; // once the texture holds them, the CPU copy of the atlas goes
};

} // namespace inloop::ui
