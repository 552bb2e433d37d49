#include "solver/thermal_field_emission.h"

#include "common/error.h"
#include "solver/field_emission.h"

#include <boost/math/special_functions/ellint_1.hpp>
#include <boost/math/special_functions/ellint_2.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace mpstream::solver
{
  namespace c = field_emission_constants;

  namespace
  {
    // t(1) = pi / (2 sqrt 2): the barrier function at the top (Forbes & Deane 2007).
    const double t_at_top = M_PI / (2.0 * std::sqrt(2.0));

    // ---- v(y), y = sqrt(f), tabulated once from the elliptic-integral form ----------------------
    // Cubic Hermite on a uniform grid in y with the exact derivative dv/dy = 3 (v - t) / (2 y):
    // error ~ h^2 near y = 0 (v ~ 1 - y^2 + (y^2/3) ln y) and h^4 elsewhere; h = 1/1024 gives
    // |dv| < 1e-7 (measured against the elliptic form in test_thermal_field_emission).
    class BarrierFunctionTable
    {
    public:
      static constexpr int n = 1024;
      BarrierFunctionTable()
      {
        for (int i = 0; i <= n; ++i)
          {
            const double y = double(i) / n, f = y * y;
            v_[i]  = schottky_nordheim_v_exact(f);
            dv_[i] = i == 0 ? 0.0 : 1.5 * (v_[i] - schottky_nordheim_t_exact(f)) / y;
          }
      }
      // v(y) and dv/dy for 0 <= y <= 1.
      void operator()(double y, double &v, double &dv) const
      {
        const double x = std::clamp(y, 0.0, 1.0) * n;
        const int    i = std::min(int(x), n - 1);
        const double s = x - i, h = 1.0 / n;
        const double s2 = s * s, s3 = s2 * s;
        const double h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s, h01 = -2 * s3 + 3 * s2, h11 = s3 - s2;
        v = h00 * v_[i] + h10 * h * dv_[i] + h01 * v_[i + 1] + h11 * h * dv_[i + 1];
        const double d00 = 6 * s2 - 6 * s, d10 = 3 * s2 - 4 * s + 1, d01 = -d00, d11 = 3 * s2 - 2 * s;
        dv = (d00 * v_[i] + d01 * v_[i + 1]) / h + d10 * dv_[i] + d11 * dv_[i + 1];
      }

    private:
      std::array<double, n + 1> v_{}, dv_{};
    };

    const BarrierFunctionTable &barrier_table()
    {
      static const BarrierFunctionTable table;
      return table;
    }

    // ---- Fixed quadrature rules, built once --------------------------------------------------------
    template <int n>
    struct GaussLegendre // on [-1, 1]
    {
      std::array<double, n> x{}, w{};
      GaussLegendre()
      {
        for (int i = 0; i < n; ++i)
          {
            double z = std::cos(M_PI * (i + 0.75) / (n + 0.5)), dp = 0;
            for (int it = 0; it < 100; ++it)
              {
                double p0 = 1, p1 = z;
                for (int k = 2; k <= n; ++k)
                  {
                    const double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                  }
                dp = n * (z * p1 - p0) / (z * z - 1);
                const double dz = p1 / dp;
                z -= dz;
                if (std::abs(dz) < 1e-15)
                  break;
              }
            x[i] = z;
            w[i] = 2 / ((1 - z * z) * dp * dp);
          }
      }
    };

    template <int n>
    struct GaussLaguerre // Int_0^inf exp(-u) g(u) du ~ sum w_i g(u_i); we store w_i exp(u_i)
    {
      std::array<double, n> u{}, w_exp{};
      GaussLaguerre()
      {
        double z = 0;
        for (int i = 0; i < n; ++i)
          {
            // Initial guesses: asymptotic spacing of the zeros of L_n.
            if (i == 0)
              z = 3.0 / (1 + 2.4 * n);
            else if (i == 1)
              z += 15.0 / (1 + 2.5 * n);
            else
              z += (1 + 2.55 * (i - 1)) / (1.9 * (i - 1)) * (z - u[i - 2]);
            double p1 = 0, p2 = 0;
            for (int it = 0; it < 100; ++it)
              {
                p1 = 1;
                p2 = 0;
                for (int k = 1; k <= n; ++k)
                  {
                    const double p3 = p2;
                    p2 = p1;
                    p1 = ((2 * k - 1 - z) * p2 - (k - 1) * p3) / k;
                  }
                const double dp = n * (p1 - p2) / z;
                const double dz = p1 / dp;
                z -= dz;
                if (std::abs(dz) < 1e-14 * std::max(1.0, z))
                  break;
              }
            u[i] = z;
            // w = z / ((n+1)^2 L_{n+1}(z)^2) = 1 / (z L_n'(z)^2).
            const double dp = n * (p1 - p2) / z;
            w_exp[i]        = std::exp(z) / (z * dp * dp);
          }
      }
    };

    constexpr int n_legendre = 12, n_laguerre = 12, n_laguerre_small = 8;
    const GaussLegendre<n_legendre> &legendre()
    {
      static const GaussLegendre<n_legendre> rule;
      return rule;
    }
    template <int n>
    const GaussLaguerre<n> &laguerre()
    {
      static const GaussLaguerre<n> rule;
      return rule;
    }

    double softplus(double x) // ln(1 + e^x), no overflow
    {
      return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    }

    void check_inputs(double F, double T, double phi)
    {
      namespace L = thermal_field_limits;
      auto fail = [](const std::string &what, double value, const std::string &range) {
        std::ostringstream s;
        s << "thermal-field emission: " << what << " " << value << " outside the model's validity range "
          << range;
        throw InputError(s.str());
      };
      if (!(std::isfinite(phi) && phi >= L::min_work_function_eV && phi <= L::max_work_function_eV))
        fail("work function [eV]", phi, "[2, 7] eV");
      if (!(std::isfinite(T) && T >= 0 && T <= L::max_temperature_K))
        fail("temperature [K]", T, "[0, 5000] K");
      const double F_max = barrier_removal_field(phi);
      if (!(std::isfinite(F) && F >= 0 && F <= F_max))
        {
          std::ostringstream range;
          range << "[0, " << F_max << "] V/m (barrier top at the Fermi level for " << phi << " eV)";
          fail("field [V/m]", F, range.str());
        }
    }

    // The normal-energy distribution N(E) = D(E) S(E) (energies in eV from E_F) and its logarithm.
    class Distribution
    {
    public:
      Distribution(double F, double T, double phi, AboveBarrierTransmission above)
        : F_(F), kT_(c::boltzmann_eV * T), beta_(kT_ > 0 ? 1 / kT_ : 0), phi_(phi),
          classical_(above == AboveBarrierTransmission::classical || F == 0)
      {
        dphi_ = std::sqrt(c::cS2 * F);
        top_  = phi - dphi_;
        if (F > 0)
          {
            b_over_F_ = c::b / F;
            s_top_    = 1.5 * b_over_F_ * std::sqrt(dphi_) * t_at_top;
            double G, s;
            below_top(phi, G, s);
            s_fermi_ = s;
          }
      }

      double kT() const { return kT_; }
      double beta() const { return beta_; }
      double top() const { return top_; }
      double lowering() const { return dphi_; }
      double s_fermi() const { return s_fermi_; } // 1 / d_F
      double s_top() const { return s_top_; }     // 1 / w_top
      bool   field_free() const { return F_ == 0; }
      bool   classical() const { return classical_; }

      // G and s = -dG/dE at H = phi - E >= lowering.
      void below_top(double H, double &G, double &s) const
      {
        double v, dv;
        const double y = dphi_ / H;
        barrier_table()(y, v, dv);
        const double rH = std::sqrt(H);
        G = b_over_F_ * H * rH * v;
        s = b_over_F_ * rH * (1.5 * v - y * dv);
      }

      // Transmission D, ln D and d ln D / dE.
      void transmission(double E, double &D, double &lnD, double &dlnD) const
      {
        double G, s;
        if (E < top_)
          {
            if (F_ == 0)
              {
                D = dlnD = 0;
                lnD      = -HUGE_VAL;
                return;
              }
            below_top(phi_ - E, G, s);
          }
        else if (classical_)
          {
            D = 1;
            lnD = dlnD = 0;
            return;
          }
        else
          {
            G = -(E - top_) * s_top_;
            s = s_top_;
          }
        D    = 1 / (1 + std::exp(G));
        lnD  = -softplus(G);
        dlnD = s * (1 - D);
      }
      // D alone (the quadrature nodes: no logarithms).
      double transmission(double E) const
      {
        if (E < top_)
          {
            if (F_ == 0)
              return 0;
            double G, s;
            below_top(phi_ - E, G, s);
            return 1 / (1 + std::exp(G));
          }
        return classical_ ? 1.0 : 1 / (1 + std::exp(-(E - top_) * s_top_));
      }
      // S alone.
      double supply(double E) const
      {
        if (kT_ == 0)
          return std::max(-E, 0.0);
        return kT_ * softplus(-E * beta_);
      }

      // Supply S (eV) and -dS/dE = Fermi-Dirac occupation.
      void supply(double E, double &S, double &occupation) const
      {
        if (kT_ == 0)
          {
            S          = std::max(-E, 0.0);
            occupation = E < 0 ? 1 : 0;
            return;
          }
        const double x = E * beta_;
        S              = kT_ * softplus(-x);
        occupation     = 1 / (1 + std::exp(x));
      }
      // kT ln(1 + exp(-|E|/kT)): the supply minus its T = 0 value.
      double thermal_supply(double E) const { return kT_ * std::log1p(std::exp(-std::abs(E) * beta_)); }

      double value(double E) const { return transmission(E) * supply(E); }

      // psi = ln N and psi'.
      void log_value(double E, double &psi, double &dpsi) const
      {
        double D, lnD, dlnD, S, o;
        transmission(E, D, lnD, dlnD);
        supply(E, S, o);
        psi  = lnD + std::log(S);
        dpsi = dlnD - o / S;
      }

    private:
      double F_, kT_, beta_, phi_;
      bool   classical_;
      double dphi_ = 0, top_ = 0, b_over_F_ = 0, s_top_ = 0, s_fermi_ = 0;
    };

    // Int_{start}^{inf} (direction +1) or Int_{-inf}^{start} (-1) of g(E) by Gauss-Laguerre with scale lambda.
    template <int n, typename Function>
    double laguerre_tail(double start, double lambda, int direction, const Function &g)
    {
      const auto &rule = laguerre<n>();
      double      sum  = 0;
      for (int i = 0; i < n; ++i)
        sum += rule.w_exp[i] * g(start + direction * lambda * rule.u[i]);
      return lambda * sum;
    }

    template <typename Function>
    double legendre_panel(double a, double b, const Function &g)
    {
      if (!(b > a))
        return 0;
      const auto  &rule = legendre();
      const double half = 0.5 * (b - a), mid = 0.5 * (a + b);
      double       sum  = 0;
      for (int i = 0; i < n_legendre; ++i)
        sum += rule.w[i] * g(mid + half * rule.x[i]);
      return half * sum;
    }

    // Drop of ln N that bounds a window: exp(-25) = 1.4e-11 of the peak is left out.
    constexpr double window_drop = 25;

    // Over [0, E_top]: ln N is concave (G convex, S log-concave), so its maximum is at an end or at
    // the one zero of psi'; the window where psi >= psi_max - window_drop is found by Newton from
    // the far end (from outside, monotone for a concave function). Two Gauss-Legendre panels.
    double middle_segment(const Distribution &d)
    {
      const double a0 = 0, b0 = d.top();
      if (!(b0 > a0))
        return 0;
      double psi_a, dpsi_a, psi_b, dpsi_b;
      d.log_value(a0, psi_a, dpsi_a);
      d.log_value(b0, psi_b, dpsi_b);
      double m, psi_m;
      if (dpsi_a <= 0)
        m = a0, psi_m = psi_a;
      else if (dpsi_b >= 0)
        m = b0, psi_m = psi_b;
      else
        {
          // Illinois on psi' (decreasing): the split point need not be exact.
          double lo = a0, hi = b0, flo = dpsi_a, fhi = dpsi_b, dpsi;
          m = lo;
          for (int it = 0; it < 8; ++it)
            {
              m = (lo * fhi - hi * flo) / (fhi - flo);
              d.log_value(m, psi_m, dpsi);
              if (std::abs(dpsi) * (hi - lo) < 0.5)
                break;
              if (dpsi > 0)
                {
                  lo = m, flo = dpsi;
                  fhi *= 0.5;
                }
              else
                {
                  hi = m, fhi = dpsi;
                  flo *= 0.5;
                }
            }
          d.log_value(m, psi_m, dpsi);
        }
      const double target = psi_m - window_drop;
      auto         window = [&](double end, double psi_end, double dpsi_end) {
        if (psi_end >= target || dpsi_end == 0)
          return end;
        double x = end, psi = psi_end, dpsi = dpsi_end;
        for (int it = 0; it < 4 && psi < target; ++it)
          {
            const double next = x + (target - psi) / dpsi;
            if ((end > m && !(next > m && next < x)) || (end < m && !(next < m && next > x)))
              break;
            x = next;
            d.log_value(x, psi, dpsi);
          }
        return x;
      };
      const double a = m > a0 ? window(a0, psi_a, dpsi_a) : m;
      const double b = m < b0 ? window(b0, psi_b, dpsi_b) : m;
      auto         N = [&](double E) { return d.value(E); };
      return legendre_panel(a, m, N) + legendre_panel(m, b, N);
    }

    // Int_{start}^inf k T ln(1 + e^{-E/kT}) dE, start >= 0: k T^2 (-Li_2(-x)), x = e^{-start/kT}, by its
    // alternating series when x <= 1/4 (20 terms reach 1e-15), else by Gauss-Laguerre.
    double supply_above(const Distribution &d, double start)
    {
      const double x = std::exp(-start * d.beta());
      if (x > 0.25)
        return laguerre_tail<n_laguerre_small>(start, d.kT(), +1, [&](double E) { return d.thermal_supply(E); });
      double sum = 0, power = 1;
      for (int k = 1; k <= 30; ++k)
        {
          power *= -x;
          const double term = -power / (double(k) * k);
          sum += term;
          if (std::abs(term) < 1e-16 * sum)
            break;
        }
      return d.kT() * d.kT() * sum;
    }

    // Int N dE in eV^2.
    double energy_integral(const Distribution &d)
    {
      if (d.field_free())
        {
          // D = step at the vacuum level: Int_phi^inf k T ln(1 + e^{-E/kT}) dE.
          if (d.kT() == 0)
            return 0;
          return supply_above(d, d.top());
        }
      // Below the Fermi level, T = 0 supply: Int_{-inf}^0 D(E) (-E) dE, scale d_F.
      const double lambda_F = 1 / d.s_fermi();
      double       I = laguerre_tail<n_laguerre>(0.0, lambda_F, -1, [&](double E) { return d.transmission(E) * (-E); });
      if (d.kT() == 0)
        return I;
      // Below the Fermi level, thermal part of the supply: decays at >= 1/kT + 1/d_F.
      I += laguerre_tail<n_laguerre_small>(0.0, 1 / (d.beta() + d.s_fermi()), -1,
                                           [&](double E) { return d.transmission(E) * d.thermal_supply(E); });
      // Between the Fermi level and the top.
      I += middle_segment(d);
      // Above the top: Int S - Int (1 - D) S; 1 - D decays at 1/w_top (Kemble), 0 (classical).
      const double Et = d.top();
      I += supply_above(d, Et);
      if (!d.classical())
        I -= laguerre_tail<n_laguerre_small>(Et, 1 / (d.beta() + d.s_top()), +1, [&](double E) {
          return (1 - d.transmission(E)) * d.thermal_supply(E);
        });
      return I;
    }

    // Peak of N(E): psi' decreasing; bisection on a bracket.
    double peak_energy(const Distribution &d)
    {
      if (d.field_free())
        return d.top();
      double lo = std::min(0.0, d.top()) - 40 / d.s_fermi() - 1, hi = d.top() + 40 * std::max(d.kT(), 1 / d.s_top());
      if (d.kT() == 0)
        hi = 0;
      for (int it = 0; it < 100; ++it)
        {
          const double m = 0.5 * (lo + hi);
          double       psi, dpsi;
          d.log_value(m, psi, dpsi);
          if (!std::isfinite(psi) || dpsi < 0)
            hi = m;
          else
            lo = m;
        }
      return 0.5 * (lo + hi);
    }
  } // namespace

  std::string to_string(EmissionRegime regime)
  {
    switch (regime)
      {
        case EmissionRegime::cold_field:
          return "cold field";
        case EmissionRegime::thermal_field:
          return "thermal-field";
        case EmissionRegime::schottky:
          return "Schottky";
        case EmissionRegime::thermionic:
          return "thermionic";
      }
    return "?";
  }

  double barrier_removal_field(double phi) { return phi * phi / c::cS2; }

  namespace
  {
    // y = sqrt(f) and the complete elliptic integrals E(m), K(m), m = (1 - y)/(1 + y), of v and t in
    // Murphy & Good's variable (Forbes & Deane 2007); Boost takes the modulus sqrt(m).
    struct EllipticParts
    {
      double y, E, K;
    };
    EllipticParts elliptic_parts(double f, const char *name)
    {
      if (!(f >= 0 && f <= 1))
        throw InputError(std::string("Schottky-Nordheim ") + name + ": f = " + std::to_string(f) + " outside [0, 1]");
      const double y = std::sqrt(f), k = std::sqrt((1 - y) / (1 + y));
      return {y, boost::math::ellint_2(k), f > 0 ? boost::math::ellint_1(k) : 0.0};
    }
  } // namespace

  double schottky_nordheim_v_exact(double f)
  {
    const auto p = elliptic_parts(f, "v(f)");
    return std::sqrt(1 + p.y) * (p.E - p.y * p.K);
  }

  double schottky_nordheim_t_exact(double f)
  {
    const auto p = elliptic_parts(f, "t(f)");
    return ((1 + p.y) * p.E - p.y * p.K) / std::sqrt(1 + p.y);
  }

  double schottky_nordheim_exponent(double H, double F)
  {
    const double dphi = std::sqrt(c::cS2 * F);
    if (!(F > 0) || !(H >= dphi))
      throw InputError("Schottky-Nordheim exponent: barrier height " + std::to_string(H) +
                       " eV is above the top of the barrier at field " + std::to_string(F) + " V/m");
    double v, dv;
    barrier_table()(dphi / H, v, dv);
    return c::b / F * H * std::sqrt(H) * v;
  }

  EmissionScales emission_scales(double F, double T, double phi)
  {
    check_inputs(F, T, phi);
    const Distribution d(F, T, phi, AboveBarrierTransmission::kemble_parabolic);
    EmissionScales     s;
    s.barrier_top_eV       = d.top();
    s.fermi_decay_width_eV = F > 0 ? 1 / d.s_fermi() : 0;
    s.top_decay_width_eV   = F > 0 ? 1 / d.s_top() : 0;
    s.thermal_energy_eV    = d.kT();
    s.peak_energy_eV       = peak_energy(d);
    return s;
  }

  double thermal_field_current_density(double F, double T, double phi, AboveBarrierTransmission above)
  {
    check_inputs(F, T, phi);
    const Distribution d(F, T, phi, above);
    return c::richardson / (c::boltzmann_eV * c::boltzmann_eV) * energy_integral(d);
  }

  EmissionRegime emission_regime(double F, double T, double phi)
  {
    check_inputs(F, T, phi);
    const Distribution d(F, T, phi, AboveBarrierTransmission::kemble_parabolic);
    const auto over_the_top = d.lowering() >= d.kT() ? EmissionRegime::schottky : EmissionRegime::thermionic;
    if (F == 0)
      return EmissionRegime::thermionic;
    if (T == 0)
      return EmissionRegime::cold_field;
    // psi' is decreasing: its signs at E_F and at the top say where the peak is.
    double psi, dpsi;
    d.log_value(0.0, psi, dpsi);
    if (dpsi <= 0)
      return EmissionRegime::cold_field;
    d.log_value(d.top(), psi, dpsi);
    if (dpsi >= 0)
      return over_the_top;
    return EmissionRegime::thermal_field;
  }
} // namespace mpstream::solver
