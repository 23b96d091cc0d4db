// sniper device add | list | test | trust | deploy | profile | remove: remote boards over SSH.

#include "cli/commands.h"

#include "common/error.h"
#include "database.h"
#include "defaultproject.h"
#include "devicerepo.h"
#include "measurements.h"
#include "models.h"
#include "remotecampaign.h"
#include "ssh.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

namespace sniper::cli {

namespace {

std::atomic<bool> g_cancel { false };
void onSignal(int)
{
    g_cancel = true;
}

// Asks on the terminal without echo; the answer lives only in this call's caller.
std::string askSecret(const std::string &prompt)
{
    std::cerr << prompt << ": " << std::flush;
    termios old {};
    const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return line;
}

std::string defaultAgentBinary()
{
    if (const char *env = std::getenv("SNIPER_AGENT"))
        return env;
    // Next to this program (build/app/sniper → build/devices/sniper-agent, or an install's bin/).
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
    for (auto candidate : { self / "sniper-agent", self.parent_path() / "devices" / "sniper-agent" })
        if (std::filesystem::exists(candidate))
            return candidate.string();
    return SNIPER_AGENT_PATH;
}

struct Common {
    std::string db = db::defaultProjectPath();
    std::string knownHosts = devices::defaultKnownHostsFile();
    std::string agent;
    int timeout = 10;
};

void addCommon(CLI::App *cmd, Common &c)
{
    cmd->add_option("--db", c.db, "project database (default: the default project)");
    cmd->add_option("--known-hosts", c.knownHosts, "the workbench's known_hosts file");
    cmd->add_option("--timeout", c.timeout, "connect timeout in seconds")->check(CLI::PositiveNumber);
}

db::DeviceRecord requireDevice(db::Database &project, const std::string &name)
{
    auto d = db::DeviceRepository(project).find(name);
    if (!d)
        throw Error("no device named '" + name + "' (sniper device list)", project.path());
    return *d;
}

devices::DeviceRunOptions runOptions(const Common &c)
{
    devices::DeviceRunOptions o;
    o.knownHostsFile = c.knownHosts;
    o.agentBinary = c.agent.empty() ? defaultAgentBinary() : c.agent;
    o.timeoutSeconds = c.timeout;
    o.secret = askSecret;
    return o;
}

} // namespace

void addDeviceCommands(CLI::App &app, int &code)
{
    auto *device = app.add_subcommand("device", "remote boards reached over SSH (sniper-agent)");
    device->require_subcommand(1);
    {
        auto *cmd = device->add_subcommand("add", "record a board: host, port, user, authentication, work dir");
        auto c = std::make_shared<Common>();
        auto d = std::make_shared<db::DeviceRecord>();
        addCommon(cmd, *c);
        cmd->add_option("name", d->name, "device name")->required();
        cmd->add_option("--host", d->host, "host name or address")->required();
        cmd->add_option("--port", d->port, "SSH port")->check(CLI::Range(1, 65535));
        cmd->add_option("--user", d->user, "login user")->required();
        cmd->add_option("--auth", d->auth, "key, agent or password (asked each time, never stored)")
            ->check(CLI::IsMember({ "key", "agent", "password" }));
        cmd->add_option("--key", d->keyFile, "private key file (--auth key)");
        cmd->add_option("--work-dir", d->workDir, "folder on the board for the agent and models")->required();
        cmd->add_option("--platforms", d->platforms, "agent platforms to profile on (see sniper device test)")
            ->delimiter(',');
        cmd->callback([=, &code] {
            db::Database project = db::openProject(c->db);
            if (!d->keyFile.empty())
                d->keyFile = std::filesystem::absolute(d->keyFile).string();
            db::DeviceRepository(project).add(*d);
            std::cout << "added device '" << d->name << "'; next: sniper device trust " << d->name << "\n";
            code = 0;
        });
    }
    {
        auto *cmd = device->add_subcommand("list", "the project's boards");
        auto c = std::make_shared<Common>();
        addCommon(cmd, *c);
        cmd->callback([=, &code] {
            db::Database project = db::openProject(c->db);
            for (const auto &d : db::DeviceRepository(project).list()) {
                std::string platforms;
                for (const auto &p : d.platforms)
                    platforms += (platforms.empty() ? "" : ",") + p;
                std::cout << d.name << "\t" << d.user << "@" << d.host << ":" << d.port << "\t" << d.auth << "\t"
                          << d.workDir << "\t" << platforms << "\n";
            }
            code = 0;
        });
    }
    {
        auto *cmd = device->add_subcommand("trust", "show the board's host key and record it after you confirm it");
        auto c = std::make_shared<Common>();
        auto name = std::make_shared<std::string>();
        auto fingerprint = std::make_shared<std::string>();
        addCommon(cmd, *c);
        cmd->add_option("name", *name, "device name")->required();
        cmd->add_option("--fingerprint", *fingerprint,
            "the SHA256:... fingerprint you checked on the board (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)");
        cmd->callback([=, &code] {
            db::Database project = db::openProject(c->db);
            const db::DeviceRecord d = requireDevice(project, *name);
            try {
                const std::string key = devices::trustDevice(d, c->knownHosts, *fingerprint, askSecret, c->timeout);
                std::cout << "trusted " << d.user << "@" << d.host << ":" << d.port << " with host key " << key << "\n";
                code = 0;
            } catch (const devices::HostKeyUnknownError &e) {
                std::cout << "host key of " << *name << ": " << e.fingerprint() << "\n";
                if (!fingerprint->empty())
                    throw Error(
                        "the host presented " + e.fingerprint() + ", not " + *fingerprint + "; nothing recorded");
                std::cout << "check it on the board, then: sniper device trust " << *name << " --fingerprint "
                          << e.fingerprint() << "\n";
                code = 3;
            }
        });
    }
    {
        auto *cmd = device->add_subcommand("test", "connect, authenticate and list what the board's agent can run");
        auto c = std::make_shared<Common>();
        auto name = std::make_shared<std::string>();
        addCommon(cmd, *c);
        cmd->add_option("name", *name, "device name")->required();
        cmd->callback([=, &code] {
            db::Database project = db::openProject(c->db);
            db::DeviceRecord d = requireDevice(project, *name);
            const devices::DeviceProbe probe = devices::testDevice(d, c->knownHosts, askSecret, c->timeout);
            std::cout << "connected to " << probe.where << " (host key " << probe.fingerprint << ")\n";
            if (!probe.agentFound)
                std::cout << "no working agent in " << d.workDir << " yet (sniper device deploy " << *name << ")\n";
            std::cout << probe.platformsOutput;
            code = 0;
        });
    }
    {
        auto *cmd = device->add_subcommand("deploy", "upload the agent and models (files already there are skipped)");
        auto c = std::make_shared<Common>();
        auto name = std::make_shared<std::string>();
        auto models = std::make_shared<std::vector<int64_t>>();
        addCommon(cmd, *c);
        cmd->add_option("name", *name, "device name")->required();
        cmd->add_option("--models", *models, "model ids (default: none, only the agent)")->delimiter(',');
        cmd->add_option("--agent", c->agent, "the sniper-agent binary built for the board");
        cmd->callback([=, &code] {
            db::Database project = db::openProject(c->db);
            auto [uploaded, skipped] = devices::deployToDevice(project, *name, *models, runOptions(*c));
            std::cout << uploaded << " file(s) uploaded, " << skipped << " already there\n";
            code = 0;
        });
    }
    {
        auto *cmd = device->add_subcommand("profile", "measure models on one or more boards (resumable)");
        auto c = std::make_shared<Common>();
        auto names = std::make_shared<std::vector<std::string>>();
        auto spec = std::make_shared<devices::DeviceCampaignSpec>();
        auto resume = std::make_shared<bool>(false);
        auto jsonLines = std::make_shared<bool>(false);
        addCommon(cmd, *c);
        cmd->add_option("names", *names, "device names (several run in parallel)");
        cmd->add_option("--platforms", spec->platforms, "agent platforms (default: the device's)")->delimiter(',');
        cmd->add_option("--models", spec->modelIds, "model ids (default: every model)")->delimiter(',');
        cmd->add_option("--batch", spec->protocol.batch, "batch size")->check(CLI::PositiveNumber);
        cmd->add_option("--warmup", spec->protocol.warmupRuns, "warm-up runs")->check(CLI::NonNegativeNumber);
        cmd->add_option("--min-runs", spec->protocol.minRuns, "minimum timed runs")->check(CLI::PositiveNumber);
        cmd->add_option("--max-runs", spec->protocol.maxRuns, "maximum timed runs")->check(CLI::PositiveNumber);
        cmd->add_option("--max-seconds", spec->protocol.maxSeconds, "time cap per measurement")
            ->check(CLI::PositiveNumber);
        cmd->add_option("--agent", c->agent, "the sniper-agent binary built for the board");
        cmd->add_flag("--resume", *resume, "continue the last unfinished device campaign");
        cmd->add_flag("--json-lines", *jsonLines, "print one JSON line per event on standard output");
        cmd->callback([=, &code] {
            db::Database project = db::openProject(c->db);
            std::vector<int64_t> runIds;
            if (*resume) {
                auto unfinished = devices::unfinishedDeviceCampaign(project);
                if (!unfinished)
                    throw Error("there is no unfinished device campaign to resume in " + project.path());
                runIds.push_back(*unfinished);
            } else {
                if (names->empty())
                    throw Error("name at least one device (sniper device list)");
                for (const auto &n : *names) {
                    devices::DeviceCampaignSpec s = *spec;
                    s.device = n;
                    runIds.push_back(devices::createDeviceCampaign(project, s));
                }
            }
            std::signal(SIGINT, onSignal);
            std::signal(SIGTERM, onSignal);
            auto results = devices::runDeviceCampaigns(
                project, runIds, runOptions(*c),
                [&](const devices::DeviceCampaignEvent &e) {
                    using K = devices::DeviceCampaignEvent::Kind;
                    static const char *names[] = { "connected", "deployed", "result", "reconnecting", "finished" };
                    if (*jsonLines) {
                        nlohmann::json j = { { "event", names[int(e.kind)] }, { "run", e.runId },
                            { "device", e.device }, { "done", e.done }, { "total", e.total } };
                        if (e.kind == K::Result) {
                            j["model"] = e.modelId;
                            j["platform"] = e.platform;
                            j["status"] = db::statusName(e.measurement->status);
                            j["median_ms"] = e.measurement->stats.medianMs;
                        }
                        if (!e.message.empty())
                            j["message"] = e.message;
                        std::cout << j.dump() << std::endl;
                    } else if (e.kind == K::Result) {
                        std::cerr << "[" << e.device << " " << e.done << "/" << e.total << "] " << e.modelName << " on "
                                  << e.platform << ": " << db::statusName(e.measurement->status) << " "
                                  << e.measurement->stats.medianMs << " ms\n";
                    } else if (e.kind == K::Reconnecting) {
                        std::cerr << "[" << e.device << "] connection lost, reconnecting: " << e.message << "\n";
                    }
                },
                &g_cancel);
            code = 0;
            for (const auto &r : results) {
                std::cerr << r.device << ": run " << r.runId << ", " << r.measured << " measured, " << r.unsupported
                          << " unsupported, " << r.failed << " failed" << (r.cancelled ? ", cancelled" : "") << "\n";
                if (!r.error.empty()) {
                    std::cerr << r.device << ": " << r.error << "\n";
                    code = 1;
                }
                if (r.cancelled)
                    code = 130;
            }
        });
    }
    {
        auto *cmd = device->add_subcommand("remove", "forget a board (its measurements stay)");
        auto c = std::make_shared<Common>();
        auto name = std::make_shared<std::string>();
        addCommon(cmd, *c);
        cmd->add_option("name", *name, "device name")->required();
        cmd->callback([=, &code] {
            db::Database project = db::openProject(c->db);
            if (!db::DeviceRepository(project).remove(*name))
                throw Error("no device named '" + *name + "'", project.path());
            code = 0;
        });
    }
}

} // namespace sniper::cli
