#include "figureexport.h"

#include <QChart>
#include <QChartView>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QImage>
#include <QLegend>
#include <QLineSeries>
#include <QPainter>
#include <QPdfWriter>
#include <QScatterSeries>
#include <QSvgGenerator>
#include <QSvgRenderer>
#include <QValueAxis>

#include <functional>

namespace sniper::views {

namespace {

constexpr double kScreenDpi = 96.0; // layout happens at this resolution, then scales

QSizeF layoutSize(const FigureStyle &s)
{
    return {s.widthMm() / 25.4 * kScreenDpi, s.heightMm() / 25.4 * kScreenDpi};
}

// Paints `draw` (which fills a rectangle of layoutSize) into the file format of `path`.
QString paintTo(const QString &path, const FigureStyle &style, const std::function<void(QPainter &, QRectF)> &draw)
{
    const QSizeF size = layoutSize(style);
    const QRectF target(QPointF(0, 0), size);
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) {
        const double scale = style.dpi / kScreenDpi;
        QImage image(QSize(int(size.width() * scale + 0.5), int(size.height() * scale + 0.5)), QImage::Format_ARGB32);
        image.fill(Qt::white);
        image.setDotsPerMeterX(int(style.dpi / 0.0254));
        image.setDotsPerMeterY(int(style.dpi / 0.0254));
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(scale, scale);
        draw(p, target);
        p.end();
        return image.save(path) ? QString() : QObject::tr("could not write %1").arg(path);
    }
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size.toSize());
        svg.setViewBox(target);
        svg.setResolution(int(kScreenDpi));
        svg.setTitle(QFileInfo(path).baseName());
        QPainter p;
        if (!p.begin(&svg))
            return QObject::tr("could not write %1").arg(path);
        draw(p, target);
        p.end();
        return {};
    }
    if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(path);
        pdf.setPageSize(QPageSize(QSizeF(style.widthMm(), style.heightMm()), QPageSize::Millimeter));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(600);
        QPainter p;
        if (!p.begin(&pdf))
            return QObject::tr("could not write %1").arg(path);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(600 / kScreenDpi, 600 / kScreenDpi);
        draw(p, target);
        p.end();
        return {};
    }
    return QObject::tr("unknown figure format '%1': use .png, .svg or .pdf").arg(suffix);
}

} // namespace

void applyPaperStyle(QChart *chart, const FigureStyle &style)
{
    QFont font(style.fontFamily, 1);
    font.setPointSizeF(style.fontPointSize);
    font.setStyleHint(QFont::Serif);
    chart->setTitleFont(font);
    chart->setBackgroundVisible(false);
    chart->setDropShadowEnabled(false);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setTheme(QChart::ChartThemeLight);
    chart->legend()->setFont(font);
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsFont(font);
        axis->setTitleFont(font);
        axis->setGridLineVisible(true);
        axis->setGridLinePen(QPen(QColor(0xdd, 0xdd, 0xdd), 0.5));
        axis->setLinePen(QPen(Qt::black, 0.8));
        axis->setLabelsColor(Qt::black);
    }
    static const Qt::PenStyle dashes[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine};
    static const QScatterSeries::MarkerShape shapes[] = {QScatterSeries::MarkerShapeCircle,
                                                         QScatterSeries::MarkerShapeRectangle,
                                                         QScatterSeries::MarkerShapeTriangle,
                                                         QScatterSeries::MarkerShapeStar,
                                                         QScatterSeries::MarkerShapePentagon};
    const auto series = chart->series();
    for (int i = 0; i < series.size(); ++i) {
        const int gray = 20 + (i * 45) % 160; // dark to mid gray, distinct in print
        const QColor color(gray, gray, gray);
        if (auto *scatter = qobject_cast<QScatterSeries *>(series[i])) {
            scatter->setMarkerShape(shapes[i % 5]);
            scatter->setMarkerSize(5);
            scatter->setColor(i % 2 ? Qt::white : color);
            scatter->setBorderColor(color);
        } else if (auto *line = qobject_cast<QLineSeries *>(series[i])) {
            QPen pen(color, 1.2, dashes[i % 5]);
            line->setPen(pen);
            line->setPointsVisible(true);
        }
    }
}

QString exportChart(QChartView *view, const QString &path, const FigureStyle &style)
{
    if (!view || !view->chart())
        return QObject::tr("there is no chart to export");
    const QSize oldSize = view->size();
    const QSizeF size = layoutSize(style);
    view->resize(size.toSize());
    view->chart()->resize(size);
    applyPaperStyle(view->chart(), style);
    QString error = paintTo(path, style, [&](QPainter &p, QRectF target) {
        view->chart()->scene()->render(&p, target, QRectF(QPointF(0, 0), size));
    });
    view->resize(oldSize);
    return error;
}

QString convertSvgFigure(const QString &svgPath, const QString &outPath, const FigureStyle &style)
{
    QSvgRenderer svg(svgPath);
    if (!svg.isValid())
        return QObject::tr("%1 is not a readable SVG file").arg(svgPath);
    FigureStyle s = style;
    const QRectF box = svg.viewBoxF().isEmpty() ? QRectF(QPointF(0, 0), svg.defaultSize()) : svg.viewBoxF();
    s.aspect = box.height() / std::max(1.0, box.width());
    return paintTo(outPath, s, [&](QPainter &p, QRectF target) { svg.render(&p, target); });
}

QString exportScene(QGraphicsScene *scene, const QString &path, const FigureStyle &style)
{
    if (!scene || scene->items().isEmpty())
        return QObject::tr("there is nothing to export");
    FigureStyle s = style;
    const QRectF source = scene->itemsBoundingRect();
    s.aspect = source.height() / std::max(1.0, source.width());
    return paintTo(path, s, [&](QPainter &p, QRectF target) { scene->render(&p, target, source); });
}

} // namespace sniper::views
