#include "mc/physics_tables.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace mpstream::mc
{
  namespace
  {
    constexpr std::size_t n_energies   = 500;
    constexpr std::size_t n_mu_nodes   = 1500;
    constexpr double mott_max_margin   = 1.02;
  } // namespace

  PhysicsTables::PhysicsTables(const Material &material, const PhysicsOptions &options)
    : material_(material)
    , stopping_(material)
    , elastic_model_(material)
  {
    if (!(std::isfinite(options.max_energy_eV) && options.max_energy_eV > 1e3 &&
          options.max_energy_eV <= 1e6))
      throw InputError("Monte Carlo: maximum energy " + std::to_string(options.max_energy_eV) +
                       " eV is outside the supported range (1 keV, 1 MeV]");
    if (!(std::isfinite(options.C1) && options.C1 > 0 && options.C1 <= 0.5))
      throw QuantityError("elastic_hardness_C1", QuantityError::text(options.C1), "must be in (0, 0.5]");
    const double e_max = 1.02 * options.max_energy_eV;
    log_e0_ = std::log(min_table_energy_eV);
    dlog_   = (std::log(e_max) - log_e0_) / (n_energies - 1);
    energies_.resize(n_energies);
    for (std::size_t i = 0; i < n_energies; ++i)
      energies_[i] = std::exp(log_e0_ + i * dlog_);
    build_range_table();
    build_elastic_tables(options.C1);
  }

  void PhysicsTables::build_range_table()
  {
    // R(E) = int_0^E dE'/S(E'); below the first node S is taken constant (a sub-nm piece).
    log_range_.resize(n_energies);
    radiative_fraction_.resize(n_energies);
    double range = energies_[0] / stopping_.total_eV_per_m(energies_[0]);
    for (std::size_t i = 0; i < n_energies; ++i)
      {
        if (i > 0)
          {
            // Simpson in ln E over [E_{i-1}, E_i]: dR = E / S(E) d(ln E).
            auto g = [&](double log_e) {
              const double e = std::exp(log_e);
              return e / stopping_.total_eV_per_m(e);
            };
            const double a = std::log(energies_[i - 1]), b = std::log(energies_[i]);
            range += (b - a) / 6 * (g(a) + 4 * g(0.5 * (a + b)) + g(b));
          }
        log_range_[i] = std::log(range);
        radiative_fraction_[i] =
          stopping_.radiative_eV_per_m(energies_[i]) / stopping_.total_eV_per_m(energies_[i]);
      }
    // Inverse table: ln R is a smooth monotonic function of ln E, so a uniform grid in ln R
    // with 4x the nodes replaces a binary search per step by one index computation.
    const std::size_t n_inverse = 4 * n_energies;
    log_r0_ = log_range_.front();
    dlog_r_ = (log_range_.back() - log_r0_) / (n_inverse - 1);
    log_energy_at_range_.resize(n_inverse);
    std::size_t i = 0;
    for (std::size_t k = 0; k < n_inverse; ++k)
      {
        const double lr = std::min(log_r0_ + k * dlog_r_, log_range_.back());
        while (i + 2 < n_energies && log_range_[i + 1] < lr)
          ++i;
        const double f = (lr - log_range_[i]) / (log_range_[i + 1] - log_range_[i]);
        log_energy_at_range_[k] = log_e0_ + (i + f) * dlog_;
      }
  }

  void PhysicsTables::build_elastic_tables(double C1)
  {
    const double N = material_.atoms_per_m3();
    mott_.resize(n_energies);
    for (auto *v : {&log_lambda_hard_, &log_lambda1_soft_, &screening_, &mu_cut_, &mott_max_, &lambda_el_,
                    &lambda1_})
      v->assign(n_energies, 0.0);

    std::vector<double> s(n_mu_nodes), mu(n_mu_nodes), f0(n_mu_nodes), f1(n_mu_nodes),
      R(n_mu_nodes), tail0(n_mu_nodes), head1(n_mu_nodes);
    for (std::size_t i = 0; i < n_energies; ++i)
      {
        const double T = energies_[i];
        const double A = elastic_model_.screening(T);
        const double K = elastic_model_.rutherford_factor_m2(T);
        const auto mott = elastic_model_.mott_polynomial(T);
        // Nodes uniform in s = ln(A + mu): the 1/(A + mu)^2 peak becomes smooth.
        const double s0 = std::log(A), s1 = std::log(1 + A), ds = (s1 - s0) / (n_mu_nodes - 1);
        for (std::size_t n = 0; n < n_mu_nodes; ++n)
          {
            s[n]  = s0 + n * ds;
            mu[n] = std::min(1.0, std::max(0.0, std::exp(s[n]) - A));
            R[n]  = std::max(0.0, mott(mu[n]));
            f0[n] = K * R[n] / (A + mu[n]); // dsigma/dmu * dmu/ds
            f1[n] = 2 * mu[n] * f0[n];      // weighted by (1 - cos theta)
          }
        // Trapezoid cumulative integrals: tail0 from node to mu = 1, head1 from mu = 0 to node.
        tail0[n_mu_nodes - 1] = 0;
        for (std::size_t n = n_mu_nodes - 1; n-- > 0;)
          tail0[n] = tail0[n + 1] + 0.5 * ds * (f0[n] + f0[n + 1]);
        head1[0] = 0;
        for (std::size_t n = 1; n < n_mu_nodes; ++n)
          head1[n] = head1[n - 1] + 0.5 * ds * (f1[n] + f1[n - 1]);

        const double sigma_el = tail0[0], sigma1 = head1[n_mu_nodes - 1];
        lambda_el_[i] = 1 / (N * sigma_el);
        lambda1_[i]   = 1 / (N * sigma1);
        const double lambda_h = std::max(lambda_el_[i], C1 * lambda1_[i]);
        const double sigma_h  = 1 / (N * lambda_h);

        // mu_c: tail0(mu_c) = sigma_h (tail0 decreases along the nodes).
        double mu_c = 0, head1_c = 0;
        if (sigma_h < sigma_el)
          {
            std::size_t n = 0;
            while (n + 1 < n_mu_nodes && tail0[n + 1] > sigma_h)
              ++n;
            const double w = (tail0[n] - sigma_h) / (tail0[n] - tail0[n + 1]);
            mu_c    = mu[n] + w * (mu[n + 1] - mu[n]);
            head1_c = head1[n] + w * (head1[n + 1] - head1[n]);
          }
        double r_max = 0;
        for (std::size_t n = 0; n < n_mu_nodes; ++n)
          if (mu[n] >= mu_c || (n + 1 < n_mu_nodes && mu[n + 1] > mu_c))
            r_max = std::max(r_max, R[n]);

        // Mean free paths vary like a power of E: kept as logarithms for log-log interpolation.
        log_lambda_hard_[i]  = std::log(lambda_h);
        log_lambda1_soft_[i] = head1_c > 0 ? -std::log(N * head1_c)
                                           : std::numeric_limits<double>::infinity();
        mott_[i]             = mott;
        screening_[i]    = A;
        mu_cut_[i]       = mu_c;
        mott_max_[i]     = mott_max_margin * r_max;
      }
  }

  void PhysicsTables::locate(double T_eV, std::size_t &i, double &f) const
  {
    const double x = (std::log(T_eV) - log_e0_) / dlog_;
    if (!(x >= 0 && x <= n_energies - 1))
      throw RuntimeFailure("Monte Carlo: energy " + std::to_string(T_eV) +
                           " eV is outside the physics tables");
    i = std::min(static_cast<std::size_t>(x), n_energies - 2);
    f = x - i;
  }

  double PhysicsTables::interpolate(const std::vector<double> &values, double T_eV) const
  {
    std::size_t i;
    double f;
    locate(T_eV, i, f);
    return values[i] + f * (values[i + 1] - values[i]);
  }

  double PhysicsTables::range_m(double T_eV) const { return std::exp(interpolate(log_range_, T_eV)); }

  double PhysicsTables::energy_at_range_eV(double range_m) const
  {
    const double lr = std::log(range_m);
    if (lr <= log_r0_)
      return energies_.front() * range_m / std::exp(log_r0_);
    const double x = (lr - log_r0_) / dlog_r_;
    const std::size_t n = log_energy_at_range_.size();
    if (!(x <= n - 1))
      throw RuntimeFailure("Monte Carlo: residual range beyond the physics tables");
    const std::size_t k = std::min(static_cast<std::size_t>(x), n - 2);
    const double f      = x - k;
    return std::exp(log_energy_at_range_[k] + f * (log_energy_at_range_[k + 1] - log_energy_at_range_[k]));
  }

  double PhysicsTables::radiative_fraction(double T_eV) const
  {
    return interpolate(radiative_fraction_, T_eV);
  }

  PhysicsTables::Lookup PhysicsTables::lookup(double T_eV) const
  {
    Lookup at{};
    locate(T_eV, at.i, at.f);
    return at;
  }

  PhysicsTables::Elastic PhysicsTables::elastic(double T_eV) const { return elastic(lookup(T_eV)); }

  PhysicsTables::Elastic PhysicsTables::elastic(const Lookup &at) const
  {
    const std::size_t i = at.i;
    const double f      = at.f;
    auto lin = [&](const std::vector<double> &v) { return v[i] + f * (v[i + 1] - v[i]); };
    auto loglin = [&](const std::vector<double> &v) {
      if (!std::isfinite(v[i]) || !std::isfinite(v[i + 1]))
        return std::numeric_limits<double>::infinity();
      return std::exp(v[i] + f * (v[i + 1] - v[i]));
    };
    return {loglin(log_lambda_hard_), loglin(log_lambda1_soft_), lin(screening_), lin(mu_cut_),
            std::max(mott_max_[i], mott_max_[i + 1])};
  }

  ElasticScattering::MottPolynomial PhysicsTables::mott(double T_eV) const
  {
    return mott(lookup(T_eV));
  }

  ElasticScattering::MottPolynomial PhysicsTables::mott(const Lookup &at) const
  {
    const std::size_t i = at.i;
    const double f      = at.f;
    ElasticScattering::MottPolynomial p{};
    for (int j = 0; j < 5; ++j)
      p.a[j] = mott_[i].a[j] + f * (mott_[i + 1].a[j] - mott_[i].a[j]);
    return p;
  }

  double PhysicsTables::lambda_elastic_m(double T_eV) const { return interpolate(lambda_el_, T_eV); }
  double PhysicsTables::lambda1_m(double T_eV) const { return interpolate(lambda1_, T_eV); }
} // namespace mpstream::mc
