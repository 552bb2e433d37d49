// General thermal-field emission (solver/thermal_field_emission.h): verification against
// references not computed with the code under test.
//  - an independent numerical method written here: the WKB integral by tanh-sinh quadrature
//    between the turning points, the energy integral by adaptive Gauss-Kronrod, CODATA constants;
//  - the analytic limits: Murphy-Good at T = 0, Richardson-Schottky at low field, Murphy-Good's
//    low-temperature factor p / sin p;
//  - continuity and monotonicity across the regime boundaries.
#include "common/error.h"
#include "solver/field_emission.h"
#include "solver/thermal_field_emission.h"

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/ellint_1.hpp>
#include <boost/math/special_functions/ellint_2.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace mpstream;
using namespace mpstream::solver;

namespace
{
  // ---- Independent reference: CODATA 2018 constants, direct quadratures --------------------------
  namespace ref
  {
    constexpr double m_e = 9.1093837015e-31, e = 1.602176634e-19, hbar = 1.054571817e-34;
    constexpr double h = 2 * M_PI * hbar, eps0 = 8.8541878128e-12, k_B = 1.380649e-23;
    const double     Q    = e / (16 * M_PI * eps0);                       // V m: image term e/(16 pi eps0 x)
    const double     wkb  = 2 * std::sqrt(2 * m_e * e) / hbar;            // 1/(m sqrt(V))
    const double     kB_eV = k_B / e;                                     // eV/K
    // J = (4 pi m e k T / h^3) Int D ln(1 + e^{-E/kT}) dW  ->  (4 pi m e / h^3) e^2 Int D S dE[eV].
    const double prefactor = 4 * M_PI * m_e * e / (h * h * h) * e * e; // A m^-2 eV^-2

    // G for normal energy H eV below the vacuum level: 2 sqrt(2m)/hbar Int sqrt(U - W) dx between the
    // turning points of H - F x - Q / x = 0 (tanh-sinh handles the square-root end points).
    double G(double H, double F)
    {
      const double disc = H * H - 4 * F * Q;
      if (disc <= 0)
        return 0;
      const double x1 = (H - std::sqrt(disc)) / (2 * F), x2 = (H + std::sqrt(disc)) / (2 * F);
      if (!(x2 > x1 * (1 + 1e-12)))
        return 0;
      boost::math::quadrature::tanh_sinh<double> ts;
      const double I = ts.integrate([&](double x) { return std::sqrt(std::max(H - F * x - Q / x, 0.0)); }, x1, x2,
                                    1e-12);
      return wkb * I;
    }

    // Parabolic-top width w = hbar omega / (2 pi e) from the curvature of U at the top (eV).
    double top_width(double F)
    {
      const double curvature = 2 * std::pow(F, 1.5) / std::sqrt(Q); // V/m^2
      return hbar * std::sqrt(e * curvature / m_e) / (2 * M_PI * e);
    }

    // J by direct quadrature; classical = D = 1 above the top, else the Kemble parabolic top.
    double J(double F, double T, double phi, bool classical = false)
    {
      const double top = phi - std::sqrt(4 * Q * F), kT = kB_eV * T, w = top_width(F);
      auto D = [&](double E) {
        if (E < top)
          return 1 / (1 + std::exp(G(phi - E, F)));
        return classical ? 1.0 : 1 / (1 + std::exp(-(E - top) / w));
      };
      auto S = [&](double E) {
        if (kT == 0)
          return std::max(-E, 0.0);
        const double x = -E / kT;
        return kT * (x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)));
      };
      auto N = [&](double E) { return D(E) * S(E); };
      using GK = boost::math::quadrature::gauss_kronrod<double, 31>;
      const double tol = 1e-10;
      if (F == 0) // D = step at the vacuum level
        return kT == 0 ? 0.0 : prefactor * GK::integrate(S, phi, phi + 80 * kT, 25, tol);
      double I = 0;
      // Breakpoints at the Fermi level, the top and 20 top widths either side of it (the top's
      // structure is as narrow as 1e-3 eV at 1 MV/m); 8 eV below E_F and 80 kT above the top are far
      // past where the integrand lives.
      auto add = [&](double a, double b) {
        if (b > a)
          I += GK::integrate(N, a, b, 25, tol);
      };
      add(-8.0, std::min(0.0, top));
      if (kT > 0)
        {
          const double a = std::max(0.0, top - 20 * w), c = top + 20 * w;
          add(0.0, a);
          add(a, top);
          add(top, c);
          add(c, c + 80 * kT);
        }
      return prefactor * I;
    }

    // Exact Schottky-Nordheim v, t in Murphy & Good's variable y = sqrt(f) (Murphy & Good 1956;
    // Forbes & Deane 2007): v = sqrt(1+y) [E(m) - y K(m)], t = [(1+y) E(m) - y K(m)] / sqrt(1+y),
    // parameter m = (1-y)/(1+y) (Boost takes the modulus sqrt(m)).
    double v_exact(double f)
    {
      const double y = std::sqrt(f), k = std::sqrt((1 - y) / (1 + y));
      return std::sqrt(1 + y) * (boost::math::ellint_2(k) - y * boost::math::ellint_1(k));
    }
    double t_exact(double f)
    {
      const double y = std::sqrt(f), k = std::sqrt((1 - y) / (1 + y));
      return ((1 + y) * boost::math::ellint_2(k) - y * boost::math::ellint_1(k)) / std::sqrt(1 + y);
    }
  } // namespace ref
} // namespace

