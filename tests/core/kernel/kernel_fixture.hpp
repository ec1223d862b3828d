#pragma once
// Reading the reference values that tests/fixtures/make_kernel_fixtures.py wrote with scipy/scikit-learn.

#include <Eigen/Core>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <stdexcept>

namespace locallab::test {

inline QJsonObject readKernelFixture(const QString& name) {
    const QString path = QStringLiteral(LOCALLAB_FIXTURE_DIR) + "/kernel/" + name;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        throw std::runtime_error("cannot open the fixture " + path.toStdString());
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        throw std::runtime_error("the fixture " + path.toStdString() +
                                 " is not a JSON object: " + error.errorString().toStdString());
    }
    return document.object();
}

// A JSON array of rows (each an array of numbers) as a matrix.
inline Eigen::MatrixXd toMatrix(const QJsonValue& value) {
    const QJsonArray rows = value.toArray();
    const auto columnCount = rows.isEmpty() ? 0 : rows.first().toArray().size();
    Eigen::MatrixXd matrix(rows.size(), columnCount);
    for (qsizetype row = 0; row < rows.size(); ++row) {
        const QJsonArray entries = rows[row].toArray();
        for (qsizetype column = 0; column < columnCount; ++column) {
            matrix(row, column) = entries[column].toDouble();
        }
    }
    return matrix;
}

inline Eigen::VectorXd toVector(const QJsonValue& value) {
    const QJsonArray entries = value.toArray();
    Eigen::VectorXd vector(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        vector[i] = entries[i].toDouble();
    }
    return vector;
}

} // namespace locallab::test
