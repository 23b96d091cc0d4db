#include "viewutil.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QValueAxis>

namespace sniper::views {

QChart *freshChart(QChartView *view, const QString &title)
{
    auto *chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setTitle(title);
    QChart *old = view->chart();
    view->setChart(chart);
    delete old;
    return chart;
}

void addValueBars(QChart *chart, QBarSet *set, const QStringList &categories, double yMax, const QString &yTitle)
{
    auto *series = new QBarSeries;
    series->append(set);
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setLabelsPrecision(4);
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    auto *y = new QValueAxis;
    y->setRange(0, yMax);
    y->setTitleText(yTitle);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    chart->legend()->setVisible(false);
}

std::vector<std::string> splitList(const QString &text)
{
    std::vector<std::string> out;
    for (const QString &s : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString t = s.trimmed(); !t.isEmpty())
            out.push_back(t.toStdString());
    return out;
}

} // namespace sniper::views
