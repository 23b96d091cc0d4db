#pragma once

// Each file in app/cli registers the subcommands of one area; the work is done by library calls.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sniper::cli {

// Returns the exit code through `code` when a registered subcommand ran.
void addInspectCommands(CLI::App &app, int &code);
void addProjectCommands(CLI::App &app, int &code);
void addFigureCommands(CLI::App &app, int &code); // when built with the GUI
// Converts SVG figures (FILE.svg) to FILE.<format> for each format ("png", "pdf"); GUI builds only.
std::vector<std::string> convertFigures(const std::vector<std::string> &svgs, const std::vector<std::string> &formats);
void addPartitionCommands(CLI::App &app, int &code);
void addDeviceCommands(CLI::App &app, int &code);
void addScheduleCommands(CLI::App &app, int &code);
void addPredictCommands(CLI::App &app, int &code);
void addModuleCommands(CLI::App &app, int &code);

} // namespace sniper::cli
