// Verification: electron backscatter from bulk W at normal incidence against published
// measurements. Tolerance (issue 4): eta within +-0.03 absolute (this includes the MC standard
// error, ~0.0025 with 40000 histories).
//
// References (measured, W, normal incidence, thick target):
// - Hunger & Kuechler, Phys. Stat. Sol. (a) 56 (1979) K45: fit to their measurements at 4-40 keV,
//   eta = E^m C, E in keV, m = 0.1382 - 0.9211/sqrt(Z),
//   C = 0.1904 - 0.2236 ln Z + 0.1292 ln^2 Z - 0.01491 ln^3 Z; for W 0.475 / 0.478 / 0.481 /
//   0.485 at 20 / 25 / 30 / 40 keV. Asserted at these four energies.
// - Yadav & Shanker, Pramana J. Phys. 68 (2007) 507: W "about 0.50" for 8-28 keV. Asserted at
//   28 keV.
// - Love & Scott, J. Phys. D 11 (1978) 1369: empirical fit to measured eta used in electron-probe
//   microanalysis (as in NIST's EPQ library), eta = eta20 (1 + G ln(E/20 keV)),
//   eta20 = (-52.3791 + 150.48371 Z - 1.67373 Z^2 + 0.00716 Z^3) 1e-4,
//   G = (-1112.8 + 30.289 Z - 0.15498 Z^2) 1e-4; for W 0.494 at 50 keV. Asserted at 50 keV.
//
// Energy backscatter eta_E (tolerance, issue 4: +-0.04 absolute), asserted at 20-40 keV only:
// - Pouchou & Pichoir, "Quantitative analysis of homogeneous or stratified microvolumes applying
//   the model PAP", in Heinrich & Newbury (eds.), Electron Probe Quantitation, Plenum 1991,
//   Appendix 1: the backscatter coefficient eta = 1.75e-3 Z + 0.37 (1 - exp(-0.015 Z^1.3)) and
//   the mean reduced energy of the backscattered electrons W = 0.595 + eta/3.7 + eta^4.55, both
//   fitted to measured backscatter data for electron-probe energies (formulas as in NIST's
//   NeXLMatrixCorrection, src/xpp.jl). For W: eta = 0.493, W = 0.768, eta_E = eta W = 0.379,
//   energy independent. The fit states no accuracy and was made for ~5-40 keV: it is our
//   only sourced eta_E, so it is asserted at 20, 25, 30 and 40 keV and nowhere else.
// Not asserted (no sourced measured value available offline, doc/mc.md "Validation status"):
// eta and eta_E above 50 keV.
#include "mc/cases.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

namespace
{
  using namespace mpstream::mc;

  double hunger_kuechler_eta(double E_keV, double Z)
  {
    const double lz = std::log(Z);
    const double m  = 0.1382 - 0.9211 / std::sqrt(Z);
    const double C  = 0.1904 - 0.2236 * lz + 0.1292 * lz * lz - 0.01491 * lz * lz * lz;
    return std::pow(E_keV, m) * C;
  }

  double love_scott_eta(double E_keV, double Z)
  {
    const double eta20 = (-52.3791 + 150.48371 * Z - 1.67373 * Z * Z + 0.00716 * Z * Z * Z) * 1e-4;
    const double G     = (-1112.8 + 30.289 * Z - 0.15498 * Z * Z) * 1e-4;
    return eta20 * (1 + G * std::log(E_keV / 20));
  }

  // Pouchou & Pichoir (1991), Appendix 1: eta_E = eta W (see the header).
  double pouchou_pichoir_eta_E(double Z)
  {
    const double eta = 1.75e-3 * Z + 0.37 * (1 - std::exp(-0.015 * std::pow(Z, 1.3)));
    const double W   = 0.595 + eta / 3.7 + std::pow(eta, 4.55);
    return eta * W;
  }

  struct Reference
  {
    double E_keV, eta;
    const char *source;
  };

  TEST(BackscatterVerification, BulkTungstenEtaMatchesMeasurement)
  {
    const PhysicsTables tables(tungsten(), PhysicsOptions{});
    const Geometry bulk = Geometry::bulk();
    const Reference refs[] = {{20, hunger_kuechler_eta(20, 74), "Hunger & Kuechler 1979"},
                              {25, hunger_kuechler_eta(25, 74), "Hunger & Kuechler 1979"},
                              {30, hunger_kuechler_eta(30, 74), "Hunger & Kuechler 1979"},
                              {40, hunger_kuechler_eta(40, 74), "Hunger & Kuechler 1979"},
                              {28, 0.50, "Yadav & Shanker 2007"},
                              {50, love_scott_eta(50, 74), "Love & Scott 1978"}};
    for (const auto &ref : refs)
      {
        const auto r = run_case(bulk, tables, ref.E_keV * 1e3, 40000, 2, TransportOptions{});
        std::printf("E = %4.0f keV: eta = %.4f +- %.4f (%s: %.3f), eta_E = %.4f +- %.4f\n",
                    ref.E_keV, r.summary.eta.value, r.summary.eta.stderr_, ref.source, ref.eta,
                    r.summary.eta_E.value, r.summary.eta_E.stderr_);
        EXPECT_NEAR(r.summary.eta.value, ref.eta, 0.03) << ref.E_keV << " keV, " << ref.source;
        EXPECT_LT(r.summary.eta_E.value, r.summary.eta.value);
        if (ref.E_keV == 20 || ref.E_keV == 25 || ref.E_keV == 30 || ref.E_keV == 40)
          {
            const double eta_E_ref = pouchou_pichoir_eta_E(74);
            std::printf("             eta_E reference (Pouchou & Pichoir 1991): %.3f\n", eta_E_ref);
            EXPECT_NEAR(r.summary.eta_E.value, eta_E_ref, 0.04) << ref.E_keV << " keV, Pouchou & Pichoir 1991";
          }
      }
  }
} // namespace
