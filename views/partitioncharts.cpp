// The Partition view's figures, drawn from the current PlanComparison: f/g curves with the JPS
// cuts, makespan bars per method, the Johnson schedule's two-resource Gantt chart, the cut on the DAG.

#include "partitionview.h"
#include "viewutil.h"

#include "graphview.h"

#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <limits>

namespace sniper::views {

namespace {

const QColor kLeftCut(0x1f, 0x77, 0xb4), kRightCut(0xff, 0x7f, 0x0e), kOtherCut(0x80, 0x80, 0x80);

void addVerticalLine(QChart *chart, const QString &name, double x, double top, const QColor &color, Qt::PenStyle style)
{
    auto *line = new QLineSeries;
    line->setName(name);
    line->append(x, 0);
    line->append(x, top);
    QPen pen(color, 2, style);
    line->setPen(pen);
    chart->addSeries(line);
}

} // namespace

void PartitionView::drawCurves()
{
    QChart *chart = freshChart(m_curves, tr("Per-cut device time f and upload time g"));
    if (!m_plan)
        return;
    const auto &f = m_plan->f, &g = m_plan->g;
    auto *fs = new QLineSeries;
    fs->setName(tr("f: device time (ms)"));
    auto *gs = new QLineSeries;
    gs->setName(tr("g: upload + cloud time (ms)"));
    for (size_t c = 0; c < f.size(); ++c) {
        fs->append(double(c), f[c]);
        gs->append(double(c), g[c]);
    }
    chart->addSeries(fs);
    chart->addSeries(gs);
    // The crossing is the point: g of early cuts (the whole input) can be far above f.
    const double top = std::max(1e-3, 1.5 * *std::max_element(f.begin(), f.end()));
    const int l = cutIndex(), left = cutLeftIndex();
    if (left >= 0 && left != l)
        addVerticalLine(chart, tr("l*-1 = cut %1").arg(left), left, top, kLeftCut, Qt::DashLine);
    if (l >= 0)
        addVerticalLine(chart, tr("l* = cut %1 (%2)").arg(l).arg(cutName()), l, top, kRightCut, Qt::SolidLine);
    auto *x = new QValueAxis;
    x->setRange(0, std::max<double>(1, double(f.size()) - 1));
    x->setLabelFormat(QStringLiteral("%d"));
    x->setTickCount(int(std::min<size_t>(f.size(), 11)));
    x->setTitleText(tr("cut point (0: cloud-only, last: local-only)"));
    auto *y = new QValueAxis;
    y->setRange(0, top);
    y->setTitleText(tr("ms per job"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *s : chart->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    chart->legend()->setAlignment(Qt::AlignTop);
}

void PartitionView::drawMakespans()
{
    QChart *chart = freshChart(m_makespans, tr("Makespan of all jobs"));
    if (!m_plan)
        return;
    const char *order[] = {"JPS", "PO", "LO", "CO", "BF"};
    auto *set = new QBarSet(tr("makespan (s)"));
    QStringList categories;
    double top = 0;
    for (const char *method : order)
        if (const partition::Plan *p = m_plan->find(method)) {
            categories << QString::fromLatin1(method);
            *set << p->makespan / 1000.0;
            top = std::max(top, p->makespan / 1000.0);
        }
    addValueBars(chart, set, categories, std::max(1e-6, top * 1.1), tr("seconds"));
}

void PartitionView::drawGantt()
{
    m_gantt->clear();
    const partition::Plan *jps = m_plan ? m_plan->find("JPS") : nullptr;
    if (!jps || jps->makespan <= 0)
        return;
    constexpr double kWidth = 900, kRow = 28, kGap = 12, kLabel = 110;
    const double scale = kWidth / jps->makespan;
    const QString rows[] = {tr("computation (device)"), tr("communication (uplink)")};
    for (int r = 0; r < 2; ++r) {
        auto *label = m_gantt->addSimpleText(rows[r]);
        label->setPos(-kLabel, r * (kRow + kGap) + (kRow - label->boundingRect().height()) / 2);
    }
    QPen pen(Qt::white);
    pen.setCosmetic(true);
    for (const partition::GanttBar &b : jps->schedule.bars) {
        if (b.end <= b.start)
            continue; // local-only jobs send nothing
        const QColor color = b.cut == jps->cutRight ? kRightCut : b.cut == jps->cutLeft ? kLeftCut : kOtherCut;
        auto *item = m_gantt->addRect(QRectF(b.start * scale, b.resource * (kRow + kGap), (b.end - b.start) * scale, kRow),
                                      pen, color);
        item->setToolTip(tr("job %1, cut %2: %3 to %4 ms").arg(b.job).arg(b.cut).arg(b.start, 0, 'f', 1).arg(b.end, 0, 'f', 1));
    }
    const double axisY = 2 * kRow + kGap + 6;
    m_gantt->addLine(0, axisY, kWidth, axisY);
    for (int t = 0; t <= 5; ++t) {
        const double x = kWidth * t / 5;
        m_gantt->addLine(x, axisY, x, axisY + 4);
        auto *tick = m_gantt->addSimpleText(tr("%1 ms").arg(jps->makespan * t / 5, 0, 'f', 0));
        tick->setPos(x - tick->boundingRect().width() / 2, axisY + 6);
    }
    auto *title = m_gantt->addSimpleText(tr("JPS schedule (Johnson's rule): blue jobs cut at l*-1, orange at l*; "
                                            "makespan %1 ms").arg(jps->makespan, 0, 'f', 1));
    title->setPos(0, -24);
    m_gantt->setSceneRect(m_gantt->itemsBoundingRect().adjusted(-10, -10, 10, 10));
}

void PartitionView::markCutOnGraph()
{
    if (!m_graph)
        return;
    const int l = cutIndex();
    const int first = l >= 0 && m_profile ? m_profile->cutNode[size_t(l)] : std::numeric_limits<int>::max();
    for (QGraphicsItem *it : m_graph->scene()->items()) {
        const QVariant node = it->data(GraphView::kNodeRole);
        if (!node.isValid())
            continue;
        const bool cloud = node.toInt() >= first;
        it->setData(kCloudRole, cloud);
        it->setOpacity(cloud ? 0.35 : 1.0); // the nodes after the cut run on the cloud
    }
}

} // namespace sniper::views
