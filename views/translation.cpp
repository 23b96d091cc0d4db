#include "translation.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace sniper::views {

namespace {
QTranslator *g_own = nullptr;
QTranslator *g_qt = nullptr;

void drop(QTranslator *&t)
{
    if (!t)
        return;
    QCoreApplication::removeTranslator(t);
    delete t;
    t = nullptr;
}
} // namespace

QStringList availableLanguages() { return {QStringLiteral("en"), QStringLiteral("zh_CN")}; }

QString languageName(const QString &language)
{
    if (language == QLatin1String("zh_CN"))
        return QStringLiteral("简体中文");
    return QStringLiteral("English");
}

QString installTranslators(const QString &language)
{
    drop(g_own);
    drop(g_qt);
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    auto own = new QTranslator;
    // Looks for :/i18n/sniper_zh_CN.qm, then sniper_zh.qm, ... for the locale's UI languages.
    if (!own->load(locale, QStringLiteral("sniper"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete own;
        return QStringLiteral("en");
    }
    g_own = own;
    QCoreApplication::installTranslator(g_own);
    auto qt = new QTranslator;
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        g_qt = qt;
        QCoreApplication::installTranslator(g_qt);
    } else {
        delete qt;
    }
    return locale.name();
}

} // namespace sniper::views
