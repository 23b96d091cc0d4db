#pragma once

// Generator and profiling (SPEC §12): a validated form for the generator (realistic families and
// a MACs range, or the Table IV ranges and budget),
// "generate N networks" into the project, and a local profiling campaign on chosen platforms
// with a progress bar per platform, a live log, cancel and resume — all as background jobs.

#include <QWidget>

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace sniper::views {

class JobsModel;
struct CampaignProgress;

class ProfilingView : public QWidget {
    Q_OBJECT
public:
    ProfilingView(JobsModel *jobs, QWidget *parent = nullptr);
    ~ProfilingView() override;

    void setProject(const QString &path);
    // The form as generator spec JSON; empty with `error` set when a field is invalid.
    QString specError() const { return m_specError; }

    void generate();
    void profile(bool resume = false);
    void cancel();
    int runningJob() const { return m_job; }

Q_SIGNALS:
    void projectChanged();
    void campaignFinished(bool cancelled);

private:
    void validate();
    void refreshProgress();
    void styleChanged();
    // The form as a generator spec JSON for specFromJson; throws sniper::Error naming the field.
    nlohmann::json formSpec() const;

    JobsModel *m_jobs;
    QString m_path;
    QString m_specError;
    std::map<QString, QLineEdit *> m_ranges; // Table IV fields
    QComboBox *m_style;
    QLineEdit *m_families;
    QLineEdit *m_minMacs;
    QLineEdit *m_maxMacs;
    QSpinBox *m_count;
    QLineEdit *m_seed;
    QLineEdit *m_dataset;
    QLabel *m_specStatus;
    QPushButton *m_generate;
    std::map<std::string, QCheckBox *> m_platforms;
    std::map<std::string, QProgressBar *> m_bars;
    QSpinBox *m_warmup, *m_minRuns, *m_maxRuns;
    QDoubleSpinBox *m_maxSeconds, *m_target;
    QLineEdit *m_profileDataset;
    QPushButton *m_profile, *m_resume, *m_cancel;
    QPlainTextEdit *m_log;
    QLabel *m_banner;
    std::shared_ptr<CampaignProgress> m_progress;
    int m_job = 0;
};

} // namespace sniper::views
