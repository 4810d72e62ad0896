// Idle CPU and peak memory of the real apps (see process_bench.hpp).
//
// [SECTION] child processes and /proc
// [SECTION] an X server of our own
// [SECTION] 5. and 6. idle CPU and peak RSS
// [SECTION] the baseline app
#include "process_bench.hpp"

#include "ui/app.hpp"

#include <imgui.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace inloop::bench {

// [SECTION] child processes and /proc
namespace {
struct Child {
    std::string name;   // kiosk | desk | baseline
    std::string suffix; // "" under SDL's dummy driver, "_x11" under Xvfb
    fs::path exe;
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env;
    fs::path log;
    pid_t pid = -1;
    double cpu0 = 0, cpu1 = 0; // seconds of utime + stime
    double t0 = 0, t1 = 0;     // wall ms
    double hwmMb = 0;
    std::string problem;
    pid_t helper = -1;                   // the kiosk's inloop-speak (read aloud), once it has started it
    double helperCpu0 = -1, helperCpu1 = -1;
};

void start(Child& c) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(c.exe.c_str()));
    for (auto& a : c.args) argv.push_back(a.data());
    argv.push_back(nullptr);
    c.pid = fork();
    if (c.pid < 0) throw std::runtime_error("fork failed");
    if (c.pid == 0) {
        for (const auto& [name, value] : c.env) setenv(name.c_str(), value.c_str(), 1);
        const int fd = ::open(c.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(argv[0], argv.data());
        std::fprintf(stderr, "cannot start %s: %s\n", argv[0], std::strerror(errno));
        _exit(127);
    }
}

bool alive(pid_t pid) {
    int status = 0;
    return waitpid(pid, &status, WNOHANG) == 0;
}

// utime + stime of every thread of the process, in seconds (/proc/<pid>/stat fields 14 and 15).
double cpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t paren = all.rfind(')');
    if (paren == std::string::npos) return -1;
    std::istringstream fields(all.substr(paren + 2));
    std::string f;
    double utime = 0, stime = 0;
    for (int i = 3; fields >> f; ++i) { // field 3 is the state
        if (i == 14) utime = std::stod(f);
        if (i == 15) {
            stime = std::stod(f);
            break;
        }
    }
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// A child process of `parent` by its name (/proc/<pid>/stat: "pid (comm) state ppid …"); -1 when there is none.
pid_t childNamed(pid_t parent, const std::string& comm) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const size_t open = all.find('('), close = all.rfind(')');
        if (open == std::string::npos || close == std::string::npos || close + 4 > all.size()) continue;
        std::istringstream rest(all.substr(close + 2));
        std::string state;
        pid_t ppid = -1;
        if (rest >> state >> ppid && ppid == parent && all.substr(open + 1, close - open - 1) == comm)
            return static_cast<pid_t>(std::stoi(name));
    }
    return -1;
}

// Peak resident set size (VmHWM), in MB.
double peakRssMb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0; // kB
    return -1;
}

