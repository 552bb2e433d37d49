#pragma once
// Elastic scattering of electrons by W atoms: screened Rutherford (Wentzel) differential cross
// section times a Mott-to-Rutherford ratio R(theta, beta).
//   dsigma/dmu = pi (Z r_e m c^2 / (p c beta))^2 / (mu + A)^2 * R,   mu = (1 - cos theta)/2
// Screening A(E): fitted at each energy so that the model's first transport cross section
// sigma_1 equals the Dirac partial-wave (ELSEPA) value for W (mc/elsepa_tungsten.h), the
// approach of PENELOPE's Wentzel-type models (Fernandez-Varea et al., Nucl. Instrum. Meth. B 73
// (1993) 447). The Thomas-Fermi screening of Moliere (damped Coulomb correction) with R gave a
// sigma_1 8-47 % too large at 300-10 keV and W backscatter 0.03-0.04 too high
// (doc/mc.md). Outside [500 eV, 1 MeV] A follows the Wentzel scaling A ~ 1/p^2.
// R: analytic fit of Lijian, Qing & Zhengming, Radiat. Phys. Chem. 45 (1995) 235, with the
// coefficients for Z = 74 recomputed by M. Tacconi (Boschini et al., arXiv:1111.4042, eq. 17;
// published numbers, as tabulated in Geant4's G4MottData.hh):
//   R = sum_j a_j (1 - cos theta)^(j/2),  a_j = sum_k b_jk (beta - 0.7181228)^k.
// Why: see doc/mc.md ("Elastic scattering").
#include "mc/material.h"

#include <cstddef>
#include <vector>

namespace mpstream::mc
{
  class ElasticScattering
  {
  public:
    explicit ElasticScattering(const Material &material);

    double screening(double T_eV) const;                   // A (dimensionless, fitted)
    double rutherford_factor_m2(double T_eV) const;        // pi (Z r_e m c^2/(p c beta))^2
    double mott_ratio(double T_eV, double mu) const;       // R(theta, beta)

    // Mott ratio coefficients a_j(beta) at energy T, for repeated evaluation at one energy.
    struct MottPolynomial
    {
      double a[5];
      double operator()(double mu) const;
    };
    MottPolynomial mott_polynomial(double T_eV) const;

    // First transport cross section of this model for screening A (fit and tests).
    double sigma1_model_m2(double T_eV, double A) const;

  private:
    double fit_screening(double T_eV) const;

    static constexpr double fit_max_energy_eV = 1e6;
    static constexpr std::size_t n_fit        = 121;
    Material material_;
    double fit_dlog_ = 0;
    std::vector<double> log_screening_; // ln A on a log energy grid [500 eV, 1 MeV]
  };
} // namespace mpstream::mc
