#pragma once

// Asks for the input shape of a model whose inputs have symbolic dimensions ("N x 3 x H x W"),
// validated by the importer's own shape parser as the user types.

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace sniper::views {

class InputShapeDialog : public QDialog {
    Q_OBJECT
public:
    InputShapeDialog(const QString &file, const QString &reason, QWidget *parent = nullptr);
    QString shape() const;
    void setShape(const QString &text);

private:
    void validate();

    QLineEdit *m_edit;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace sniper::views
