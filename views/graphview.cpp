#include "graphview.h"

#include "features/inspect.h"
#include "graph/layout.h"

#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainterPath>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QWheelEvent>

namespace sniper::views {

namespace {

// Grayscale-distinguishable fills per operator category.
QColor categoryColor(graph::OpCategory c)
{
    switch (c) {
    case graph::OpCategory::Conv: return QColor(0x9e, 0xc5, 0xe8);
    case graph::OpCategory::Linear: return QColor(0xf4, 0xb8, 0x8a);
    case graph::OpCategory::MatMul: return QColor(0xf2, 0x9a, 0x9a);
    case graph::OpCategory::Norm: return QColor(0xd9, 0xd9, 0xd9);
    case graph::OpCategory::Pool: case graph::OpCategory::GlobalPool: return QColor(0xb5, 0xe0, 0xb0);
    case graph::OpCategory::Activation: return QColor(0xfb, 0xe8, 0x9c);
    case graph::OpCategory::Elementwise: return QColor(0xd7, 0xc4, 0xe8);
    case graph::OpCategory::Concat: return QColor(0xc8, 0xe6, 0xe3);
    case graph::OpCategory::Softmax: case graph::OpCategory::Reduce: return QColor(0xf0, 0xc8, 0xe0);
    default: return QColor(0xee, 0xee, 0xee);
    }
}

QString formatCount(int64_t v)
{
    if (v >= 1'000'000'000)
        return QString::number(double(v) / 1e9, 'f', 2) + QStringLiteral(" G");
    if (v >= 1'000'000)
        return QString::number(double(v) / 1e6, 'f', 2) + QStringLiteral(" M");
    if (v >= 1'000)
        return QString::number(double(v) / 1e3, 'f', 1) + QStringLiteral(" k");
    return QString::number(v);
}

} // namespace

GraphView::GraphView(QWidget *parent)
    : QWidget(parent), m_scene(new QGraphicsScene(this)), m_view(new QGraphicsView(m_scene)),
      m_search(new QLineEdit), m_inspector(new QTextBrowser), m_legend(new QLabel)
{
    m_view->setObjectName(QStringLiteral("graphCanvas"));
    m_view->setDragMode(QGraphicsView::ScrollHandDrag);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    m_view->viewport()->installEventFilter(this);
    m_search->setPlaceholderText(tr("Find a node by name or operator (Enter: next)"));
    m_search->setObjectName(QStringLiteral("graphSearch"));
    connect(m_search, &QLineEdit::returnPressed, this, [this] { find(m_search->text()); });

    auto *zoomIn = new QPushButton(tr("Zoom in"));
    auto *zoomOut = new QPushButton(tr("Zoom out"));
    auto *fit = new QPushButton(tr("Fit"));
    connect(zoomIn, &QPushButton::clicked, this, [this] { zoomBy(1.25); });
    connect(zoomOut, &QPushButton::clicked, this, [this] { zoomBy(0.8); });
    connect(fit, &QPushButton::clicked, this, &GraphView::fitAll);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(zoomIn);
    bar->addWidget(zoomOut);
    bar->addWidget(fit);

    m_inspector->setObjectName(QStringLiteral("nodeInspector"));
    m_inspector->setPlaceholderText(tr("Click a node to see its attributes, shapes, MACs and parameters."));
    QStringList legend;
    for (auto c : {graph::OpCategory::Conv, graph::OpCategory::Linear, graph::OpCategory::MatMul, graph::OpCategory::Norm,
                   graph::OpCategory::Pool, graph::OpCategory::Activation, graph::OpCategory::Elementwise,
                   graph::OpCategory::Concat, graph::OpCategory::Softmax, graph::OpCategory::DataMovement})
        legend << QStringLiteral("<span style='background:%1'>&nbsp;&nbsp;&nbsp;&nbsp;</span> %2")
                      .arg(categoryColor(c).name(), QString::fromLatin1(graph::categoryName(c)));
    legend << tr("<span style='color:#c62828'><b>&#9632;</b></span> critical path");
    m_legend->setText(legend.join(QStringLiteral("<br>")));
    m_legend->setObjectName(QStringLiteral("graphLegend"));

    auto *side = new QWidget;
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(m_inspector, 1);
    sideLayout->addWidget(m_legend);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_view);
    split->addWidget(side);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    split->setSizes({900, 280});
    side->setMaximumWidth(420);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        const auto items = m_scene->selectedItems();
        if (!items.isEmpty()) {
            int node = items.first()->data(kNodeRole).toInt();
            showInspector(node);
            Q_EMIT nodeSelected(node);
        }
    });
}

