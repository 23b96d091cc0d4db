#include "trainingview.h"

#include "trainingrun.h"

#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>

namespace sniper::views {

void TrainingView::drainFeed()
{
    if (!m_feed)
        return;
    QList<QPointF> train, valid;
    {
        std::lock_guard lock(m_feed->mutex);
        for (size_t i = m_feed->drained; i < m_feed->train.size(); ++i) {
            train << m_feed->train[i];
            valid << m_feed->valid[i];
        }
        m_feed->drained = m_feed->train.size();
    }
    if (train.isEmpty())
        return;
    const QList<QAbstractSeries *> series = m_loss->chart()->series();
    static_cast<QLineSeries *>(series[0])->append(train);
    static_cast<QLineSeries *>(series[1])->append(valid);
    for (int i = 0; i < train.size(); ++i)
        m_lossTop = std::max({m_lossTop, train[i].y(), std::isfinite(valid[i].y()) ? valid[i].y() : 0.0});
    const double epochs = train.last().x();
    m_loss->chart()->axes(Qt::Horizontal).value(0)->setRange(0, std::max(10.0, epochs));
    m_loss->chart()->axes(Qt::Vertical).value(0)->setRange(0, m_lossTop > 0 ? m_lossTop * 1.05 : 1);
    if (m_training && m_cancelEpoch < 0)
        m_status->setText(tr("Training... epoch %1: train loss %2, validation loss %3")
                              .arg(int(epochs))
                              .arg(train.last().y(), 0, 'g', 4)
                              .arg(valid.last().y(), 0, 'g', 4));
}

// Ace-Sniper Fig. 10: predicted vs measured on the held-out split, log-log, one series per platform.
void TrainingView::drawScatter()
{
    auto *chart = new QChart;
    chart->setTitle(tr("Predicted vs measured (held-out networks)"));
    auto *x = new QLogValueAxis;
    x->setTitleText(tr("measured (ms)"));
    x->setLabelFormat(QStringLiteral("%g"));
    auto *y = new QLogValueAxis;
    y->setTitleText(tr("predicted (ms)"));
    y->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double lo = 1, hi = 10;
    if (m_run && !m_run->rows.empty()) {
        std::map<std::string, QScatterSeries *> byPlatform;
        lo = 1e300;
        hi = 0;
        for (const auto &r : m_run->rows) {
            if (!(r.measuredMs > 0) || !(r.predictedMs > 0))
                continue;
            QScatterSeries *&s = byPlatform[r.platform];
            if (!s) {
                s = new QScatterSeries;
                s->setName(QString::fromStdString(r.platform));
                s->setMarkerSize(7);
                chart->addSeries(s);
                s->attachAxis(x);
                s->attachAxis(y);
            }
            s->append(r.measuredMs, r.predictedMs);
            lo = std::min({lo, r.measuredMs, r.predictedMs});
            hi = std::max({hi, r.measuredMs, r.predictedMs});
        }
        if (hi <= 0) {
            lo = 1;
            hi = 10;
        }
        auto *diagonal = new QLineSeries;
        diagonal->setName(tr("y = x"));
        diagonal->append(lo, lo);
        diagonal->append(hi, hi);
        chart->addSeries(diagonal);
        diagonal->attachAxis(x);
        diagonal->attachAxis(y);
    }
    x->setRange(lo / 1.2, hi * 1.2);
    y->setRange(lo / 1.2, hi * 1.2);
    QChart *old = m_scatter->chart();
    m_scatter->setChart(chart);
    delete old;
}

// The cumulative distribution of |predicted - measured| / measured per platform.
void TrainingView::drawCdf()
{
    auto *chart = new QChart;
    chart->setTitle(tr("Error CDF (held-out networks)"));
    auto *x = new QValueAxis;
    x->setTitleText(tr("absolute percentage error (%)"));
    auto *y = new QValueAxis;
    y->setTitleText(tr("samples (%)"));
    y->setRange(0, 100);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double top = 10;
    if (m_run) {
        std::map<std::string, std::vector<double>> errors;
        for (const auto &r : m_run->rows)
            if (r.measuredMs > 0)
                errors[r.platform].push_back(std::abs(r.predictedMs - r.measuredMs) / r.measuredMs * 100);
        for (auto &[platform, e] : errors) {
            std::sort(e.begin(), e.end());
            auto *s = new QLineSeries;
            s->setName(QString::fromStdString(platform));
            QList<QPointF> points;
            for (size_t i = 0; i < e.size(); ++i)
                points << QPointF(e[i], double(i + 1) * 100.0 / double(e.size()));
            s->append(points);
            chart->addSeries(s);
            s->attachAxis(x);
            s->attachAxis(y);
            top = std::max(top, e.empty() ? 0.0 : e.back());
        }
    }
    x->setRange(0, top);
    QChart *old = m_cdf->chart();
    m_cdf->setChart(chart);
    delete old;
}

} // namespace sniper::views
