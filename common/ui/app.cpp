// The app shell (see app.hpp).
#include "ui/app.hpp"

#include <imgui.h>
#include <imgui_internal.h> // the open popups
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <stb_image_write.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace inloop::ui {

using Clock = std::chrono::steady_clock;

namespace {
volatile std::sig_atomic_t g_stopSignal = 0;

extern "C" void onStopSignal(int sig) { g_stopSignal = sig; }

// Kiosk mode: our own handlers instead of SDL's (which turn SIGTERM into the same SDL_QUIT a close button sends),
// so a stop from systemd can be told apart from a visitor's close request. run() wakes at least once a second.
void installStopHandlers() {
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
}
} // namespace

bool App::stopRequested() { return g_stopSignal != 0; }

App::App(const AppOptions& o)
    : m_width(o.width), m_height(o.height), m_offscreen(o.offscreen), m_kioskMode(o.kioskMode) {
    if (o.offscreen) setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (o.kioskMode) installStopHandlers();
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1"); // a finger acts as the mouse
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0)
        throw std::runtime_error(std::string("Cannot start SDL: ") + SDL_GetError());
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI | (o.offscreen ? SDL_WINDOW_HIDDEN : SDL_WINDOW_RESIZABLE);
    if (o.fullscreen && !o.offscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    // SDL_VIDEO_WINDOW_POS=x,y places the window (scripts/run puts the desk and the kiosk side by side).
    int x = SDL_WINDOWPOS_UNDEFINED, y = SDL_WINDOWPOS_UNDEFINED;
    if (const char* pos = std::getenv("SDL_VIDEO_WINDOW_POS")) {
        int px = 0, py = 0;
        if (std::sscanf(pos, "%d,%d", &px, &py) == 2) {
            x = px;
            y = py;
        }
    }
    m_window = SDL_CreateWindow(o.title.c_str(), x, y, o.width, o.height, flags);
    if (!m_window) throw std::runtime_error(std::string("Cannot open a window: ") + SDL_GetError());
    m_renderer = SDL_CreateRenderer(m_window, -1, o.offscreen ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED);
    if (!m_renderer) m_renderer = SDL_CreateRenderer(m_window, -1, SDL_RENDERER_SOFTWARE);
    if (!m_renderer) throw std::runtime_error(std::string("Cannot draw in the window: ") + SDL_GetError());
    if (o.fullscreen && !o.offscreen) SDL_GetWindowSize(m_window, &m_width, &m_height);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // nothing about the screen is written to disk
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui_ImplSDL2_InitForSDLRenderer(m_window);
    ImGui_ImplSDLRenderer_Init(m_renderer);
    // INLOOP_HIDE_POINTER=1 (the kiosk's systemd unit): no arrow over the window, even when the touch screen
    // also reports itself as a mouse (cage shows its pointer then). The backend would show it again each frame.
    if (const char* hide = std::getenv("INLOOP_HIDE_POINTER"); hide && std::string_view(hide) == "1") {
        io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
        SDL_ShowCursor(SDL_DISABLE);
    }
    m_lastActivity = m_wakeAt = Clock::now();
}

App::~App() {
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    if (m_renderer) SDL_DestroyRenderer(m_renderer);
    if (m_window) SDL_DestroyWindow(m_window);
    SDL_Quit();
}

void App::wake() {
    SDL_Event ev{};
    ev.type = SDL_USEREVENT;
    SDL_PushEvent(&ev);
}

void App::requestRedraw(int frames) { m_redrawFrames = std::max(m_redrawFrames, frames); }

void App::wakeWithin(std::chrono::milliseconds delay) {
    const auto at = Clock::now() + delay;
    if (at < m_wakeAt || m_wakeAt <= Clock::now()) m_wakeAt = at;
}

double App::idleSeconds() const { return std::chrono::duration<double>(Clock::now() - m_lastActivity).count(); }
void App::markActivity() { m_lastActivity = Clock::now(); }

void App::fontsChanged() {
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    m_dropAtlasPixels = true;
    requestRedraw();
}

void App::resize(int width, int height) {
    m_width = width;
    m_height = height;
    SDL_SetWindowSize(m_window, width, height);
    requestRedraw();
}

void App::renderFrame(const std::function<void()>& frame) {
    if (m_redrawFrames > 0) --m_redrawFrames;
    ImGui_ImplSDLRenderer_NewFrame(); // uploads the font atlas if it changed
    if (m_dropAtlasPixels) {
        ImGui::GetIO().Fonts->ClearTexData(); // ~10 MB: the GPU (or SDL's texture) has its own copy
        m_dropAtlasPixels = false;
    }
    ImGui_ImplSDL2_NewFrame();
    // ImGui 1.86's SDL backend reads the mouse only while the window has keyboard focus. Two windows side by
    // side (desk and kiosk), or a kiosk without a window manager, must follow the pointer anyway.
    if (!m_offscreen && SDL_GetMouseFocus() == m_window) {
        int mx = 0, my = 0;
        SDL_GetMouseState(&mx, &my);
        ImGui::GetIO().MousePos = ImVec2(static_cast<float>(mx), static_cast<float>(my));
    }
    if (m_inputOverride) m_inputOverride();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(m_width), static_cast<float>(m_height));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    ImGui::NewFrame();
    frame();
    releaseHeldKeys(); // this frame saw them down: the next one sees them up
    // A dialog that opened (or closed) this frame is laid out unseen first (ImGui measures it): it needs frames of
    // its own. Opened by a worker's answer, which asks for one frame only, it would show half or not at all until
    // the next input.
    const int popups = GImGui->OpenPopupStack.Size;
    if (popups != m_popups) requestRedraw(3);
    m_popups = popups;
    ImGui::Render();
    SDL_RenderSetScale(m_renderer, 1, 1);
    SDL_SetRenderDrawColor(m_renderer, 0, 0, 0, 255);
    SDL_RenderClear(m_renderer);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    if (!m_offscreen) SDL_RenderPresent(m_renderer);
    ++m_frames;
}