GraphView::~GraphView() = default;

void GraphView::clear()
{
    m_scene->clear();
    m_report.reset();
    m_inspector->clear();
}

void GraphView::setModel(std::shared_ptr<const features::ModelReport> report, std::shared_ptr<const graph::GraphLayout> layout)
{
    clear();
    m_report = std::move(report);
    if (!m_report || !layout)
        return;
    const auto &g = m_report->graph;
    std::vector<char> critical(g.nodes.size(), 0);
    for (int n : m_report->criticalPath.nodes)
        critical[size_t(n)] = 1;
    const QPen criticalPen(QColor(0xc6, 0x28, 0x28), 3);
    const QPen edgePen(QColor(0x70, 0x70, 0x70), 1.2);
    const QPen boxPen(QColor(0x40, 0x40, 0x40), 1);
    QFont font = this->font();
    font.setPointSizeF(8.5);
    for (const auto &e : layout->edges) {
        QPainterPath path(QPointF(e.points.front().x, e.points.front().y));
        for (size_t i = 1; i < e.points.size(); ++i)
            path.lineTo(e.points[i].x, e.points[i].y);
        int from = layout->nodes[size_t(e.from)].node, to = layout->nodes[size_t(e.to)].node;
        auto *item = m_scene->addPath(path, critical[size_t(from)] && critical[size_t(to)] ? criticalPen : edgePen);
        item->setZValue(-1);
    }
    for (const auto &ln : layout->nodes) {
        const auto &node = g.nodes[size_t(ln.node)];
        QPainterPath box;
        box.addRoundedRect(QRectF(ln.x, ln.y, ln.width, ln.height), 6, 6);
        auto *item = m_scene->addPath(box, critical[size_t(ln.node)] ? criticalPen : boxPen,
                                      categoryColor(graph::opInfo(node.kind).category));
        item->setFlag(QGraphicsItem::ItemIsSelectable);
        item->setData(kNodeRole, ln.node);
        item->setData(kCriticalRole, bool(critical[size_t(ln.node)]));
        const QString shape = node.outputs.empty()
                                  ? QString()
                                  : QString::fromStdString(graph::shapeString(g.values[size_t(node.outputs[0])].shape));
        item->setToolTip(QStringLiteral("%1 (%2)\n%3").arg(QString::fromStdString(node.name),
                                                          QString::fromStdString(node.opType), shape));
        auto *label = new QGraphicsSimpleTextItem(QString::fromStdString(node.opType) + QStringLiteral("  ") + shape, item);
        label->setFont(font);
        QRectF r = label->boundingRect();
        if (r.width() > 1.25 * (ln.width - 8)) { // long operator names: two lines, not tiny text
            label->setText(QString::fromStdString(node.opType) + QLatin1Char('\n') + shape);
            r = label->boundingRect();
        }
        double scale = std::min({1.0, (ln.width - 8) / std::max(1.0, r.width()), (ln.height - 2) / std::max(1.0, r.height())});
        label->setScale(scale);
        label->setPos(ln.x + (ln.width - r.width() * scale) / 2, ln.y + (ln.height - r.height() * scale) / 2);
    }
    m_scene->setSceneRect(QRectF(-20, -20, layout->width + 40, layout->height + 40));
    m_findFrom = 0;
    fitAll();
}

