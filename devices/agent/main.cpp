// sniper-agent (SPEC §9): runs on a board, measures the ONNX models of a folder on one local
// platform and prints one JSON line per event. Links sniper_base (OpenCV dnn) only and loads
// LibTorch as a plugin: no Qt, no SQLite (agentruntime.h).

#include "agentprotocol.h"
#include "agentruntime.h"

#include "common/error.h"
#include "onnx/onnximport.h"
#include "runtime/protocol.h"
#include "runtime/retryqueue.h"
#include "runtime/runtime.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace sniper;

namespace {

int usage()
{
    std::fprintf(stderr,
        "usage: sniper-agent --version\n"
        "       sniper-agent platforms\n"
        "       sniper-agent run --models DIR --platform P --protocol FILE [--done FILE]\n");
    return 2;
}

// A line is flushed at once: the workbench commits each result as it arrives. A closed pipe
// (the workbench went away) ends the agent.
void emit(const agent::AgentEvent &e)
{
    const std::string line = agent::eventToLine(e) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size() || std::fflush(stdout) != 0)
        std::exit(3);
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read the file", path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int platforms()
{
    const auto ids = agent::agentPlatformIds();
    if (std::none_of(ids.begin(), ids.end(), [](const std::string &id) { return id.rfind("torch-", 0) == 0; }))
        std::fprintf(stderr, "sniper-agent: no torch-cpu platforms: the LibTorch runtime plugin is %s\n",
                     agent::torchPluginStatus().c_str());
    for (const auto &id : ids) {
        auto rt = agent::createAgentRuntime(id);
        std::printf(
            "%s\n", nlohmann::json({ { "id", id }, { "description", rt->info().description() } }).dump().c_str());
    }
    return 0;
}

int run(const std::string &modelsDir, const std::string &platform, const std::string &protocolFile,
    const std::string &doneFile)
{
    agent::RunRequest request = agent::requestFromJson(nlohmann::json::parse(readFile(protocolFile)));
    std::set<std::string> done;
    if (!doneFile.empty()) {
        std::ifstream in(doneFile);
        for (std::string line; std::getline(in, line);)
            if (!line.empty())
                done.insert(line);
    }
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(modelsDir))
        if (entry.is_regular_file() && entry.path().extension() == ".onnx")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    auto rt = agent::createAgentRuntime(platform);

    agent::AgentEvent started;
    started.kind = agent::AgentEvent::Kind::Started;
    started.platform = platform;
    started.message = rt->info().description();
    started.total = int64_t(files.size());
    emit(started);
    // The contention gate (docs/runtime.md): the reference probe runs on this board's runtime,
    // calibrated once; a contended model is retried after the others (runtime/retryqueue.h).
    std::unique_ptr<runtime::ContentionProbe> probe; // null: this runtime cannot run the reference kernel
    if (request.protocol.gate)
        probe = runtime::calibratedProbe(*rt, platform);
    runtime::RetryQueue<std::pair<int64_t, fs::path>> queue(request.protocol);
    int64_t index = 0, measured = 0;
    for (const auto &file : files) {
        ++index;
        if (!done.count(file.stem().string()))
            queue.push({index, file});
    }
    while (auto entry = queue.next()) {
        const auto &[position, file] = entry->item;
        const std::string stem = file.stem().string();
        agent::AgentEvent progress;
        progress.kind = agent::AgentEvent::Kind::Progress;
        progress.model = stem;
        progress.platform = platform;
        progress.index = position;
        progress.total = int64_t(files.size());
        emit(progress);
        agent::AgentEvent e;
        e.model = stem;
        e.platform = platform;
        try {
            onnx::ImportOptions options;
            options.defaultBatch = request.protocol.batch;
            auto shape = request.inputShapes.find(stem);
            if (shape != request.inputShapes.end() && !shape->second.empty()) {
                graph::Shape s = shape->second;
                s[0] = request.protocol.batch;
                options.inputShapes[""] = s;
            }
            graph::Graph g = onnx::importOnnxFile(file.string(), options);
            runtime::Measurement m = runtime::measureGraph(*rt, g, request.protocol, request.seed, {}, probe.get());
            if (queue.defer(*entry, m))
                continue;
            m.platform = platform;
            e.kind = m.status == runtime::MeasurementStatus::Unsupported ? agent::AgentEvent::Kind::Unsupported
                : m.status == runtime::MeasurementStatus::Ok             ? agent::AgentEvent::Kind::Result
                                                                         : agent::AgentEvent::Kind::Error;
            e.message = m.message;
            e.measurement = m;
            measured += m.status == runtime::MeasurementStatus::Ok;
        } catch (const std::exception &ex) {
            e.kind = agent::AgentEvent::Kind::Error;
            e.message = ex.what();
        }
        emit(e);
    }
    agent::AgentEvent finished;
    finished.kind = agent::AgentEvent::Kind::Done;
    finished.platform = platform;
    finished.index = measured;
    finished.total = int64_t(files.size());
    emit(finished);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN); // a failed write ends the run with exit code 3 instead
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty())
        return usage();
    try {
        if (args[0] == "--version") {
            std::printf("sniper-agent %s\n", agent::agentVersion());
            return 0;
        }
        if (args[0] == "platforms")
            return platforms();
        if (args[0] == "run") {
            std::string models, platform, protocol, done;
            for (size_t i = 1; i < args.size(); ++i) {
                auto value = [&]() -> std::string {
                    if (i + 1 >= args.size())
                        throw Error("missing value after " + args[i]);
                    return args[++i];
                };
                if (args[i] == "--models")
                    models = value();
                else if (args[i] == "--platform")
                    platform = value();
                else if (args[i] == "--protocol")
                    protocol = value();
                else if (args[i] == "--done")
                    done = value();
                else
                    throw Error("unknown option '" + args[i] + "'");
            }
            if (models.empty() || platform.empty() || protocol.empty())
                return usage();
            return run(models, platform, protocol, done);
        }
        return usage();
    } catch (const std::exception &e) {
        agent::AgentEvent err;
        err.kind = agent::AgentEvent::Kind::Error;
        err.message = e.what();
        std::printf("%s\n", agent::eventToLine(err).c_str());
        std::fprintf(stderr, "sniper-agent: %s\n", e.what());
        return 1;
    }
}
