#pragma once

// Small pieces several views share: chart set-up and comma-separated form fields.

#include <QString>
#include <QStringList>

#include <string>
#include <vector>

class QBarSet;
class QChart;
class QChartView;

namespace sniper::views {

// Replaces the view's chart with an empty one titled `title` (Qt Charts leaves stale axes behind
// when series change) and returns it.
QChart *freshChart(QChartView *view, const QString &title);

// One bar per category from `set` (taken over by the chart), value labels on the bars, a
// category x axis, a value y axis from 0 to `yMax` titled `yTitle`, no legend.
void addValueBars(QChart *chart, QBarSet *set, const QStringList &categories, double yMax, const QString &yTitle);

// "a, b,,c " -> {"a", "b", "c"}: the trimmed, non-empty items of a comma-separated field.
std::vector<std::string> splitList(const QString &text);

} // namespace sniper::views
