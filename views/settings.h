#pragma once

// Every persisted setting in one place, typed (STYLE.md): no QSettings string keys elsewhere.

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace sniper::views {

class Settings {
public:
    static QString lastProject();
    static void setLastProject(const QString &path);
    static QStringList recentProjects();          // newest first, at most 8
    static void addRecentProject(const QString &path);

    static QString language();                    // "en" or "zh_CN"; empty: the system's
    static void setLanguage(const QString &language);

    static int figureDpi();                       // PNG export resolution
    static void setFigureDpi(int dpi);
    static bool figureDoubleColumn();             // 174 mm instead of 84 mm wide
    static void setFigureDoubleColumn(bool doubleColumn);

    static QByteArray windowGeometry();
    static void setWindowGeometry(const QByteArray &geometry);
    static QByteArray windowState();
    static void setWindowState(const QByteArray &state);
};

} // namespace sniper::views