void stop(Child& c) {
    if (c.pid <= 0) return;
    kill(c.pid, SIGTERM); // SDL turns it into SDL_QUIT: the app closes as if the window were closed
    for (int i = 0; i < 100; ++i) {
        int status = 0;
        if (waitpid(c.pid, &status, WNOHANG) == c.pid) {
            c.pid = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(c.pid, SIGKILL);
    waitpid(c.pid, nullptr, 0);
    c.pid = -1;
}

std::string tail(const fs::path& log) {
    std::ifstream in(log);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (all.size() > 300) all = "…" + all.substr(all.size() - 300);
    while (!all.empty() && (all.back() == '\n' || all.back() == ' ')) all.pop_back();
    return all;
}
// [SECTION] an X server of our own
// An X server of our own (Xvfb), for the idle figures with a real event wait: SDL's dummy driver has no way to
// sleep until input and polls every millisecond instead (SDL_WaitEventTimeout falls back to SDL_Delay(1)).
struct XServer {
    pid_t pid = -1;
    std::string display; // ":N"
    std::string problem;
};

std::optional<fs::path> inPath(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');)
        if (!dir.empty() && access((fs::path(dir) / program).c_str(), X_OK) == 0) return fs::path(dir) / program;
    return std::nullopt;
}

XServer startXvfb() {
    XServer x;
    const auto exe = inPath("Xvfb");
    if (!exe) {
        x.problem = "Xvfb is not installed";
        return x;
    }
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    x.pid = fork();
    if (x.pid < 0) throw std::runtime_error("fork failed");
    if (x.pid == 0) {
        close(fds[0]);
        const int null = ::open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        const std::string fd = std::to_string(fds[1]);
        execl(exe->c_str(), "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    std::string number;
    pollfd p{fds[0], POLLIN, 0};
    const double deadline = wallMs() + 10000;
    while (wallMs() < deadline && poll(&p, 1, 200) >= 0) {
        char ch;
        if (!(p.revents & (POLLIN | POLLHUP))) continue;
        if (::read(fds[0], &ch, 1) != 1 || ch == '\n') break;
        number += ch;
    }
    close(fds[0]);
    if (number.empty()) {
        x.problem = "Xvfb did not start";
        kill(x.pid, SIGTERM);
        waitpid(x.pid, nullptr, 0);
        x.pid = -1;
    } else {
        x.display = ":" + number;
    }
    return x;
}
} // namespace

// [SECTION] 5. and 6. idle CPU and peak RSS
void measureIdle(const Settings& settings, const Paths& paths, Results& results) {
    const std::string data = paths.demo.string();
    XServer x = startXvfb();
    std::vector<Child> children;
    const auto add = [&](const std::string& name, const fs::path& exe, const std::vector<std::string>& args) {
        Child c;
        c.name = name;
        c.exe = exe;
        c.args = args;
        c.env = {{"SDL_VIDEODRIVER", "dummy"}, {"SDL_AUDIODRIVER", "dummy"}};
        c.log = paths.temp / (name + ".log");
        children.push_back(c);
        if (x.pid <= 0) return;
        c.suffix = "_x11";
        c.env = {{"SDL_VIDEODRIVER", "x11"}, {"SDL_AUDIODRIVER", "dummy"}, {"DISPLAY", x.display}};
        c.log = paths.temp / (name + "_x11.log");
        children.push_back(c);
    };
    add("kiosk", paths.binDir / "inloop-kiosk", {"--data-dir", data});
    add("desk", paths.binDir / "inloop-frontdesk", {"--data-dir", data});
    add("baseline", fs::read_symlink("/proc/self/exe"), {"--idle-baseline"});
    std::fflush(nullptr);
    for (Child& c : children) {
        if (!fs::exists(c.exe)) {
            c.problem = c.exe.string() + " is not built";
            continue;
        }
        start(c);
    }
    // All at once: they are idle, so they do not disturb each other once started.
    std::this_thread::sleep_for(std::chrono::duration<double>(settings.idleWarmSeconds));
    for (Child& c : children) {
        if (c.pid < 0) continue;
        if (!alive(c.pid)) {
            c.problem = c.exe.filename().string() + " exited early: " + tail(c.log);
            c.pid = -1;
            continue;
        }
        c.cpu0 = cpuSeconds(c.pid);
        if (c.name == "kiosk") { // read aloud's helper: started at the kiosk's start, espeak-ng loaded, waiting
            c.helper = childNamed(c.pid, "inloop-speak");
            if (c.helper > 0) c.helperCpu0 = cpuSeconds(c.helper);
        }
        c.t0 = wallMs();
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(settings.idleSeconds));
    for (Child& c : children) {
        if (c.pid < 0) continue;
        c.cpu1 = cpuSeconds(c.pid);
        if (c.helper > 0) c.helperCpu1 = cpuSeconds(c.helper);
        c.t1 = wallMs();
        c.hwmMb = peakRssMb(c.pid);
        if (!alive(c.pid)) c.problem = c.exe.filename().string() + " exited during the idle window: " + tail(c.log);
    }
    for (Child& c : children) stop(c);
    if (x.pid > 0) {
        kill(x.pid, SIGTERM);
        waitpid(x.pid, nullptr, 0);
    } else {
        results.note("idle_x11", x.problem);
    }

    for (const Child& c : children) {
        const bool base = c.name == "baseline";
        const std::string idleKey = base ? "baseline_idle_cpu" + c.suffix : "idle_cpu_" + c.name + c.suffix;
        const std::string rssKey = base ? "baseline_rss" + c.suffix + "_mb" : "rss_" + c.name + c.suffix + "_mb";
        if (!c.problem.empty() || c.t1 <= c.t0 || c.cpu0 < 0 || c.cpu1 < 0 || c.hwmMb < 0) {
            const std::string why = c.problem.empty() ? "could not read /proc for " + c.name : c.problem;
            results.unmeasured(idleKey, why);
            results.unmeasured(rssKey, why);
            continue;
        }
        results.set(idleKey, (c.cpu1 - c.cpu0) / ((c.t1 - c.t0) / 1000.0));
        results.set(rssKey, c.hwmMb);
        if (c.name != "kiosk") continue;
        const std::string speakKey = "idle_cpu_kiosk_speak" + c.suffix;
        if (c.helperCpu0 < 0 || c.helperCpu1 < 0)
            results.unmeasured(speakKey, "the kiosk had no inloop-speak running (no audio device, or not built)");
        else
            results.set(speakKey, (c.helperCpu1 - c.helperCpu0) / ((c.t1 - c.t0) / 1000.0));
    }
    results.set("idle_seconds", settings.idleSeconds);
}

// [SECTION] the baseline app
int runIdleBaseline() {
    try {
        ui::App app(ui::AppOptions{"baseline", 1280, 800, false, false});
        ImGui::GetIO().Fonts->AddFontDefault();
        app.run(
            [] {
                ImGui::SetNextWindowPos(ImVec2(0, 0));
                ImGui::Begin("baseline");
                ImGui::TextUnformatted("Inloop");
                ImGui::End();
            },
            [] { return false; });
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "inloop-bench --idle-baseline: %s\n", e.what());
        return 1;
    }
}

} // namespace inloop::bench
