#pragma once
// Elastic scattering of electrons by W atoms: screened Rutherford (Wentzel) differential cross
// section times a Mott-to-Rutherford ratio R(theta, beta).
//   dsigma/dmu = pi (Z r_e m c^2 / (p c beta))^2 / (mu + A)^2 * R,   mu = (1 - cos theta)/2
// Screening A (Moliere's Thomas-Fermi value with a low-energy-damped Coulomb correction):
//   A = [1.13 + 3.76 (alpha Z/beta)^2 sqrt(tau/(tau + Z^(2/3)))] (hbar c)^2 / (4 (p c a)^2),
//   a = 0.88534 a_0 Z^(-1/3), tau = T / (m c^2).
// R: analytic fit of Lijian, Qing & Zhengming, Radiat. Phys. Chem. 45 (1995) 235, with the
// coefficients for Z = 74 recomputed by M. Tacconi (Boschini et al., arXiv:1111.4042, eq. 17;
// published numbers, as tabulated in Geant4's G4MottData.hh):
//   R = sum_j a_j (1 - cos theta)^(j/2),  a_j = sum_k b_jk (beta - 0.7181228)^k.
// Why this screening: see doc/mc.md ("Elastic scattering").
#include "mc/material.h"

namespace mpstream::mc
{
  class ElasticScattering
  {
  public:
    explicit ElasticScattering(const Material &material);

    double screening(double T_eV) const;                   // A (dimensionless)
    double rutherford_factor_m2(double T_eV) const;        // pi (Z r_e m c^2/(p c beta))^2
    double mott_ratio(double T_eV, double mu) const;       // R(theta, beta)
    double dcs_m2(double T_eV, double mu) const;           // dsigma/dmu

    // Mott ratio coefficients a_j(beta) at energy T, for repeated evaluation at one energy.
    struct MottPolynomial
    {
      double a[5];
      double operator()(double mu) const;
    };
    MottPolynomial mott_polynomial(double T_eV) const;

  private:
    Material material_;
  };
} // namespace mpstream::mc
