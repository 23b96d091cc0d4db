// sniper-workbench: the desktop application. It only assembles the views.

#include "mainwindow.h"
#include "screenshottour.h"
#include "settings.h"
#include "translation.h"

#include "defaultproject.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Sniper Workbench"));
    QApplication::setOrganizationName(QStringLiteral("sniper"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    sniper::views::installTranslators(sniper::views::Settings::language());
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Research workbench for DNN inference on edge devices"));
    QCommandLineOption language(QStringLiteral("language"),
                                QApplication::translate("main", "UI language for this run (en, zh_CN)."),
                                QStringLiteral("lang"));
    QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                   QApplication::translate("main", "Save a PNG of every view into <dir> and quit."),
                                   QStringLiteral("dir"));
    parser.addOption(language);
    parser.addOption(screenshots);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("model"), QApplication::translate("main", "ONNX model to open"));
    parser.process(app);
    if (parser.isSet(language))
        sniper::views::installTranslators(parser.value(language));

    sniper::views::MainWindow window;
    window.show();
    // The last project, or the default one (created from the bundled demo data on first start).
    QString project = sniper::views::Settings::lastProject();
    if (project.isEmpty() || !QFileInfo::exists(project))
        project = QString::fromStdString(sniper::db::defaultProjectPath());
    window.openProject(project);
    if (parser.isSet(screenshots))
        return sniper::views::runScreenshotTour(window, parser.value(screenshots), parser.positionalArguments());
    if (!parser.positionalArguments().isEmpty())
        window.openModel(parser.positionalArguments().constFirst());
    return app.exec();
}
