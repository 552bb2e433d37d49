#include "mc/elastic_scattering.h"

#include "common/constants.h"
#include "common/error.h"
#include "mc/elsepa_tungsten.h"

#include <boost/math/tools/roots.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace mpstream::mc
{
  namespace
  {
    constexpr double mc2_eV      = constants::electron_mass_energy;

    // b_jk for W (Z = 74), rows j = 0..4 (powers of sqrt(1 - cos theta)), columns k = 0..5
    // (powers of beta - 0.7181228). Source: see header.
    constexpr double mott_b[5][6] = {
      {1.00025e0, -1.12974e-3, 3.25083e-4, 1.46196e-2, -1.49818e-2, -6.15916e-2},
      {-2.31499e-1, 1.42403e0, 6.68301e0, -8.72894e0, -3.12005e1, 8.13039e-2},
      {2.84004e0, 2.04799e0, -3.40292e1, 1.28426e1, 2.14035e2, 1.24907e2},
      {-2.24701e0, -2.76343e0, 4.3216e1, 4.91177e0, -3.2188e2, -2.66423e2},
      {2.87708e-1, -4.13579e-1, -1.67235e1, -6.90724e0, 1.33305e2, 1.29426e2}};
    constexpr double mott_beta_shift = 0.7181228;

    double beta_of(double T_eV)
    {
      const double gamma = 1 + T_eV / mc2_eV;
      return std::sqrt(1 - 1 / (gamma * gamma));
    }

    double pc_eV(double T_eV) { return std::sqrt(T_eV * (T_eV + 2 * mc2_eV)); }

    void check_energy(double T_eV)
    {
      if (!(std::isfinite(T_eV) && T_eV > 0))
        throw InputError("elastic scattering: kinetic energy T = " + std::to_string(T_eV) +
                         " eV must be a positive number");
    }
  } // namespace

  ElasticScattering::ElasticScattering(const Material &material)
    : material_(material)
  {
    if (material_.Z != 74)
      throw InputError("Monte Carlo: only tungsten (Z = 74) has Mott coefficients here");
    // Screening fitted to ELSEPA's sigma_1 on a log grid (A varies smoothly, ~1/p^2).
    fit_dlog_ = std::log(fit_max_energy_eV / elsepa_tungsten::min_energy_eV) / (n_fit - 1);
    log_screening_.resize(n_fit);
    for (std::size_t i = 0; i < n_fit; ++i)
      log_screening_[i] =
        std::log(fit_screening(elsepa_tungsten::min_energy_eV * std::exp(i * fit_dlog_)));
  }

  double ElasticScattering::sigma1_model_m2(double T_eV, double A) const
  {
    // sigma_1 = int_0^1 2 mu dsigma/dmu dmu, Simpson on s = ln(A + mu) (smooth in s).
    constexpr int n = 800; // even
    const double K = rutherford_factor_m2(T_eV);
    const auto R   = mott_polynomial(T_eV);
    const double s0 = std::log(A), ds = (std::log(1 + A) - s0) / n;
    double sum = 0;
    for (int k = 0; k <= n; ++k)
      {
        const double mu = std::clamp(std::exp(s0 + k * ds) - A, 0.0, 1.0);
        const double w  = (k == 0 || k == n) ? 1 : (k % 2 ? 4 : 2);
        sum += w * 2 * mu * std::max(0.0, R(mu)) / (A + mu); // dsigma/ds = K R / (A + mu)
      }
    return K * sum * ds / 3;
  }

  double ElasticScattering::fit_screening(double T_eV) const
  {
    // ln sigma_1 decreases smoothly and monotonically with ln A: TOMS 748 root bracketing.
    const double log_target = std::log(elsepa_tungsten::sigma1_m2(T_eV));
    auto f = [&](double log_A) {
      return std::log(sigma1_model_m2(T_eV, std::exp(log_A))) - log_target;
    };
    std::uintmax_t max_iter = 100;
    const auto [lo, hi] = boost::math::tools::toms748_solve(
      f, std::log(1e-9), std::log(1e3), boost::math::tools::eps_tolerance<double>(40), max_iter);
    return std::exp(0.5 * (lo + hi));
  }

  double ElasticScattering::screening(double T_eV) const
  {
    check_energy(T_eV);
    // Outside the fitted range A follows the Wentzel scaling A ~ 1/p^2 from the nearest end.
    const double T = std::clamp(T_eV, elsepa_tungsten::min_energy_eV, fit_max_energy_eV);
    const double x = (std::log(T) - std::log(elsepa_tungsten::min_energy_eV)) / fit_dlog_;
    const std::size_t i = std::min(static_cast<std::size_t>(x), log_screening_.size() - 2);
    const double f      = x - i;
    const double lnA    = log_screening_[i] + f * (log_screening_[i + 1] - log_screening_[i]);
    const double p_ratio = pc_eV(T) / pc_eV(T_eV);
    return std::exp(lnA) * p_ratio * p_ratio;
  }

  double ElasticScattering::rutherford_factor_m2(double T_eV) const
  {
    check_energy(T_eV);
    const double k = material_.Z * constants::classical_electron_radius * mc2_eV /
                     (pc_eV(T_eV) * beta_of(T_eV));
    return constants::pi * k * k;
  }

  ElasticScattering::MottPolynomial ElasticScattering::mott_polynomial(double T_eV) const
  {
    check_energy(T_eV);
    const double x = beta_of(T_eV) - mott_beta_shift;
    MottPolynomial p{};
    for (int j = 0; j < 5; ++j)
      {
        double a = 0, xk = 1;
        for (int k = 0; k < 6; ++k, xk *= x)
          a += mott_b[j][k] * xk;
        p.a[j] = a;
      }
    return p;
  }

  double ElasticScattering::MottPolynomial::operator()(double mu) const
  {
    const double f = std::sqrt(2 * mu); // sqrt(1 - cos theta)
    return a[0] + f * (a[1] + f * (a[2] + f * (a[3] + f * a[4])));
  }

  double ElasticScattering::mott_ratio(double T_eV, double mu) const
  {
    return mott_polynomial(T_eV)(mu);
  }
} // namespace mpstream::mc
