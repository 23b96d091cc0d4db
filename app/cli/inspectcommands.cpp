// sniper inspect | features | convert | check

#include "cli/commands.h"
#include "common/error.h"
#include "features/inspect.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>

namespace sniper::cli {

namespace {

struct ShapeArgs {
    std::string inputShape;
    std::vector<std::string> dims;
    int64_t batch = 1;

    void add(CLI::App *cmd)
    {
        cmd->add_option("--input-shape", inputShape, "shape of the (first) input, e.g. 1x3x224x224");
        cmd->add_option("--dim", dims, "value of a symbolic dimension, NAME=VALUE (repeatable)");
        cmd->add_option("--batch", batch, "value of a symbolic first (batch) dimension")->check(CLI::PositiveNumber);
    }

    onnx::ImportOptions options() const
    {
        onnx::ImportOptions o;
        o.defaultBatch = batch;
        if (!inputShape.empty())
            o.inputShapes[""] = onnx::parseShape(inputShape);
        for (const std::string &d : dims) {
            auto eq = d.find('=');
            if (eq == std::string::npos || eq == 0)
                throw Error("--dim expects NAME=VALUE, got '" + d + "'");
            try {
                o.dimValues[d.substr(0, eq)] = std::stoll(d.substr(eq + 1));
            } catch (...) {
                throw Error("--dim " + d + ": '" + d.substr(eq + 1) + "' is not a number");
            }
        }
        return o;
    }
};

struct FeatureArgs {
    int64_t smallMacs = features::FeatureOptions{}.smallMacs;
    int64_t largeMacs = features::FeatureOptions{}.largeMacs;
    void add(CLI::App *cmd)
    {
        cmd->add_option("--small-macs", smallMacs, "Structure Checker: networks below this many MACs are small");
        cmd->add_option("--large-macs", largeMacs, "Structure Checker: networks from this many MACs are large");
    }
    features::FeatureOptions options() const { return {smallMacs, largeMacs}; }
};

} // namespace

void addInspectCommands(CLI::App &app, int &code)
{
    {
        auto *cmd = app.add_subcommand("inspect", "print nodes, parameters, MACs, critical path and every NNS feature");
        auto model = std::make_shared<std::string>();
        auto json = std::make_shared<bool>(false);
        auto brief = std::make_shared<bool>(false);
        auto shape = std::make_shared<ShapeArgs>();
        auto feat = std::make_shared<FeatureArgs>();
        cmd->add_option("MODEL", *model, "ONNX model file")->required();
        cmd->add_flag("--json", *json, "print the report as JSON");
        cmd->add_flag("--brief", *brief, "leave out the per-node table");
        shape->add(cmd);
        feat->add(cmd);
        cmd->callback([=, &code] {
            auto report = features::inspectModel(*model, shape->options(), feat->options());
            if (*json)
                std::cout << features::reportToJson(report, !*brief).dump(2) << "\n";
            else
                features::printReport(report, std::cout, !*brief);
            code = 0;
        });
    }
    {
        auto *cmd = app.add_subcommand("features", "NNS features of every .onnx file in a folder, as CSV");
        auto dir = std::make_shared<std::string>();
        auto csv = std::make_shared<std::string>();
        auto shape = std::make_shared<ShapeArgs>();
        auto feat = std::make_shared<FeatureArgs>();
        cmd->add_option("DIR", *dir, "folder of ONNX models")->required();
        cmd->add_option("--csv", *csv, "output CSV file (default: standard output)");
        shape->add(cmd);
        feat->add(cmd);
        cmd->callback([=, &code] {
            auto rows = features::featuresOfFolder(*dir, shape->options(), feat->options(),
                                                   [](size_t done, size_t total, const std::string &file) {
                                                       std::cerr << "[" << done + 1 << "/" << total << "] " << file << "\n";
                                                       return true;
                                                   });
            for (const auto &e : rows.errors)
                std::cerr << "error: " << e << "\n";
            if (csv->empty()) {
                features::writeFeaturesCsv(rows, std::cout);
            } else {
                std::ofstream out(*csv);
                if (!out)
                    throw Error("cannot open the file for writing", *csv);
                features::writeFeaturesCsv(rows, out);
                std::cerr << rows.files.size() << " models written to " << *csv << "\n";
            }
            code = rows.errors.empty() ? 0 : 2;
        });
    }
    {
        auto *cmd = app.add_subcommand("convert", "import a model and export it again (constant-folded, static shapes)");
        auto in = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        auto shape = std::make_shared<ShapeArgs>();
        auto zeroFill = std::make_shared<bool>(false);
        cmd->add_option("INPUT", *in, "ONNX model file")->required();
        cmd->add_option("OUTPUT", *out, "ONNX file to write")->required();
        cmd->add_flag("--zero-fill", *zeroFill, "write zeros for weights a structure-only model lacks");
        shape->add(cmd);
        cmd->callback([=, &code] {
            auto g = onnx::importOnnxFile(*in, shape->options());
            onnx::ExportOptions eo;
            eo.zeroFillMissingData = *zeroFill;
            onnx::exportOnnxFile(g, *out, eo);
            std::cerr << "wrote " << *out << "\n";
            code = 0;
        });
    }
    {
        auto *cmd = app.add_subcommand("check", "run onnx::checker (with strict shape inference) on model files");
        auto files = std::make_shared<std::vector<std::string>>();
        cmd->add_option("FILES", *files, "ONNX model files")->required();
        cmd->callback([=, &code] {
            code = 0;
            for (const auto &f : *files) {
                try {
                    onnx::checkOnnxFile(f);
                    std::cout << "ok " << f << "\n";
                } catch (const Error &e) {
                    std::cerr << "error: " << e.what() << "\n";
                    code = 1;
                }
            }
        });
    }
}

} // namespace sniper::cli