// The exact v(f) (elliptic form) against the WKB integral done by quadrature: G = b phi^{3/2} v / F.
// Source: the definition of v (Murphy & Good 1956; Forbes & Deane 2007). Tolerance 1e-6 relative
// (the tabulated v in the code: cubic Hermite, h = 1/1024).
TEST(ThermalFieldEmission, BarrierExponentMatchesDirectWkbQuadrature)
{
  const double b = ref::wkb * 2.0 / 3.0; // (4 sqrt(2 m e) / 3 hbar) in eV^-3/2 V/m
  for (double F : {1e8, 1e9, 3e9, 8e9})
    for (double H : {1.0, 2.5, 4.5, 6.5})
      {
        if (H * H < 4 * ref::Q * F)
          continue;
        const double G = ref::G(H, F);
        EXPECT_NEAR(schottky_nordheim_exponent(H, F) / G, 1.0, 1e-6) << "F " << F << " H " << H;
        const double f = 4 * ref::Q * F / (H * H);
        EXPECT_NEAR(schottky_nordheim_v_exact(f), G * F / (b * H * std::sqrt(H)), 1e-7);
      }
  // v(1) = 0, t(1) = pi / (2 sqrt 2) (Forbes & Deane 2007).
  EXPECT_NEAR(schottky_nordheim_v_exact(1.0), 0.0, 1e-14);
  EXPECT_NEAR(schottky_nordheim_t_exact(1.0), M_PI / (2 * std::sqrt(2.0)), 1e-14);
  // Forbes' approximation (Appl. Phys. Lett. 89 (2006) 113122): |error| < 0.0033 over 0 < f < 1.
  for (double f = 0.01; f < 1; f += 0.01)
    EXPECT_NEAR(schottky_nordheim_v_exact(f), barrier_function_v(f), 0.0033) << f;
}

// The fast fixed-rule integral against the direct adaptive quadrature over every regime. Source:
// ref::J above (independent code, CODATA constants). Tolerance 2e-4 relative: the two use constants
// rounded differently (b, c_S^2, A_0 to 7 digits: exponent G up to ~100 -> 1e-4) and the fast
// rules aim at 1e-5.
TEST(ThermalFieldEmission, AgreesWithDirectQuadratureOverAllRegimes)
{
  const double phi = 4.5;
  for (double F : {0.0, 1e6, 1e8, 5e8, 1e9, 2e9, 3e9, 5e9, 8e9, 12e9})
    for (double T : {0.0, 300.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0, 3695.0, 5000.0})
      {
        const double Jr = ref::J(F, T, phi);
        const double J  = thermal_field_current_density(F, T, phi);
        std::printf("F %8.2e T %6.0f J %12.5e ref %12.5e rel %9.2e %s\n", F, T, J, Jr, Jr > 0 ? J / Jr - 1 : 0.0,
                    to_string(emission_regime(F, T, phi)).c_str());
        if (Jr < 1e-250)
          EXPECT_LT(J, 1e-240);
        else
          EXPECT_NEAR(J / Jr, 1.0, 2e-4) << "F " << F << " T " << T;
      }
}
