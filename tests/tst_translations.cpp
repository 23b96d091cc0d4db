// The Chinese UI (issue 9, translations): the zh_CN catalog built into sniper_views by
// qt_add_translations translates the menus, tabs and docks, and the language is a setting.
// tools/check_translations.cmake (CTest "translations_complete") keeps the catalog complete.

#include "mainwindow.h"
#include "settings.h"
#include "translation.h"

#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QTabWidget>
#include <QtTest>

using namespace sniper;

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void menusInChinese_data();
    void menusInChinese();
    void englishIsTheSource();
    void languageIsASetting();
};

void TestTranslations::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("sniper-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_translations"));
}

static QStringList menuTitles(views::MainWindow &w)
{
    QStringList titles;
    for (QAction *a : w.menuBar()->actions())
        titles << a->text();
    return titles;
}

void TestTranslations::menusInChinese_data()
{
    QTest::addColumn<QString>("english");
    QTest::addColumn<QString>("chinese");
    QTest::addRow("file") << QStringLiteral("&File") << QStringLiteral("文件(&F)");
    QTest::addRow("view") << QStringLiteral("&View") << QStringLiteral("视图(&V)");
    QTest::addRow("help") << QStringLiteral("&Help") << QStringLiteral("帮助(&H)");
}

void TestTranslations::menusInChinese()
{
    QFETCH(QString, english);
    QFETCH(QString, chinese);
    QCOMPARE(views::installTranslators(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
    views::MainWindow w;
    const QStringList titles = menuTitles(w);
    QVERIFY2(titles.contains(chinese), qPrintable(titles.join(QLatin1Char(' '))));
    QVERIFY(!titles.contains(english));
    // Tabs, docks and menu items too.
    auto *views = w.findChild<QTabWidget *>(QStringLiteral("views"));
    QCOMPARE(views->tabText(0), QStringLiteral("模型"));
    QCOMPARE(views->tabText(1), QStringLiteral("特征"));
    QCOMPARE(w.findChild<QDockWidget *>(QStringLiteral("projectDock"))->windowTitle(), QStringLiteral("项目"));
    QCOMPARE(w.findChild<QDockWidget *>(QStringLiteral("jobsDock"))->windowTitle(), QStringLiteral("任务"));
    QStringList fileItems;
    for (QAction *a : w.menuBar()->actions().first()->menu()->actions())
        fileItems << a->text();
    QVERIFY2(fileItems.contains(QStringLiteral("打开模型(&O)...")), qPrintable(fileItems.join(QLatin1Char(' '))));
    QCOMPARE(w.windowTitle(), QStringLiteral("Sniper 工作台"));
}

void TestTranslations::englishIsTheSource()
{
    QCOMPARE(views::installTranslators(QStringLiteral("en")), QStringLiteral("en"));
    views::MainWindow w;
    QVERIFY(menuTitles(w).contains(QStringLiteral("&File")));
    QCOMPARE(w.windowTitle(), QStringLiteral("Sniper Workbench"));
}

void TestTranslations::languageIsASetting()
{
    views::Settings::setLanguage(QStringLiteral("zh_CN"));
    QCOMPARE(views::Settings::language(), QStringLiteral("zh_CN"));
    views::installTranslators(QStringLiteral("en"));
    views::MainWindow w;
    // View > Language lists both languages with the saved one checked; picking one saves it.
    auto *menu = w.findChild<QMenu *>(QStringLiteral("languageMenu"));
    QVERIFY(menu);
    QCOMPARE(menu->actions().size(), 2);
    QAction *english = nullptr;
    for (QAction *a : menu->actions()) {
        QCOMPARE(a->isChecked(), a->data().toString() == QLatin1String("zh_CN"));
        if (a->data().toString() == QLatin1String("en"))
            english = a;
    }
    QVERIFY(english);
    english->trigger();
    QCOMPARE(views::Settings::language(), QStringLiteral("en"));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
