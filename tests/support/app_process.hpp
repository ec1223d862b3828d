#pragma once
// Runs the locallab application the way a script making figures would (`--scene FILE --export OUT`),
// for the end-to-end tests in tests/app/. Headless exports still need a display: the tests run under Xvfb.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace locallab::test {

struct AppRun {
    int exitCode = -1; // -1: did not finish; -2: crashed
    QString errors;
};

inline AppRun runLocalLab(const QStringList& arguments, int timeoutMilliseconds = 180'000) {
    QProcess process;
    process.start(QStringLiteral(LOCALLAB_APP_PATH), arguments);
    AppRun run;
    if (!process.waitForFinished(timeoutMilliseconds)) {
        process.kill();
        run.errors = QStringLiteral("locallab did not finish");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.errors = QString::fromLocal8Bit(process.readAllStandardError());
    return run;
}

} // namespace locallab::test
