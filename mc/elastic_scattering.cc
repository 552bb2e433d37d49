#include "mc/elastic_scattering.h"

#include "common/constants.h"
#include "common/error.h"

#include <cmath>
#include <string>

namespace mpstream::mc
{
  namespace
  {
    constexpr double mc2_eV      = constants::electron_mass_energy;
    constexpr double hbar_c_eV_m = 197.3269804e-9; // eV m (CODATA 2018)
    constexpr double bohr_radius = 5.29177210903e-11; // m

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
  }

  double ElasticScattering::screening(double T_eV) const
  {
    check_energy(T_eV);
    const double Z  = material_.Z;
    const double a  = 0.88534 * bohr_radius / std::cbrt(Z);
    const double pc = pc_eV(T_eV);
    // Moliere's Coulomb correction 3.76 (alpha Z / beta)^2, damped at low energy by
    // sqrt(tau / (tau + Z^(2/3))) as in the electron Wentzel model of Geant4 (Ivanchenko et al.,
    // J. Phys. Conf. Ser. 219 (2010) 032045). Undamped it is ~30x too large at 10 keV in W
    // (REFERENCE_DATA.md) and makes W under-scatter.
    const double tau      = T_eV / mc2_eV;
    const double az_beta  = Z * constants::fine_structure / beta_of(T_eV);
    const double coulomb  = 3.76 * az_beta * az_beta * std::sqrt(tau / (tau + std::cbrt(Z * Z)));
    return (1.13 + coulomb) * hbar_c_eV_m * hbar_c_eV_m / (4 * pc * pc * a * a);
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

  double ElasticScattering::dcs_m2(double T_eV, double mu) const
  {
    const double A = screening(T_eV);
    return rutherford_factor_m2(T_eV) / ((mu + A) * (mu + A)) * mott_ratio(T_eV, mu);
  }
} // namespace mpstream::mc
