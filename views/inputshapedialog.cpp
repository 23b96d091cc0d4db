#include "inputshapedialog.h"

#include "onnx/onnximport.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sniper::views {

InputShapeDialog::InputShapeDialog(const QString &file, const QString &reason, QWidget *parent)
    : QDialog(parent), m_edit(new QLineEdit(QStringLiteral("1x3x224x224"))), m_error(new QLabel),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setObjectName(QStringLiteral("inputShapeDialog"));
    setWindowTitle(tr("Input shape"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(tr("<p><b>%1</b> has inputs with symbolic dimensions:</p><p>%2</p>"
                               "<p>Enter the shape of its first input, e.g. 1x3x224x224.</p>")
                                .arg(QFileInfo(file).fileName().toHtmlEscaped(), reason.toHtmlEscaped()));
    text->setWordWrap(true);
    layout->addWidget(text);
    m_edit->setObjectName(QStringLiteral("inputShape"));
    layout->addWidget(m_edit);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #611a15; }"));
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_edit, &QLineEdit::textChanged, this, &InputShapeDialog::validate);
    validate();
    resize(480, sizeHint().height());
}

QString InputShapeDialog::shape() const { return m_edit->text().trimmed(); }
void InputShapeDialog::setShape(const QString &text) { m_edit->setText(text); }

void InputShapeDialog::validate()
{
    QString error;
    try {
        onnx::parseShape(shape().toStdString());
    } catch (const std::exception &e) {
        error = QString::fromUtf8(e.what());
    }
    m_error->setText(error);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}

} // namespace sniper::views
