// The Scheduling view's replay: the chosen policy's event log advanced in small steps of
// simulated time by a GUI-thread QTimer; every step appends one point to each live chart (TPS,
// AWT, per-node load) and adds the tasks that started to the per-node Gantt chart. Each step
// costs O(nodes x log tasks): sorted starts/finishes with prefix sums, per-node busy prefix sums.

#include "schedulingview.h"
#include "viewutil.h"

#include "figureexport.h"

#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QLineSeries>
#include <QPushButton>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>
#include <numeric>

namespace sniper::views {

namespace {

constexpr double kGanttWidth = 900, kGanttRow = 16, kGanttLabel = 150;
const QColor kMetDeadline(0x1f, 0x77, 0xb4), kMissedDeadline(0xd6, 0x27, 0x28);

// A time chart: x = simulated seconds over [0, horizon], y from 0.
void addTimeAxes(QChart *chart, double horizon, double top, const QString &yTitle)
{
    auto *x = new QValueAxis;
    x->setRange(0, horizon);
    x->setTitleText(SchedulingView::tr("simulated time (s)"));
    auto *y = new QValueAxis;
    y->setRange(0, top);
    y->setTitleText(yTitle);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *s : chart->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

QLineSeries *lineAt(QChart *chart, int i) { return qobject_cast<QLineSeries *>(chart->series().value(i)); }

} // namespace

double SchedulingView::NodeBusy::busyUntil(double t) const
{
    const auto k = std::upper_bound(start.begin(), start.end(), t) - start.begin() - 1;
    if (k < 0)
        return 0;
    return busyBefore[size_t(k)] + std::max(0.0, std::min(t, finish[size_t(k)]) - start[size_t(k)]);
}

void SchedulingView::prepareReplay()
{
    m_timer->stop();
    m_step = 0;
    m_pendingSteps = 0;
    m_tpsTop = m_awtTop = 1;
    m_finishSorted.clear();
    m_startSorted.clear();
    m_waitPrefix.assign(1, 0.0);
    m_nodes.clear();
    m_byStart.clear();
    m_ganttNext = 0;
    m_ganttBars = 0;
    m_gantt->clear();
    const int index = m_run ? m_replayPolicy->currentIndex() : -1;
    const SchedulingRun::PolicyRun *p = index >= 0 && size_t(index) < m_run->policies.size()
                                            ? &m_run->policies[size_t(index)] : nullptr;
    const QString name = p ? QString::fromStdString(p->name) : QString();
    QChart *tps = freshChart(m_tps, p ? tr("Throughput of %1 (completed / elapsed)").arg(name) : tr("Throughput"));
    QChart *awt = freshChart(m_awt, p ? tr("Average waiting time of %1 (tasks started)").arg(name) : tr("Average waiting time"));
    QChart *load = freshChart(m_load, p ? tr("Node load of %1 (busy fraction per step)").arg(name) : tr("Node load"));
    m_horizon = 1;
    if (!p) {
        addTimeAxes(tps, m_horizon, 1, tr("tasks/s"));
        addTimeAxes(awt, m_horizon, 1, tr("ms"));
        addTimeAxes(load, m_horizon, 1, tr("busy fraction"));
        return;
    }
    const sched::EventLog &log = p->log;
    const sched::Workload &work = m_run->work;
    const size_t n = log.size();
    for (size_t i = 0; i < n; ++i)
        m_horizon = std::max(m_horizon, log.finish[i]);
    m_finishSorted = log.finish;
    std::sort(m_finishSorted.begin(), m_finishSorted.end());
    m_byStart.resize(n);
    std::iota(m_byStart.begin(), m_byStart.end(), 0);
    std::stable_sort(m_byStart.begin(), m_byStart.end(),
                     [&](int a, int b) { return log.start[size_t(a)] < log.start[size_t(b)]; });
    m_nodes.resize(m_run->cluster.size());
    m_startSorted.reserve(n);
    m_waitPrefix.reserve(n + 1);
    for (int i : m_byStart) {
        const double s = log.start[size_t(i)], f = log.finish[size_t(i)];
        m_startSorted.push_back(s);
        m_waitPrefix.push_back(m_waitPrefix.back() + (s - work.arrival[size_t(i)]));
        NodeBusy &node = m_nodes[size_t(log.node[size_t(i)])];
        node.busyBefore.push_back(node.start.empty() ? 0.0 : node.busyBefore.back() + (node.finish.back() - node.start.back()));
        node.start.push_back(s);
        node.finish.push_back(f);
    }

    auto *tpsSeries = new QLineSeries;
    tpsSeries->setName(tr("TPS"));
    tps->addSeries(tpsSeries);
    auto *awtSeries = new QLineSeries;
    awtSeries->setName(tr("AWT"));
    awt->addSeries(awtSeries);
    for (size_t j = 0; j < m_run->cluster.size(); ++j) {
        auto *s = new QLineSeries;
        s->setName(tr("node %1 (%2)").arg(j).arg(QString::fromStdString(m_run->cluster[j].platform)));
        load->addSeries(s);
    }
    addTimeAxes(tps, m_horizon, m_tpsTop, tr("tasks/s"));
    addTimeAxes(awt, m_horizon, m_awtTop, tr("ms"));
    addTimeAxes(load, m_horizon, 1.05, tr("busy fraction"));
    tps->legend()->setVisible(false);
    awt->legend()->setVisible(false);
    load->legend()->setAlignment(Qt::AlignRight);

    for (size_t j = 0; j < m_run->cluster.size(); ++j) {
        auto *label = m_gantt->addSimpleText(tr("node %1: %2").arg(j).arg(QString::fromStdString(m_run->cluster[j].platform)));
        label->setPos(-kGanttLabel, double(j) * kGanttRow);
    }
    const double axisY = double(m_run->cluster.size()) * kGanttRow + 4;
    m_gantt->addLine(0, axisY, kGanttWidth, axisY);
    for (int t = 0; t <= 5; ++t) {
        const double x = kGanttWidth * t / 5;
        m_gantt->addLine(x, axisY, x, axisY + 4);
        auto *tick = m_gantt->addSimpleText(tr("%1 s").arg(m_horizon * t / 5, 0, 'f', 1));
        tick->setPos(x - tick->boundingRect().width() / 2, axisY + 6);
    }
    auto *title = m_gantt->addSimpleText(
        n > size_t(kGanttMaxBars)
            ? tr("Tasks per node (%1): blue met the deadline, red missed it; the first %2 of %3 tasks are drawn")
                  .arg(name).arg(kGanttMaxBars).arg(n)
            : tr("Tasks per node (%1): blue met the deadline, red missed it").arg(name));
    title->setPos(0, -22);
    m_gantt->setSceneRect(m_gantt->itemsBoundingRect().adjusted(-10, -10, 10, 10));
    m_playButton->setText(tr("Play"));
}

void SchedulingView::restartReplay() { prepareReplay(); }

void SchedulingView::play()
{
    if (!m_run || m_run->policies.empty())
        return;
    if (replayFinished())
        prepareReplay();
    m_wall.start();
    m_timer->start();
    m_playButton->setText(tr("Pause"));
}

void SchedulingView::pause()
{
    m_timer->stop();
    m_playButton->setText(tr("Play"));
}

void SchedulingView::tick()
{
    int steps = kMaxStepsPerTick;
    if (m_speedFactor > 0) {
        const double dt = m_horizon / kReplaySteps;
        m_pendingSteps += m_speedFactor * double(m_wall.restart()) / 1000.0 / dt;
        steps = std::min(int(m_pendingSteps), kMaxStepsPerTick);
        m_pendingSteps = std::min(m_pendingSteps - steps, 1.0 * kMaxStepsPerTick);
    }
    advance(steps);
    if (replayFinished()) {
        pause();
        Q_EMIT replayDone();
    }
}

void SchedulingView::advance(int steps)
{
    if (!m_run || m_nodes.empty() || steps <= 0)
        return;
    const SchedulingRun::PolicyRun &p = m_run->policies[size_t(m_replayPolicy->currentIndex())];
    const double first = m_run->work.size() ? m_run->work.arrival.front() : 0.0;
    const double dt = m_horizon / kReplaySteps;
    QList<QPointF> tps, awt;
    std::vector<QList<QPointF>> load(m_nodes.size());
    for (int k = 0; k < steps && m_step < kReplaySteps; ++k) {
        const double t0 = m_horizon * m_step / kReplaySteps, t1 = m_horizon * (m_step + 1) / kReplaySteps;
        const auto done = std::upper_bound(m_finishSorted.begin(), m_finishSorted.end(), t1) - m_finishSorted.begin();
        const double rate = t1 > first ? double(done) / (t1 - first) : 0.0;
        const auto started = std::upper_bound(m_startSorted.begin(), m_startSorted.end(), t1) - m_startSorted.begin();
        const double wait = started > 0 ? 1000.0 * m_waitPrefix[size_t(started)] / double(started) : 0.0;
        tps.append(QPointF(t1, rate));
        awt.append(QPointF(t1, wait));
        m_tpsTop = std::max(m_tpsTop, rate * 1.1);
        m_awtTop = std::max(m_awtTop, wait * 1.1);
        for (size_t j = 0; j < m_nodes.size(); ++j)
            load[j].append(QPointF(t1, (m_nodes[j].busyUntil(t1) - m_nodes[j].busyUntil(t0)) / dt));
        // The Gantt chart: every task that started by t1.
        const double scale = kGanttWidth / m_horizon;
        QPen pen(Qt::white);
        pen.setCosmetic(true);
        while (m_ganttNext < m_byStart.size() && m_startSorted[m_ganttNext] <= t1 && m_ganttBars < kGanttMaxBars) {
            const size_t i = size_t(m_byStart[m_ganttNext++]);
            const double s = p.log.start[i], f = p.log.finish[i];
            const bool missed = f > m_run->work.deadline[i];
            auto *bar = m_gantt->addRect(QRectF(s * scale, p.log.node[i] * kGanttRow + 1, std::max(0.5, (f - s) * scale),
                                                kGanttRow - 2), pen, missed ? kMissedDeadline : kMetDeadline);
            bar->setToolTip(tr("task %1 (model %2): arrival %3 s, start %4 s, finish %5 s")
                                .arg(i).arg(m_run->work.modelId[i]).arg(m_run->work.arrival[i], 0, 'f', 3)
                                .arg(s, 0, 'f', 3).arg(f, 0, 'f', 3));
            ++m_ganttBars;
        }
        ++m_step;
    }
    lineAt(tpsChart(), 0)->append(tps);
    lineAt(awtChart(), 0)->append(awt);
    for (size_t j = 0; j < m_nodes.size(); ++j)
        lineAt(loadChart(), int(j))->append(load[j]);
    if (auto *y = qobject_cast<QValueAxis *>(tpsChart()->axes(Qt::Vertical).value(0)))
        y->setMax(m_tpsTop);
    if (auto *y = qobject_cast<QValueAxis *>(awtChart()->axes(Qt::Vertical).value(0)))
        y->setMax(m_awtTop);
}

void SchedulingView::drawCompare()
{
    QChart *chart = freshChart(m_compare, tr("Average waiting time per policy"));
    if (!m_run || m_run->policies.empty())
        return;
    auto *set = new QBarSet(tr("AWT (ms)"));
    QStringList categories;
    double top = 0;
    for (const auto &p : m_run->policies) {
        categories << QString::fromStdString(p.name);
        *set << p.metrics.awt * 1000;
        top = std::max(top, p.metrics.awt * 1000);
    }
    addValueBars(chart, set, categories, std::max(1e-3, top * 1.15), tr("ms"));
}

QList<int> SchedulingView::seriesLengths() const
{
    QList<int> lengths;
    for (QChart *chart : {tpsChart(), awtChart(), loadChart()})
        for (QAbstractSeries *s : chart->series())
            if (auto *line = qobject_cast<QLineSeries *>(s))
                lengths << line->count();
    return lengths;
}

QString SchedulingView::exportFigures(const QString &dir, const QString &suffix)
{
    const FigureStyle style;
    const std::pair<QChartView *, const char *> charts[]
        = {{m_tps, "tps"}, {m_awt, "awt"}, {m_load, "load"}, {m_compare, "awt_per_policy"}};
    for (const auto &[view, name] : charts) {
        const QString path = QDir(dir).filePath(QStringLiteral("scheduling_%1.%2").arg(QLatin1String(name), suffix));
        if (QString e = exportChart(view, path, style); !e.isEmpty())
            return e;
    }
    return exportScene(m_gantt, QDir(dir).filePath(QStringLiteral("scheduling_gantt.%1").arg(suffix)), style);
}

} // namespace sniper::views