bool GraphView::find(const QString &text)
{
    if (!m_report || text.isEmpty())
        return false;
    const auto &g = m_report->graph;
    const auto items = m_scene->items(Qt::AscendingOrder);
    std::vector<QGraphicsItem *> boxes;
    for (QGraphicsItem *it : items)
        if (it->flags() & QGraphicsItem::ItemIsSelectable)
            boxes.push_back(it);
    for (size_t k = 0; k < boxes.size(); ++k) {
        QGraphicsItem *it = boxes[(size_t(m_findFrom) + k) % boxes.size()];
        const auto &node = g.nodes[size_t(it->data(kNodeRole).toInt())];
        if (QString::fromStdString(node.name).contains(text, Qt::CaseInsensitive) ||
            QString::fromStdString(node.opType).contains(text, Qt::CaseInsensitive)) {
            m_scene->clearSelection();
            it->setSelected(true);
            m_view->centerOn(it);
            m_findFrom = int((size_t(m_findFrom) + k + 1) % boxes.size());
            return true;
        }
    }
    return false;
}

void GraphView::zoomBy(double factor)
{
    m_view->scale(factor, factor);
}

void GraphView::fitAll()
{
    // Tall graphs: fit the width and start at the inputs rather than shrinking to a line.
    QRectF r = m_scene->sceneRect();
    if (r.isEmpty())
        return;
    m_view->resetTransform();
    double sx = m_view->viewport()->width() / r.width();
    double s = std::clamp(sx, 0.25, 1.0); // below a quarter the labels are unreadable; scroll instead
    m_view->scale(s, s);
    m_view->centerOn(r.center().x(), r.top());
}

bool GraphView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Wheel) {
        auto *wheel = static_cast<QWheelEvent *>(event);
        if (wheel->modifiers() & Qt::ControlModifier) {
            zoomBy(wheel->angleDelta().y() > 0 ? 1.15 : 1 / 1.15);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void GraphView::showInspector(int index)
{
    if (!m_report || index < 0)
        return;
    const auto &g = m_report->graph;
    const auto &node = g.nodes[size_t(index)];
    const auto &cost = m_report->cost.nodes[size_t(index)];
    QString html = QStringLiteral("<h3>%1</h3><p><b>%2</b></p><table>").arg(QString::fromStdString(node.name).toHtmlEscaped(),
                                                                          QString::fromStdString(node.opType));
    auto row = [&](const QString &k, const QString &v) {
        html += QStringLiteral("<tr><td><i>%1</i></td><td>%2</td></tr>").arg(k, v.toHtmlEscaped());
    };
    for (size_t i = 0; i < node.inputs.size(); ++i) {
        if (node.inputs[i] < 0)
            continue;
        const auto &v = g.values[size_t(node.inputs[i])];
        row(tr("input %1").arg(i), QString::fromStdString(v.name + "  " + graph::shapeString(v.shape)) +
                                       (v.isConstant ? tr(" (constant)") : QString()));
    }
    for (int o : node.outputs)
        row(tr("output"), QString::fromStdString(g.values[size_t(o)].name + "  " + graph::shapeString(g.values[size_t(o)].shape)));
    row(tr("MACs"), formatCount(cost.macs));
    row(tr("FLOPs"), formatCount(cost.flops));
    row(tr("parameters"), formatCount(cost.params));
    row(tr("memory access"), formatCount(cost.memoryAccess()) + tr("B"));
    for (const auto &a : node.attributes) {
        QString v;
        switch (a.kind) {
        case graph::Attribute::Kind::Int: v = QString::number(a.i); break;
        case graph::Attribute::Kind::Float: v = QString::number(a.f); break;
        case graph::Attribute::Kind::String: v = QString::fromStdString(a.s); break;
        case graph::Attribute::Kind::Ints:
            for (int64_t x : a.ints)
                v += (v.isEmpty() ? QString() : QStringLiteral(", ")) + QString::number(x);
            break;
        case graph::Attribute::Kind::Floats:
            for (double x : a.floats)
                v += (v.isEmpty() ? QString() : QStringLiteral(", ")) + QString::number(x);
            break;
        case graph::Attribute::Kind::Tensor: v = tr("tensor"); break;
        }
        row(QString::fromStdString(a.name), v);
    }
    html += QStringLiteral("</table>");
    m_inspector->setHtml(html);
}

} // namespace sniper::views
