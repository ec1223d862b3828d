#pragma once
// Kernels that compare a query with a key by something other than a radial profile of their distance:
// the softmax dot-product kernel of attention, cosine similarity, the k-nearest-neighbour 0/1 kernel,
// and products of kernels on different columns (what a token is × where it is). Radial kernels with a
// bandwidth fit the same interface, so attention and classification can take any of them.
//
// Every kernel works in the log domain: log K(q, k) is what the attention scores and the Gaussian
// exponents are, and it keeps weights of far keys meaningful after exp() would have underflowed to 0.
// Normalised weights (each row summing to 1) come from a log-sum-exp, never from dividing by a sum that
// may be 0.

#include "locallab/kernel/bandwidth.hpp"
#include "locallab/kernel/radial_kernel.hpp"

#include <Eigen/Core>
#include <memory>
#include <string>

namespace locallab {

class SimilarityKernel {
public:
    virtual ~SimilarityKernel() = default;

    // log K(queries_i, keys_j) for every query row i and key row j: a queries × keys matrix, −∞ where
    // the weight is exactly 0. Throws std::invalid_argument when the column counts do not fit.
    virtual Eigen::MatrixXd logWeightMatrix(const Eigen::MatrixXd& queries,
                                            const Eigen::MatrixXd& keys) const = 0;
    // "softmax(⟨q,k⟩/0.5)", "knn(k = 5)": for titles and formula panels.
    virtual std::string describe() const = 0;

    // K itself, queries × keys.
    Eigen::MatrixXd weightMatrix(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys) const;
    // K(query, keys_j) for one query given as a column vector: one weight per key.
    Eigen::VectorXd weights(const Eigen::VectorXd& query, const Eigen::MatrixXd& keys) const;
    // K with every row divided by its sum (the softmax of the log weights), as attention and local means
    // use it. Throws std::domain_error naming the first query whose weights are all zero.
    Eigen::MatrixXd normalizedWeightMatrix(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys) const;
};

// Row-wise softmax of log weights through a log-sum-exp: exp(l_ij − max_j l_ij) / Σ_j exp(l_ij − max_j l_ij).
// Throws std::domain_error naming the first row with no finite entry (every weight zero).
Eigen::MatrixXd normalizeRowsFromLog(const Eigen::MatrixXd& logWeights);
// log Σ_j exp(values_j), exact for any spread of values; −∞ for an empty or all −∞ vector.
double logSumExp(const Eigen::Ref<const Eigen::VectorXd>& values);

// exp(⟨q, k⟩ / τ): the kernel of dot-product attention (τ = √d there) and of modern Hopfield networks
// (τ = 1/β). For queries and keys of equal norm it is a Gaussian kernel with h² = τ.
class SoftmaxKernel final : public SimilarityKernel {
public:
    // temperature τ > 0 and finite
    explicit SoftmaxKernel(double temperature);
    double temperature() const { return temperature_; }
    Eigen::MatrixXd logWeightMatrix(const Eigen::MatrixXd& queries,
                                    const Eigen::MatrixXd& keys) const override;
    std::string describe() const override;

private:
    double temperature_;
};

// Cosine similarity c = ⟨q, k⟩ / (||q|| ||k||), turned into a weight in one of two ways. Rectified keeps
// the similarity itself where it is positive, max(c, 0), the plain "cosine kernel". Exponential is
// exp(c/τ), the von Mises–Fisher kernel on the sphere, i.e. the softmax kernel on normalised vectors
// (cosine attention). A zero vector has no direction: it is rejected with a message naming its row.
class CosineKernel final : public SimilarityKernel {
public:
    enum class Weighting { Rectified, Exponential };

    static CosineKernel rectified();
    // temperature τ > 0 and finite
    static CosineKernel exponential(double temperature);

    Weighting weighting() const { return weighting_; }
    double temperature() const { return temperature_; }
    // The cosine similarities themselves, queries × keys, each in [−1, 1].
    static Eigen::MatrixXd similarityMatrix(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys);
    Eigen::MatrixXd logWeightMatrix(const Eigen::MatrixXd& queries,
                                    const Eigen::MatrixXd& keys) const override;
    std::string describe() const override;

private:
    CosineKernel(Weighting weighting, double temperature)
        : weighting_(weighting), temperature_(temperature) {}
    Weighting weighting_;
    double temperature_;
};

// 1 for the k keys nearest to the query (Euclidean; ties go to the lower key index), 0 for the others:
// the kernel of k-NN classification and of LLE's neighbourhoods. Searches go through NeighborIndex.
class NearestNeighborKernel final : public SimilarityKernel {
public:
    // k ≥ 1; when k exceeds the number of keys every key gets weight 1.
    explicit NearestNeighborKernel(Eigen::Index neighborCount);
    Eigen::Index neighborCount() const { return neighborCount_; }
    Eigen::MatrixXd logWeightMatrix(const Eigen::MatrixXd& queries,
                                    const Eigen::MatrixXd& keys) const override;
    std::string describe() const override;

private:
    Eigen::Index neighborCount_;
};

// A radial profile k((q − k)ᵀH⁻¹(q − k)) with its bandwidth, as a SimilarityKernel (without the density
// normalisation c_d/|H|^{1/2}, which cancels in normalised weights).
class RadialSimilarityKernel final : public SimilarityKernel {
public:
    RadialSimilarityKernel(RadialKernel kernel, Bandwidth bandwidth);
    const RadialKernel& kernel() const { return kernel_; }
    const Bandwidth& bandwidth() const { return bandwidth_; }
    Eigen::MatrixXd logWeightMatrix(const Eigen::MatrixXd& queries,
                                    const Eigen::MatrixXd& keys) const override;
    std::string describe() const override;

private:
    RadialKernel kernel_;
    Bandwidth bandwidth_;
};

// K_x(q_x, k_x) · K_t(q_t, k_t): the first featureColumns columns of queries and keys go to the feature
// kernel, the remaining ones to the position kernel (for a sequence, the position is the token's index or
// time). A Gaussian in features times a Gaussian in time is a Gaussian with a diagonal bandwidth.
class ProductKernel final : public SimilarityKernel {
public:
    ProductKernel(std::shared_ptr<const SimilarityKernel> featureKernel,
                  std::shared_ptr<const SimilarityKernel> positionKernel, Eigen::Index featureColumns);
    Eigen::Index featureColumns() const { return featureColumns_; }
    Eigen::MatrixXd logWeightMatrix(const Eigen::MatrixXd& queries,
                                    const Eigen::MatrixXd& keys) const override;
    std::string describe() const override;

private:
    std::shared_ptr<const SimilarityKernel> featureKernel_;
    std::shared_ptr<const SimilarityKernel> positionKernel_;
    Eigen::Index featureColumns_;
};

} // namespace locallab