bool App::savePng(const std::filesystem::path& file) const {
    std::vector<unsigned char> pixels(static_cast<size_t>(m_width) * static_cast<size_t>(m_height) * 4);
    if (SDL_RenderReadPixels(m_renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, pixels.data(), m_width * 4) != 0) {
        std::fprintf(stderr, "Cannot read the frame: %s\n", SDL_GetError());
        return false;
    }
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (!stbi_write_png(file.c_str(), m_width, m_height, 4, pixels.data(), m_width * 4)) {
        std::fprintf(stderr, "Cannot write %s\n", file.c_str());
        return false;
    }
    return true;
}

void App::handleEvent(const SDL_Event& ev) {
    if (ev.type == SDL_KEYDOWN || ev.type == SDL_KEYUP) {
        feedKey(ev);
    } else {
        SDL_Event copy = ev;
        ImGui_ImplSDL2_ProcessEvent(&copy);
    }
    switch (ev.type) {
    case SDL_QUIT:
        if (!m_kioskMode) {
            m_quit = true;
        } else {
            ++m_ignoredCloses;
            std::fprintf(stderr, "inloop: kiosk mode: ignored a request to close the window\n");
        }
        break;
    case SDL_WINDOWEVENT:
        if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            m_width = ev.window.data1;
            m_height = ev.window.data2;
        }
        break;
    case SDL_MOUSEMOTION:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEWHEEL:
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
    case SDL_KEYDOWN:
    case SDL_KEYUP:
    case SDL_TEXTINPUT: markActivity(); break;
    default: break;
    }
    if (ev.type != SDL_USEREVENT) requestRedraw();
}

// ImGui 1.86 keeps one down/up state per key and reads it once a frame: a key that goes down and up between two
// frames (a quick tap, a barcode scanner, a slow machine) would never be seen as pressed. The release of a key
// pressed since the last frame waits for the next frame. Modifiers come from the event itself, not from SDL's
// current state, which may already say Ctrl is up when Ctrl+L's L is handled.
void App::feedKey(const SDL_Event& ev) {
    const SDL_Scancode key = ev.key.keysym.scancode;
    if (key < 0 || key >= SDL_NUM_SCANCODES) return;
    if (ev.type == SDL_KEYUP && m_downSinceFrame.test(static_cast<size_t>(key))) {
        m_heldKeyUps.push_back(ev);
        requestRedraw();
        return;
    }
    if (ev.type == SDL_KEYDOWN) m_downSinceFrame.set(static_cast<size_t>(key));
    SDL_Event copy = ev;
    ImGui_ImplSDL2_ProcessEvent(&copy);
    ImGuiIO& io = ImGui::GetIO();
    const Uint16 mod = ev.key.keysym.mod;
    io.KeyShift = (mod & KMOD_SHIFT) != 0;
    io.KeyCtrl = (mod & KMOD_CTRL) != 0;
    io.KeyAlt = (mod & KMOD_ALT) != 0;
    io.KeySuper = (mod & KMOD_GUI) != 0;
}

void App::releaseHeldKeys() {
    m_downSinceFrame.reset();
    std::vector<SDL_Event> held;
    held.swap(m_heldKeyUps);
    for (const SDL_Event& ev : held) feedKey(ev);
}

void App::run(const std::function<void()>& frame, const std::function<bool()>& tick) {
    m_quit = false;
    auto lastFrame = Clock::now() - std::chrono::seconds(1);
    while (!m_quit && !stopRequested()) {
        SDL_Event ev;
        bool got;
        if (m_redrawFrames > 0) {
            // Animating or settling: at most ~60 frames a second.
            const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - lastFrame).count();
            got = since >= 16 ? SDL_PollEvent(&ev) != 0 : SDL_WaitEventTimeout(&ev, static_cast<int>(16 - since)) != 0;
        } else {
            // Sleep until input arrives or the next wake-up is due: an idle app draws nothing.
            auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(m_wakeAt - Clock::now()).count();
            if (m_wakeAt <= Clock::now()) wait = 1000;
            got = SDL_WaitEventTimeout(&ev, static_cast<int>(std::clamp<long long>(wait, 1, 1000))) != 0;
        }
        while (got) {
            handleEvent(ev);
            got = SDL_PollEvent(&ev) != 0;
        }
        if (m_wakeAt <= Clock::now()) m_wakeAt = Clock::now() + std::chrono::seconds(10);
        if (tick && tick()) requestRedraw(1); // a timer or new data: one frame, no input to settle
        if (m_redrawFrames > 0) { // renderFrame() counts it down
            lastFrame = Clock::now();
            renderFrame(frame);
        }
    }
}

} // namespace inloop::ui
