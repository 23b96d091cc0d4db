#pragma once

// Devices view (SPEC §9/§12, issue 10 item 2): the project's remote boards. Add, edit and remove
// them with a validated form; test a connection (an unknown host key asks to confirm its SHA256
// fingerprint, which is then recorded in the workbench's own known_hosts, as `sniper device
// trust`); deploy the agent and models; start, cancel and resume profiling campaigns with a
// progress bar per device and a live log. All network and database work runs in background jobs;
// passwords and passphrases are asked each time and never stored.

#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;
class QVBoxLayout;

namespace sniper::db {
struct DeviceRecord;
}

namespace sniper::views {

class DeviceTableModel;
class JobsModel;
struct CampaignFeed;

class DevicesView : public QWidget {
    Q_OBJECT
public:
    explicit DevicesView(JobsModel *jobs, QWidget *parent = nullptr);
    ~DevicesView() override;

    // The project whose boards are listed (default: the CLI's default project); reloads the table.
    void setProject(const QString &path);
    // The workbench's known_hosts (default: next to the default project, like the CLI).
    void setKnownHostsFile(const QString &path);
    QString knownHostsFile() const { return m_knownHosts; }
    // The local sniper-agent binary deployed to the boards (default: the one built with the workbench).
    void setAgentBinary(const QString &path) { m_agent = path; }

    // Asked on the GUI thread when a board presents an unknown host key; true records it. The
    // default shows a confirmation dialog with the fingerprint; tests replace it.
    using FingerprintConfirm = std::function<bool(const QString &device, const QString &where, const QString &fingerprint)>;
    void setFingerprintConfirm(FingerprintConfirm confirm) { m_confirm = std::move(confirm); }
    // Asked on the GUI thread (the job waits) for a password or passphrase; an empty answer cancels.
    using SecretPrompt = std::function<QString(const QString &prompt)>;
    void setSecretPrompt(SecretPrompt prompt) { m_secretPrompt = std::move(prompt); }

    // The form, as typed (validated on Add / Save).
    void setForm(const QString &name, const QString &host, const QString &port, const QString &user,
                 const QString &auth, const QString &keyFile, const QString &workDir, const QString &platforms);
    void editDevice(const QString &name); // fills the form with a listed board
    bool addDevice(); // validates the form and adds the board (background job)
    bool saveDevice(); // validates the form and updates the board being edited
    bool removeDevice(const QString &name);

    bool testConnection(const QString &name);
    // Uploads the agent and the chosen dataset's models ("All models": the agent only).
    bool deploy(const QString &name);
    // Campaign settings: the models ("" or "all": every model, else a dataset name), the agent
    // platforms (comma-separated; empty: each device's) and the protocol, as typed.
    void setCampaign(const QString &models, const QString &platforms, const QString &minRuns,
                     const QString &maxRuns, const QString &maxSeconds);
    bool startCampaign(const QStringList &devices);
    void cancelCampaign();
    bool resumeCampaign(); // the newest unfinished device campaign of the project

    // For tests.
    DeviceTableModel *model() const { return m_model; }
    QStringList deviceNames() const;
    QString statusText(const QString &device) const;
    QStringList logLines() const { return m_log; }
    QString formError() const; // the form's inline error, empty when hidden
    QString errorText() const; // the view's inline banner, empty when hidden
    bool fingerprintDialogShown() const { return m_fingerprintShown; }
    bool isBusy() const { return m_busy > 0; }
    bool isCampaignRunning() const { return m_campaignJob != 0; }
    int progressValue(const QString &device) const;
    int progressMaximum(const QString &device) const;

Q_SIGNALS:
    void devicesChanged();
    void tested(const QString &device, bool connected);
    void deployed(const QString &device);
    void campaignFinished();
    void failed(const QString &message);

private:
    bool readForm(db::DeviceRecord *out);
    void showFormError(const QString &message);
    void showError(const QString &message);
    void reload();
    void saveRecord(const db::DeviceRecord &record, bool update);
    void runTest(const QString &name, const QString &acceptFingerprint);
    void runCampaign(const QStringList &devices, bool resume);
    void drainFeed();
    void setBusy(bool busy);
    void log(const QString &line);
    QProgressBar *progressBar(const QString &device);
    std::function<std::string(const std::string &)> secretFunction();
    QString askSecret(const QString &prompt);
    bool confirmFingerprint(const QString &device, const QString &where, const QString &fingerprint);

    JobsModel *m_jobs;
    DeviceTableModel *m_model;
    QTableView *m_table;
    QLineEdit *m_name, *m_host, *m_port, *m_user, *m_keyFile, *m_workDir, *m_platforms;
    QComboBox *m_auth, *m_models;
    QLineEdit *m_campaignPlatforms, *m_minRuns, *m_maxRuns, *m_maxSeconds;
    QPushButton *m_addButton, *m_saveButton, *m_removeButton, *m_testButton, *m_deployButton;
    QPushButton *m_startButton, *m_cancelButton, *m_resumeButton;
    QLabel *m_formError, *m_banner;
    QVBoxLayout *m_progressLayout;
    QPlainTextEdit *m_logView;
    QTimer *m_poll;

    QString m_project, m_knownHosts, m_agent;
    qint64 m_editingId = 0;
    FingerprintConfirm m_confirm;
    SecretPrompt m_secretPrompt;
    std::shared_ptr<CampaignFeed> m_feed;
    QStringList m_log;
    bool m_fingerprintShown = false;
    int m_busy = 0;
    int m_campaignJob = 0;
};

} // namespace sniper::views
