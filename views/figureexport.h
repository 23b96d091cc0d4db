#pragma once

// The one figure module (SPEC §12): every chart or scene exports as PNG (chosen DPI), SVG and
// PDF in a paper style — single (84 mm) or double (174 mm) column width, serif fonts, and
// grayscale-safe series (distinct dash patterns and marker shapes, not only colours).

#include <QString>

class QChart;
class QChartView;
class QGraphicsScene;

namespace sniper::views {

struct FigureStyle {
    bool doubleColumn = false;
    int dpi = 300;
    double aspect = 0.62;         // height / width
    QString fontFamily = QStringLiteral("serif");
    double fontPointSize = 8;

    double widthMm() const { return doubleColumn ? 174.0 : 84.0; }
    double heightMm() const { return widthMm() * aspect; }
};

// Fonts, pens, markers and background of a chart for print; series get gray levels, dash
// patterns and marker shapes by index so they stay distinguishable in grayscale.
void applyPaperStyle(QChart *chart, const FigureStyle &style);

// Writes the chart (styled) to `path`; the format follows the suffix (.png, .svg, .pdf).
// Returns an empty string on success, else what went wrong.
QString exportChart(QChartView *view, const QString &path, const FigureStyle &style);

// Converts an SVG figure written by the libraries (scheduling sweeps, JPS Gantt charts) to the
// format of `outPath` (.png, .svg, .pdf) at the style's width, keeping the SVG's aspect ratio.
QString convertSvgFigure(const QString &svgPath, const QString &outPath, const FigureStyle &style);

// Writes a whole scene (e.g. the model graph) at the style's width.
QString exportScene(QGraphicsScene *scene, const QString &path, const FigureStyle &style);

} // namespace sniper::views
