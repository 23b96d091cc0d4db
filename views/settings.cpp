#include "settings.h"

#include <QSettings>

namespace sniper::views {

namespace {
// The keys, once.
const QString kLastProject = QStringLiteral("project/last");
const QString kRecentProjects = QStringLiteral("project/recent");
const QString kLanguage = QStringLiteral("ui/language");
const QString kFigureDpi = QStringLiteral("figures/dpi");
const QString kFigureDoubleColumn = QStringLiteral("figures/doubleColumn");
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
constexpr int kMaxRecent = 8;
} // namespace

QString Settings::lastProject() { return QSettings().value(kLastProject).toString(); }
void Settings::setLastProject(const QString &path) { QSettings().setValue(kLastProject, path); }

QStringList Settings::recentProjects() { return QSettings().value(kRecentProjects).toStringList(); }

void Settings::addRecentProject(const QString &path)
{
    QStringList recent = recentProjects();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(kRecentProjects, recent);
}

QString Settings::language() { return QSettings().value(kLanguage).toString(); }
void Settings::setLanguage(const QString &language) { QSettings().setValue(kLanguage, language); }

int Settings::figureDpi() { return QSettings().value(kFigureDpi, 300).toInt(); }
void Settings::setFigureDpi(int dpi) { QSettings().setValue(kFigureDpi, dpi); }
bool Settings::figureDoubleColumn() { return QSettings().value(kFigureDoubleColumn, false).toBool(); }
void Settings::setFigureDoubleColumn(bool doubleColumn) { QSettings().setValue(kFigureDoubleColumn, doubleColumn); }

QByteArray Settings::windowGeometry() { return QSettings().value(kGeometry).toByteArray(); }
void Settings::setWindowGeometry(const QByteArray &geometry) { QSettings().setValue(kGeometry, geometry); }
QByteArray Settings::windowState() { return QSettings().value(kState).toByteArray(); }
void Settings::setWindowState(const QByteArray &state) { QSettings().setValue(kState, state); }

} // namespace sniper::views
