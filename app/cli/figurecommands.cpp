// sniper figure convert: the shared figure module (views/figureexport) from the command line,
// so SVG figures written by sweeps and partition plans also become PNG and PDF.

#include "cli/commands.h"

#include "common/error.h"
#include "figureexport.h"

#include <CLI/CLI.hpp>

#include <QGuiApplication>

#include <cstdlib>
#include <iostream>
#include <memory>

namespace sniper::cli {

namespace {

void ensureGuiApplication()
{
    // Painting text needs a GUI application; no display is needed.
    if (QGuiApplication::instance())
        return;
    if (!std::getenv("QT_QPA_PLATFORM"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    static int argc = 1;
    static char name[] = "sniper";
    static char *argv[] = {name, nullptr};
    static QGuiApplication qt(argc, argv);
}

} // namespace

std::vector<std::string> convertFigures(const std::vector<std::string> &svgs, const std::vector<std::string> &formats)
{
    ensureGuiApplication();
    std::vector<std::string> written;
    for (const auto &svg : svgs)
        for (const auto &format : formats) {
            const std::string out = svg.substr(0, svg.size() - 4) + "." + format;
            QString error = views::convertSvgFigure(QString::fromStdString(svg), QString::fromStdString(out),
                                                    views::FigureStyle{});
            if (!error.isEmpty())
                throw Error(error.toStdString(), out);
            written.push_back(out);
        }
    return written;
}

void addFigureCommands(CLI::App &app, int &code)
{
    auto *figure = app.add_subcommand("figure", "paper-style figures: convert SVG figures to PNG/PDF");
    figure->require_subcommand(1);
    auto *convert = figure->add_subcommand("convert", "convert an SVG figure to .png, .pdf or .svg at column width");
    auto in = std::make_shared<std::string>();
    auto outs = std::make_shared<std::vector<std::string>>();
    auto dpi = std::make_shared<int>(300);
    auto doubleColumn = std::make_shared<bool>(false);
    convert->add_option("SVG", *in, "input SVG file")->required()->check(CLI::ExistingFile);
    convert->add_option("OUTPUT", *outs, "output files (.png, .pdf, .svg)")->required();
    convert->add_option("--dpi", *dpi, "PNG resolution")->check(CLI::Range(30, 2400));
    convert->add_flag("--double-column", *doubleColumn, "174 mm wide instead of 84 mm");
    convert->callback([=, &code] {
        ensureGuiApplication();
        views::FigureStyle style;
        style.dpi = *dpi;
        style.doubleColumn = *doubleColumn;
        code = 0;
        for (const auto &out : *outs) {
            QString error = views::convertSvgFigure(QString::fromStdString(*in), QString::fromStdString(out), style);
            if (!error.isEmpty())
                throw Error(error.toStdString(), out);
            std::cerr << "wrote " << out << "\n";
        }
    });
}

} // namespace sniper::cli
