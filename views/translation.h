#pragma once

// The UI language: the workbench's own catalog (translations/sniper_*.ts, built into the
// binary as :/i18n/sniper_<lang>.qm by qt_add_translations) plus Qt's own strings.

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace sniper::views {

// Languages the workbench ships: "en" (the source strings) and "zh_CN".
QStringList availableLanguages();
// The language's own name for the menu ("English", "简体中文").
QString languageName(const QString &language);
// Installs the translators for `language` ("" = the system locale) on the application; returns
// the language actually installed ("en" when no catalog matches). Replaces earlier ones.
QString installTranslators(const QString &language);

} // namespace sniper::views
