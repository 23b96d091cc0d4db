// sniper: the command-line face of Sniper Workbench. Every job is a library call.

#include "cli/commands.h"
#include "common/error.h"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char **argv)
{
    CLI::App app{"Sniper Workbench command-line tool: inspect models, extract NNS features, and more"};
    app.set_version_flag("--version", std::string("sniper 0.1.0"));
    app.require_subcommand(1);
    int code = 0;
    sniper::cli::addInspectCommands(app, code);
    sniper::cli::addProjectCommands(app, code);
#ifdef SNIPER_HAS_FIGURES
    sniper::cli::addFigureCommands(app, code);
#endif
    sniper::cli::addPartitionCommands(app, code);
    sniper::cli::addDeviceCommands(app, code);
    sniper::cli::addScheduleCommands(app, code);
    sniper::cli::addPredictCommands(app, code);
    sniper::cli::addModuleCommands(app, code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e);
    } catch (const sniper::Error &e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception &e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return code;
}
