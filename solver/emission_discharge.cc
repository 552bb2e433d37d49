#include "solver/emission_discharge.h"

#include "common/error.h"
#include "solver/field_emission.h"
#include "solver/thermal_field_emission.h"
#include "solver/thermal_field_emission_table.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>
#include <string>

namespace mpstream::solver
{
  double sphere_emission_current_A(const EmissionSurface &surface, double F_ref, double phi, double T)
  {
    if (F_ref <= 0 && T <= 0)
      return 0.0;
    const double F_limit = 0.95 * phi * phi / field_emission_constants::cS2;
    double I             = 0;
    for (std::size_t k = 0; k < surface.shape.size(); ++k)
      {
        const double F = std::min(F_ref * surface.shape[k], F_limit);
        I += surface.area_m2[k] * emission_current_density(std::max(F, 0.0), phi, T);
      }
    return I;
  }

  EmissionResult integrate_emission_discharge(const LinearFieldModel &model, const std::vector<double> &I_beam,
                                              double dwell, const std::vector<EmissionSurface> &surfaces,
                                              const EmissionSettings &settings, std::vector<double> Q)
  {
    const std::size_t N = model.size();
    if (surfaces.size() != N)
      throw InputError("Murphy-Good discharge: " + std::to_string(surfaces.size()) + " surfaces for " +
                       std::to_string(N) + " spheres");
    PointFieldModel points;
    points.n_spheres = N;
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t k = 0; k < surfaces[i].shape.size(); ++k)
        {
          const double s = surfaces[i].shape[k];
          points.sphere.push_back(i);
          points.field_per_charge.push_back(model.field_per_charge[i]);
          for (auto &x : points.field_per_charge.back())
            x *= s;
          points.offset.push_back(s * (model.field_offset.empty() ? 0.0 : model.field_offset[i]));
          points.area_m2.push_back(surfaces[i].area_m2[k]);
        }
    auto r = integrate_emission_discharge(points, I_beam, dwell, settings, std::move(Q));
    // Reference field of each sphere (the quantity of this form).
    const auto En = model.normal_field(r.charges);
    for (std::size_t i = 0; i < N; ++i)
      r.reference_field[i] = -En[i];
    return r;
  }

  namespace
  {
    // The current density J(F, T) of the settings' law at a surface point of sphere i (A/m^2),
    // F = -E.n (V/m), with the sphere temperatures of the current time step.
    class PointEmission
    {
    public:
      PointEmission(const EmissionSettings &settings, std::size_t n_spheres)
        : settings_(settings)
        , phi_(settings.work_function_eV)
        , F_limit_(settings.law == EmissionLaw::murphy_good
                     ? 0.95 * phi_ * phi_ / field_emission_constants::cS2
                     : barrier_removal_field(phi_))
        , T_(n_spheres, 0.0)
        , J0_(n_spheres, 0.0)
      {
        if (settings.law == EmissionLaw::thermal_field) // tabulated once: ~0.2 us per call after
          table_ = std::make_unique<ThermalFieldEmission>(phi_);
        if (settings.law == EmissionLaw::thermal_field && settings.sphere_radius_m.size() != n_spheres)
          throw InputError("emission discharge: " + std::to_string(settings.sphere_radius_m.size()) +
                           " sphere radii for " + std::to_string(n_spheres) + " spheres");
        for (const auto &h : settings.temperature_history_K)
          if (h.size() < 2)
            throw InputError("emission discharge: a temperature history needs >= 2 samples");
        if (!settings.temperature_history_K.empty() && settings.temperature_history_K.size() != n_spheres)
          throw InputError("emission discharge: " + std::to_string(settings.temperature_history_K.size()) +
                           " temperature histories for " + std::to_string(n_spheres) + " spheres");
        set_time_fraction(0);
      }

      // Temperatures at time fraction s of the dwell (0: entry, 1: exit).
      void set_time_fraction(double s)
      {
        for (std::size_t i = 0; i < T_.size(); ++i)
          {
            if (!settings_.temperature_history_K.empty())
              {
                const auto &h = settings_.temperature_history_K[i];
                const double x = std::clamp(s, 0.0, 1.0) * (h.size() - 1);
                const std::size_t a = std::min<std::size_t>(static_cast<std::size_t>(x), h.size() - 2);
                T_[i] = h[a] + (x - a) * (h[a + 1] - h[a]);
              }
            else
              T_[i] = settings_.temperature_K.empty() ? 0.0 : settings_.temperature_K[i];
            // Retarded points take J(0, T) times a Boltzmann factor: J(0, T) once per step.
            if (settings_.law == EmissionLaw::thermal_field)
              J0_[i] = table_->current_density(0.0, T_[i]);
          }
      }

      double temperature(std::size_t i) const { return T_[i]; }

      double operator()(double F, std::size_t i) const
      {
        const double Fa = std::clamp(F, 0.0, F_limit_);
        if (settings_.law == EmissionLaw::murphy_good)
          return emission_current_density(Fa, phi_, T_[i]);
        if (F >= 0)
          return table_->current_density(Fa, T_[i]);
        if (T_[i] <= 0)
          return 0.0;
        // Retarding field: over the barrier |F| r only (see EmissionLaw).
        const double barrier_eV = -F * settings_.sphere_radius_m[i];
        const double kT_eV      = field_emission_constants::boltzmann_eV * T_[i];
        if (barrier_eV > 60 * kT_eV)
          return 0.0;
        return J0_[i] * std::exp(-barrier_eV / kT_eV);
      }

    private:
      const EmissionSettings &settings_;
      double phi_, F_limit_;
      std::vector<double> T_, J0_; // per sphere: temperature (K), J(0, T) (A/m^2)
      std::unique_ptr<ThermalFieldEmission> table_; // the thermal-field law's J (1e-3 of the integral)
    };
  } // namespace

  EmissionResult integrate_emission_discharge(const PointFieldModel &model, const std::vector<double> &I_beam,
                                              double dwell, const EmissionSettings &settings, std::vector<double> Q)
  {
    const std::size_t N = model.n_spheres, K = model.sphere.size();
    if (I_beam.size() != N)
      throw InputError("Murphy-Good discharge: " + std::to_string(I_beam.size()) + " currents for " +
                       std::to_string(N) + " spheres");
    if (model.field_per_charge.size() != K || model.area_m2.size() != K || (!model.offset.empty() && model.offset.size() != K))
      throw InputError("Murphy-Good discharge: inconsistent point field model");
    if (!(dwell > 0))
      throw InputError("Murphy-Good discharge: dwell time must be > 0");
    if (settings.time_steps == 0)
      throw QuantityError("emission_time_steps", "0", "must be >= 1");
    if (!settings.temperature_K.empty() && settings.temperature_K.size() != N)
      throw InputError("Murphy-Good discharge: " + std::to_string(settings.temperature_K.size()) +
                       " temperatures for " + std::to_string(N) + " spheres");
    if (Q.empty())
      Q.assign(N, 0.0);
    PointEmission J_of(settings, N);

    EmissionResult r;
    r.emitted_charge.assign(N, 0.0);
    r.deposited_charge.assign(N, 0.0);
    r.reference_field.assign(N, 0.0);
    const double dt = dwell / settings.time_steps;
    double I_scale  = 0;
    for (const double I : I_beam)
      I_scale = std::max(I_scale, std::abs(I));
    const double R_scale = std::max(I_scale * dt, 1e-30);
    // Points whose current is below this cannot matter for the residual tolerance: no
    // derivative there (J is ~F^25: the emitting area is a small part of the surface).
    const double I_negligible = 1e-3 * settings.newton_tolerance * std::max(I_scale, 1e-30) / std::max<std::size_t>(K, 1);

    // Points by sphere, and each sphere's area: a sphere whose largest field at its own
    // temperature gives a negligible current over its whole area is skipped (J rises with F).
    std::vector<std::vector<std::size_t>> points_of(N);
    std::vector<double> area_of(N, 0.0);
    for (std::size_t k = 0; k < K; ++k)
      {
        points_of[model.sphere[k]].push_back(k);
        area_of[model.sphere[k]] += model.area_m2[k];
      }

    std::vector<double> F(K), I(N), R(N);
    std::vector<std::size_t> active; // points with a non-negligible current at the last evaluation
    auto emission = [&](const std::vector<double> &Qx) {
      std::fill(I.begin(), I.end(), 0.0);
      std::fill(r.reference_field.begin(), r.reference_field.end(), 0.0);
      active.clear();
      for (std::size_t k = 0; k < K; ++k)
        {
          double E = model.offset.empty() ? 0.0 : model.offset[k];
          for (std::size_t j = 0; j < N; ++j)
            E += model.field_per_charge[k][j] * Qx[j];
          F[k]                 = -E;
          const std::size_t i  = model.sphere[k];
          r.reference_field[i] = std::max(r.reference_field[i], F[k]);
        }
      for (std::size_t i = 0; i < N; ++i)
        {
          if (points_of[i].empty() || area_of[i] * J_of(r.reference_field[i], i) < I_negligible)
            continue;
          for (const std::size_t k : points_of[i])
            {
              const double dI = model.area_m2[k] * J_of(F[k], i);
              I[i] += dI;
              if (dI > I_negligible)
                active.push_back(k);
            }
        }
    };
    auto residual = [&](const std::vector<double> &Qx, const std::vector<double> &Qn) {
      emission(Qx);
      double norm = 0;
      for (std::size_t i = 0; i < N; ++i)
        {
          R[i] = Qx[i] - Qn[i] - dt * (I_beam[i] + I[i]);
          norm = std::max(norm, std::abs(R[i]));
        }
      return norm / R_scale;
    };
    auto record = [&](double t) {
      if (!settings.record_history)
        return;
      EmissionStep s;
      s.time_s                 = t;
      s.charges_C              = Q;
      s.emission_current_A     = I;
      s.emission_field_V_per_m = r.reference_field;
      for (std::size_t i = 0; i < N; ++i)
        s.temperature_K.push_back(J_of.temperature(i));
      r.history.push_back(std::move(s));
    };
    residual(Q, Q);
    record(0.0);

    for (unsigned int step = 0; step < settings.time_steps; ++step)
      {
        J_of.set_time_fraction(double(step + 1) / settings.time_steps); // backward Euler: T at the step's end
        const std::vector<double> Qn = Q;
        double norm                  = residual(Q, Qn);
        unsigned int it              = 0;
        while (norm > settings.newton_tolerance)
          {
            if (++it > settings.max_newton)
              {
                std::ostringstream msg;
                msg << "Murphy-Good discharge: Newton did not converge in step " << step + 1 << " of "
                    << settings.time_steps << " after " << settings.max_newton << " iterations (relative residual "
                    << norm << ")";
                throw RuntimeFailure(msg.str());
              }
            // dR_i/dQ_j = delta_ij + dt sum_k A_k J'(F_k) S_kj  (F_k = -E.n_k, dF_k/dQ_j = -S_kj).
            DenseMatrix Jac(N, std::vector<double>(N, 0.0));
            for (std::size_t i = 0; i < N; ++i)
              Jac[i][i] = 1;
            for (const std::size_t k : active)
              {
                const std::size_t i = model.sphere[k];
                const double h      = 1e-5 * std::max(std::abs(F[k]), 1e3);
                const double dJ     = (J_of(F[k] + h, i) - J_of(F[k] - h, i)) / (2 * h);
                const double w      = dt * model.area_m2[k] * dJ;
                for (std::size_t j = 0; j < N; ++j)
                  Jac[i][j] += w * model.field_per_charge[k][j];
              }
            std::vector<double> minus_R(N);
            for (std::size_t i = 0; i < N; ++i)
              minus_R[i] = -R[i];
            const auto dQ = solve_dense(Jac, minus_R);
            // Backtracking: J(F) is exponential, a full step can overshoot by orders of magnitude.
            double lambda = 1;
            std::vector<double> trial(N);
            double trial_norm = 0;
            for (int b = 0; b < 40; ++b, lambda /= 2)
              {
                for (std::size_t i = 0; i < N; ++i)
                  trial[i] = Q[i] + lambda * dQ[i];
                trial_norm = residual(trial, Qn);
                if (trial_norm < (1 - 1e-4 * lambda) * norm)
                  break;
              }
            Q    = trial;
            norm = trial_norm; // residual() left F, I, R at `trial`
          }
        r.newton_iterations += it;
        r.max_newton_per_step = std::max(r.max_newton_per_step, it);
        for (std::size_t i = 0; i < N; ++i)
          {
            r.emitted_charge[i] += dt * I[i];
            r.deposited_charge[i] += dt * I_beam[i];
          }
        record(dt * (step + 1));
      }
    residual(Q, Q);
    r.charges          = Q;
    r.emission_current = I;
    return r;
  }
} // namespace mpstream::solver
