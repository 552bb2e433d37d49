#include "solver/emission_discharge.h"

#include "common/error.h"
#include "solver/field_emission.h"

#include <algorithm>
#include <cmath>
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
    if (I_beam.size() != N || surfaces.size() != N)
      throw InputError("Murphy-Good discharge: " + std::to_string(I_beam.size()) + " currents and " +
                       std::to_string(surfaces.size()) + " surfaces for " + std::to_string(N) + " spheres");
    if (!(dwell > 0))
      throw InputError("Murphy-Good discharge: dwell time must be > 0");
    if (settings.time_steps == 0)
      throw InputError("Charging/Time steps = 0: must be >= 1");
    if (!settings.temperature_K.empty() && settings.temperature_K.size() != N)
      throw InputError("Murphy-Good discharge: " + std::to_string(settings.temperature_K.size()) +
                       " temperatures for " + std::to_string(N) + " spheres");
    if (Q.empty())
      Q.assign(N, 0.0);
    auto T_of = [&](std::size_t i) { return settings.temperature_K.empty() ? 0.0 : settings.temperature_K[i]; };
    const double phi = settings.work_function_eV;

    EmissionResult r;
    r.emitted_charge.assign(N, 0.0);
    r.deposited_charge.assign(N, 0.0);
    const double dt = dwell / settings.time_steps;
    double I_scale  = 0;
    for (const double I : I_beam)
      I_scale = std::max(I_scale, std::abs(I));
    const double R_scale = std::max(I_scale * dt, 1e-30);

    // Emission currents and dI/dF at the reference fields of charges Q.
    auto emission = [&](const std::vector<double> &Qx, std::vector<double> &F, std::vector<double> &I,
                        std::vector<double> &dIdF) {
      const auto En = model.normal_field(Qx);
      for (std::size_t i = 0; i < N; ++i)
        {
          F[i]           = -En[i];
          I[i]           = sphere_emission_current_A(surfaces[i], F[i], phi, T_of(i));
          const double h = 1e-5 * std::max(std::abs(F[i]), 1e3);
          dIdF[i]        = (sphere_emission_current_A(surfaces[i], F[i] + h, phi, T_of(i)) -
                     sphere_emission_current_A(surfaces[i], F[i] - h, phi, T_of(i))) /
                    (2 * h);
        }
    };
    std::vector<double> F(N), I(N), dIdF(N), R(N);
    auto residual = [&](const std::vector<double> &Qx, const std::vector<double> &Qn) {
      emission(Qx, F, I, dIdF);
      double norm = 0;
      for (std::size_t i = 0; i < N; ++i)
        {
          R[i] = Qx[i] - Qn[i] - dt * (I_beam[i] + I[i]);
          norm = std::max(norm, std::abs(R[i]));
        }
      return norm / R_scale;
    };

    for (unsigned int step = 0; step < settings.time_steps; ++step)
      {
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
            // Jacobian dR_i/dQ_j = delta_ij + dt dI_i/dF_i A_ij  (F_i = -E.n_i, dF_i/dQ_j = -A_ij).
            DenseMatrix Jac(N, std::vector<double>(N));
            for (std::size_t i = 0; i < N; ++i)
              for (std::size_t j = 0; j < N; ++j)
                Jac[i][j] = (i == j ? 1.0 : 0.0) + dt * dIdF[i] * model.field_per_charge[i][j];
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
            norm = trial_norm; // residual() left F, I, dIdF, R at `trial`
          }
        r.newton_iterations += it;
        r.max_newton_per_step = std::max(r.max_newton_per_step, it);
        for (std::size_t i = 0; i < N; ++i)
          {
            r.emitted_charge[i] += dt * I[i];
            r.deposited_charge[i] += dt * I_beam[i];
          }
      }
    residual(Q, Q);
    r.charges          = Q;
    r.emission_current = I;
    r.reference_field  = F;
    return r;
  }
} // namespace mpstream::solver
