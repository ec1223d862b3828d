#pragma once
// Reading the reference files written by tests/fixtures/make_density_fixtures.py: JSON objects whose
// matrices are arrays of rows and whose −∞ values are written as null.

#include <Eigen/Core>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <limits>
#include <stdexcept>

namespace locallab::test {

inline QJsonArray densityFixtureCases(const QString& fileName) {
    QFile file(QStringLiteral(LOCALLAB_FIXTURE_DIR "/density/") + fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        throw std::runtime_error("cannot open fixture " + file.fileName().toStdString());
    }
    return QJsonDocument::fromJson(file.readAll()).object().value("cases").toArray();
}

inline Eigen::VectorXd vectorFromJson(const QJsonValue& value) {
    const QJsonArray array = value.toArray();
    Eigen::VectorXd vector(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        vector[i] = array[i].isNull() ? -std::numeric_limits<double>::infinity() : array[i].toDouble();
    }
    return vector;
}

inline Eigen::MatrixXd matrixFromJson(const QJsonValue& value) {
    const QJsonArray rows = value.toArray();
    const qsizetype columns = rows.isEmpty() ? 0 : rows[0].toArray().size();
    Eigen::MatrixXd matrix(rows.size(), columns);
    for (qsizetype row = 0; row < rows.size(); ++row) {
        matrix.row(row) = vectorFromJson(rows[row]).transpose();
    }
    return matrix;
}

} // namespace locallab::test
